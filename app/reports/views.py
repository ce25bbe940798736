"""Equity leads: representation, themes, network and alignment reports (endpoints reports.*).

Each report: route → filters → query + analysis (app/reports/<report>.py) → page, or the same
figures as CSV/XLSX (`?format=csv|xlsx`), or JSON through /api/v1/reports/<report>.
"""
from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core import audit
from app.core.access import can
from app.core.extensions import db
from app.reporting.context import context_table
from app.reporting.exporting import download
from app.core.database import bound_report_queries
from app.reporting.filters import ReportFilters, parse_filters
from app.reports.alignment import build_alignment
from app.reports.alignment_tables import alignment_tables
from app.stakeholders.network import build_network, drawing, network_tables
from app.reports.representation import K, K_LIFTED, build_report, weighted_question
from app.reports.representation_tables import representation_tables
from app.reports.representation_view import decorate, representation_filters, weighted_choices
from app.reporting.sample import selected_surveys

bp = Blueprint("reports", __name__)
EXPORT_FORMATS = ("csv", "xlsx")


@bp.app_template_global()
def report_survey_title(survey) -> str:
    """A survey's title in the interface language, for filter lists (never its slug)."""
    from app.reporting.labels import survey_title
    return survey_title(survey, str(get_locale()))


@bp.app_template_global()
@bp.app_template_filter()
def dimension_label(dimension: str) -> str:
    from app.reporting.labels import dimension_name
    return dimension_name(dimension)


@bp.app_template_global()
@bp.app_template_filter()
def sector_label(sector: str) -> str:
    from app.reporting.labels import sector_name
    return sector_name(sector)


@bp.before_request
def _bounded():
    """No report runs unbounded: a query past REPORT_STATEMENT_TIMEOUT is stopped (a 504 page)."""
    if request.method == "GET":
        bound_report_queries()


@bp.get("/")
def index():
    from flask import current_app
    return render_template("reports/index.html", has_themes="reports.themes" in current_app.view_functions)


def suppression_threshold(filters: ReportFilters) -> int:
    """K for everyone; an admin may lift suppression. Reporting only reads: the lift is written to
    the audit log by `finish_report_request`, once the report was built."""
    if not filters.unsuppressed:
        return K
    if not can("lift_suppression"):
        abort(403)
    g.suppression_lifted = filters.describe()
    return K_LIFTED


@bp.after_request
def finish_report_request(response):
    """The request's one commit (reports blueprints, pages and API): what a report request records
    (suppression lifted, a file exported: the routes only add the audit rows) is committed after
    the report succeeded, never in the middle of it; a report that failed records nothing."""
    lifted = g.pop("suppression_lifted", None)
    if response.status_code >= 400:
        return response
    if lifted is not None:
        audit.record("lift_suppression", f"report:{request.endpoint}", filters=lifted)
    if db.session.new or db.session.dirty or db.session.deleted:  # a page that only read commits nothing
        db.session.commit()
    return response


@bp.get("/representation")
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


@bp.get("/network")
def network():
    filters = parse_filters(request.args)
    report = build_network(filters) if not filters.errors else None
    fmt = request.args.get("format")
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:network", format=fmt, filters=filters.describe())
        return download([context_table(report["context"], _("Who works with whom"))] + network_tables(report),
                        fmt, "network")
    names = {n["id"]: n["name"] for n in report["nodes"]} if report else {}
    from app.reporting.labels import RELATIONSHIP_NAMES
    return render_template("reports/network.html", report=report, filters=filters, names=names,
                           drawing=drawing(report) if report else None, relationship_names=RELATIONSHIP_NAMES,
                           title=_("Who works with whom"))


@bp.get("/alignment")
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


def alignment_context(report: dict, filters: ReportFilters, lang: str) -> dict:
    """The alignment report's context: filters, raters counted, dates, method (page, export, JSON)."""
    from app.reporting.context import build_context, filter_rows, people_extent
    extra = [(_("Ranking question"), report["question_label"])]
    if report.get("by"):
        extra.append((_("Residents split by"), report["by_label"]))
    report["context"] = build_context(filter_rows(filters, lang, extra=extra), n=report.get("n_raters") or 0,
                                      unit=_("rankings"), extent=people_extent(filters), methods=[report["method"]])
    return report


@bp.get("/partners")
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
