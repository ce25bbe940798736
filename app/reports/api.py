"""JSON API v1: reports (endpoints api.reports.*), in the shapes of DESIGN.md.

Filters are query parameters: survey, geography, question, channel, from, to, respondent_lang
(the respondents' language), type; `lang` is the interface language of labels and texts.
"""
from flask import request
from flask_babel import get_locale

from app.reporting.filters import parse_filters
from app.reporting.requests import bad_filters, report_json, suppression_threshold
from app.reports.alignment import alignment_context, build_alignment
from app.reports.representation import build_report, weighted_question
from app.reports.representation_view import decorate, representation_filters


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


def alignment():
    from app.reports.alignment import check_question
    lang = str(get_locale())
    filters = check_question(parse_filters(request.args), lang)
    if filters.errors:
        return bad_filters(filters)
    return report_json(alignment_context(build_alignment(filters, request.args.get("by") or None), filters, lang))


def partners():
    from app.reports.partners import build_partners
    filters = parse_filters(request.args)
    if filters.errors:
        return bad_filters(filters)
    return report_json(build_partners(filters, str(get_locale())))
