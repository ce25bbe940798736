"""Equity leads: the representation, alignment and partners reports (endpoints reports.*).

Each report: route → filters → query + analysis (app/reports/<report>.py) → page, or the same
figures as CSV/XLSX (`?format=csv|xlsx`), or JSON through /api/v1/reports/<report>.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core import audit
from app.reporting.context import context_table
from app.reporting.exporting import download
from app.reporting.filters import ReportFilters, parse_filters
from app.reporting.requests import EXPORT_FORMATS, suppression_threshold
from app.reporting.sample import selected_surveys
from app.reports.alignment import alignment_context, build_alignment
from app.reports.alignment_tables import alignment_tables
from app.reports.representation import build_report, weighted_question
from app.reports.representation_tables import representation_tables
from app.reports.representation_view import decorate, representation_filters, weighted_choices


def index():
    return render_template("reports/index.html", has_themes="themes.themes" in current_app.view_functions)


def representation():
    filters = representation_filters(request.args)
    lang = str(get_locale())
    report = build_report(filters, k=suppression_threshold(filters), lang=lang) if not filters.errors else None
    weighted = weighted_question(filters, filters.question, lang) if report and filters.question else None
    if report:
        decorate(report, filters, lang, weighted)
    fmt = request.args.get("format")
    title = _("Who is missing")
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:representation", format=fmt, filters=filters.describe())
        tables = [context_table(report["context"], title)] + representation_tables(report, weighted)
        return download(tables, fmt, "representation")
    surveys = selected_surveys(ReportFilters(people_only=True))
    return render_template("reports/representation.html", report=report, filters=filters, weighted=weighted,
                           surveys=surveys, question_choices=weighted_choices(filters, lang), title=title)


def alignment():
    from app.reports.alignment import check_question, ranking_questions
    lang = str(get_locale())
    filters = check_question(parse_filters(request.args), lang)
    by = request.args.get("by") or None
    report = build_alignment(filters, by) if not filters.errors else None
    fmt = request.args.get("format")
    title = _("Where priorities line up")
    if report:
        alignment_context(report, filters, lang)
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:alignment", format=fmt, filters=filters.describe())
        return download([context_table(report["context"], title)] + alignment_tables(report), fmt, "alignment")
    from app.reporting.labels import DIMENSION_NAMES
    return render_template("reports/alignment.html", report=report, filters=filters, by=by,
                           dimensions=DIMENSION_NAMES, surveys=selected_surveys(ReportFilters()),
                           questions=ranking_questions(lang), title=title)


def partners():
    from app.reports.partners import build_partners, partner_tables
    filters = parse_filters(request.args)
    report = build_partners(filters, str(get_locale())) if not filters.errors else None
    fmt = request.args.get("format")
    title = _("Partner responses")
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:partners", format=fmt, filters=filters.describe())
        return download([context_table(report["context"], title)] + partner_tables(report), fmt, "partners")
    from app.reporting.scope import is_partner_survey
    return render_template("reports/partners.html", report=report, filters=filters, title=title,
                           surveys=[s for s in selected_surveys(ReportFilters()) if is_partner_survey(s)])
