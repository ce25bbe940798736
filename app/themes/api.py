"""JSON API v1: the themes report, GET /api/v1/reports/themes (endpoint api.themes.themes).

Filters as for the page: survey, channel, from, to, lang (the language of the text), and
dimension (the demographic dimension of the groups table). The shape is DESIGN.md's
``{"themes": [{"key", "count", "sentiment", "quotes"}], "agreement": [{"theme", "kappa"}],
"emerging": [{"phrase", "count"}]}`` with more keys (app.themes.report.build_report).
"""
from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from app.reporting.filters import parse_filters
from app.reporting.requests import bad_filters, report_json
from app.themes.views import themes_report


def themes():
    filters = parse_filters(request.args)
    if filters.errors:
        return bad_filters(filters)
    report, _dimensions, has_codebook = themes_report(filters, request.args.get("dimension"))
    if filters.errors:
        return bad_filters(filters)
    if not has_codebook:  # an empty report in the same shape, saying why
        report = {"n": 0, "themes": [], "agreement": [], "emerging": [], "codebook": False,
                  "message": _("There is no codebook of themes yet; an admin can import one.")}
    return report_json(report)
