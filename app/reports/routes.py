"""Equity leads: representation, themes, network and alignment reports (endpoints reports.*).

Each report: route → filters → query + analysis (app/reports/<report>.py) → page, or the same
figures as CSV/XLSX (`?format=csv|xlsx`), or JSON through /api/v1/reports/<report>.
"""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from app import audit
from app.access import can
from app.extensions import db
from app.reports.exporting import download
from app.database import bound_report_queries
from app.reports.filters import ReportFilters, parse_filters
from app.reports.alignment import build_alignment
from app.reports.alignment_tables import alignment_tables
from app.reports.network import build_network, drawing, network_tables
from app.reports.representation import K, K_LIFTED, build_report, weighted_question
from app.reports.representation_tables import representation_tables
from app.reports.sample import selected_surveys

bp = Blueprint("reports", __name__)
EXPORT_FORMATS = ("csv", "xlsx")


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
    """K for everyone; an admin may lift suppression, and that is recorded in the audit log."""
    if not filters.unsuppressed:
        return K
    if not can("lift_suppression"):
        abort(403)
    audit.record("lift_suppression", f"report:{request.endpoint}", filters=filters.describe())
    db.session.commit()
    return K_LIFTED


@bp.get("/representation")
def representation():
    filters = parse_filters(request.args)
    lang = str(get_locale())
    report = build_report(filters, k=suppression_threshold(filters), lang=lang) if not filters.errors else None
    weighted = weighted_question(filters, filters.question, lang) if report and filters.question else None
    fmt = request.args.get("format")
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:representation", format=fmt, filters=filters.describe())
        db.session.commit()
        return download(representation_tables(report, weighted), fmt, "representation")
    surveys = selected_surveys(ReportFilters())
    return render_template("reports/representation.html", report=report, filters=filters, weighted=weighted,
                           surveys=surveys, title=_("Who is missing"))


@bp.get("/network")
def network():
    filters = parse_filters(request.args)
    report = build_network(filters) if not filters.errors else None
    fmt = request.args.get("format")
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:network", format=fmt, filters=filters.describe())
        db.session.commit()
        return download(network_tables(report), fmt, "network")
    names = {n["id"]: n["name"] for n in report["nodes"]} if report else {}
    return render_template("reports/network.html", report=report, filters=filters, names=names,
                           drawing=drawing(report) if report else None, title=_("Who works with whom"))


@bp.get("/alignment")
def alignment():
    filters = parse_filters(request.args)
    by = request.args.get("by") or None
    report = build_alignment(filters, by) if not filters.errors else None
    fmt = request.args.get("format")
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:alignment", format=fmt, filters=filters.describe())
        db.session.commit()
        return download(alignment_tables(report), fmt, "alignment")
    from app.reports.labels import DIMENSION_NAMES
    return render_template("reports/alignment.html", report=report, filters=filters, by=by,
                           dimensions=DIMENSION_NAMES, surveys=selected_surveys(ReportFilters()),
                           title=_("Where priorities line up"))
