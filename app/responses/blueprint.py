"""Residents' answers: every URL of the room in one place.

- `pages` at /s (endpoints respond.*): the survey pages, saving and resuming, the thank-you
  page and withdrawal;
- `api` under /api/v1 (endpoint api.responses.submit_response): the idempotent submission.
"""
from flask import Blueprint

from app.questions import question_type
from app.responses import api as api_views
from app.responses import views, withdraw_views

pages = Blueprint("respond", __name__, url_prefix="/s")
api = Blueprint("responses", __name__)

pages.url_value_preprocessor(views.load_survey)
pages.url_defaults(views.keep_language)
pages.before_request(views.partner_surveys_need_a_partner)
#: respond/_macros.html draws each question as its type says (form_layout).
pages.add_app_template_global(question_type, "question_type")

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (pages, "/<slug>", views.start, ["GET", "POST"]),
    (pages, "/<slug>/r/<sid>/<int:number>", views.page, ["GET", "POST"]),
    (pages, "/<slug>/r/<sid>/saved", views.saved, ["GET"]),
    (pages, "/<slug>/resume", views.resume, ["GET", "POST"]),
    (pages, "/<slug>/done/<sid>", views.done, ["GET"]),
    (pages, "/<slug>/withdraw", withdraw_views.withdraw, ["GET", "POST"]),
    (api, "/surveys/<slug>/responses", api_views.submit_response, ["POST"]),
)
for bp, rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
