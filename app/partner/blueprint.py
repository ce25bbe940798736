"""Partner organisations at /partner (endpoints partner.*): their start page, the invitation
link, and the measures they report."""
from flask import Blueprint

from app.partner import measures, views

bp = Blueprint("partner", __name__)

#: (URL, view, methods); the endpoint is partner.<view name>.
URLS = (
    ("/", views.index, ["GET"]),
    ("/invitation/<token>", views.invitation, ["GET"]),
    ("/measures", measures.measures_page, ["GET"]),
    ("/measures", measures.measure_new, ["POST"]),
    ("/measures/<int:measure_id>/report", measures.measure_report, ["POST"]),
)
for rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
