"""Themes: every URL of the room in one place.

- `pages` at /reports/themes (endpoints themes.*): the report, tagging the waiting texts, the
  review queue, the coded texts as REFI-QDA, and the codebook (read by equity leads);
- `codebook` inside it (endpoints themes.codebook.*): editing the codebook, admins only;
- `api` under /api/v1 (endpoint api.themes.themes): the report as JSON.
"""
from flask import Blueprint

from app.reporting.requests import bounded, finish_report_request
from app.themes import api as api_views
from app.themes import views

pages = Blueprint("themes", __name__)
codebook = Blueprint("codebook", __name__, url_prefix="/codebook")
api = Blueprint("themes", __name__, url_prefix="/reports")

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (pages, "", views.themes, ["GET"]),
    (pages, "/tag", views.themes_tag, ["POST"]),
    (pages, "/review", views.themes_review, ["GET"]),
    (pages, "/review", views.themes_review_save, ["POST"]),
    (pages, "/codings.qdpx", views.themes_qdpx, ["GET"]),
    (pages, "/codebook", views.themes_codebook, ["GET"]),
    (pages, "/codebook/export", views.themes_codebook_export, ["GET"]),
    (codebook, "/new", views.new_theme, ["GET", "POST"]),
    (codebook, "/<key>/edit", views.edit_theme, ["GET", "POST"]),
    (codebook, "/<key>/delete", views.delete_theme, ["GET", "POST"]),
    (codebook, "/import", views.import_codebook, ["GET", "POST"]),
    (api, "/themes", api_views.themes, ["GET"]),
)
for bp, rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
pages.register_blueprint(codebook)
for report in (pages, api):
    report.before_request(bounded)
    report.after_request(finish_report_request)
