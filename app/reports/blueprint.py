"""Equity leads' reports: every URL of the room in one place.

- `pages` at /reports (endpoints reports.*): the list of reports, who is missing, where
  priorities line up, and partner responses (the themes and network reports are in their rooms);
- `api` under /api/v1/reports (endpoints api.reports.*): the same figures as JSON.
"""
from flask import Blueprint

from app.reporting.requests import bounded, finish_report_request
from app.reports import api as api_views
from app.reports import views

pages = Blueprint("reports", __name__)
api = Blueprint("reports", __name__, url_prefix="/reports")

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (pages, "/", views.index, ["GET"]),
    (pages, "/representation", views.representation, ["GET"]),
    (pages, "/alignment", views.alignment, ["GET"]),
    (pages, "/partners", views.partners, ["GET"]),
    (api, "/representation", api_views.representation, ["GET"]),
    (api, "/alignment", api_views.alignment, ["GET"]),
    (api, "/partners", api_views.partners, ["GET"]),
)
for bp, rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
for report in (pages, api):
    report.before_request(bounded)
    report.after_request(finish_report_request)
