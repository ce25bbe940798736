"""Shared measurement: every URL of the room in one place.

- `values` at /partner/indicators (endpoints indicator_values.*): partners report their values;
- `api` under /api/v1 (endpoints api.indicators.*): indicators, series, the scorecard, values.
"""
from flask import Blueprint

from app.indicators import api as api_views
from app.indicators import partner_form

values = Blueprint("indicator_values", __name__)
api = Blueprint("indicators", __name__)

#: (blueprint, URL, view, methods); the endpoint is <blueprint>.<view name>.
URLS = (
    (values, "/", partner_form.index, ["GET"]),
    (values, "/", partner_form.report, ["POST"]),
    (api, "/indicators", api_views.indicators, ["GET"]),
    (api, "/indicators/<key>", api_views.indicator, ["GET"]),
    (api, "/scorecard", api_views.scorecard_export, ["GET"]),
    (api, "/indicators/values", api_views.post_values, ["POST"]),
)
for bp, rule, view, methods in URLS:
    bp.add_url_rule(rule, view_func=view, methods=methods)
