"""JSON API v1: reports (endpoints api.reports.*), in the shapes of DESIGN.md.

Filters are query parameters: survey, geography, question, channel, from, to, respondent_lang
(the respondents' language), type; `lang` is the interface language of labels and texts.
"""
import json

from flask import Blueprint, current_app, jsonify, request
from flask_babel import get_locale

from app.reports.alignment import build_alignment
from app.core.database import bound_report_queries
from app.reporting.filters import parse_filters
from app.stakeholders.network import build_network
from app.reports.representation import build_report, weighted_question
from app.reports.representation_view import decorate, representation_filters
from app.reports.views import finish_report_request, suppression_threshold

bp = Blueprint("reports", __name__, url_prefix="/reports")
bp.after_request(finish_report_request)


@bp.before_request
def _bounded():
    """No report runs unbounded: a query past REPORT_STATEMENT_TIMEOUT is stopped (a 504 page)."""
    if request.method == "GET":
        bound_report_queries()


#: Characters written as \\u escapes, so that no name or text people typed can be read as markup,
#: even by a client that sniffs the content type; the JSON value is the same.
_HTML_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def report_json(report: dict):
    """A report as JSON with <, > and & escaped, and nosniff."""
    body = json.dumps(report, ensure_ascii=False, default=str)
    for char, escape in _HTML_SAFE.items():
        body = body.replace(char, escape)
    response = current_app.response_class(body + "\n", mimetype="application/json")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def bad_filters(filters):
    return jsonify(error="invalid_filters", errors={k: str(v) for k, v in filters.errors.items()}), 400


@bp.get("/representation")
def representation():
    filters = representation_filters(request.args)
    if filters.errors:
        return bad_filters(filters)
    lang = str(get_locale())
    report = build_report(filters, k=suppression_threshold(filters), lang=lang)
    if filters.question:
        report["weighted"] = weighted_question(filters, filters.question, lang)
    decorate(report, filters, lang, report.get("weighted"))
    return report_json(report)


@bp.get("/network")
def network():
    filters = parse_filters(request.args)
    if filters.errors:
        return bad_filters(filters)
    return report_json(build_network(filters))


@bp.get("/alignment")
def alignment():
    from app.reports.alignment import check_question
    from app.reports.views import alignment_context
    lang = str(get_locale())
    filters = check_question(parse_filters(request.args), lang)
    if filters.errors:
        return bad_filters(filters)
    return report_json(alignment_context(build_alignment(filters, request.args.get("by") or None), filters, lang))


@bp.get("/partners")
def partners():
    from app.reports.partners import build_partners
    filters = parse_filters(request.args)
    if filters.errors:
        return bad_filters(filters)
    return report_json(build_partners(filters, str(get_locale())))
