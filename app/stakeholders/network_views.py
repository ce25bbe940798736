"""Equity leads: who works with whom, the network report page at /reports/network and its JSON at
/api/v1/reports/network (endpoints network.network and api.network.network)."""
from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _

from app.core import audit
from app.reporting.context import context_table
from app.reporting.exporting import download
from app.reporting.filters import parse_filters
from app.reporting.labels import RELATIONSHIP_NAMES
from app.reporting.requests import EXPORT_FORMATS, bad_filters, report_json
from app.stakeholders.network import build_network, drawing, network_tables


def network_page():
    filters = parse_filters(request.args)
    report = build_network(filters) if not filters.errors else None
    fmt = request.args.get("format")
    if fmt in EXPORT_FORMATS and report:
        audit.record("export", "report:network", format=fmt, filters=filters.describe())
        return download([context_table(report["context"], _("Who works with whom"))] + network_tables(report),
                        fmt, "network")
    names = {n["id"]: n["name"] for n in report["nodes"]} if report else {}
    return render_template("reports/network.html", report=report, filters=filters, names=names,
                           drawing=drawing(report) if report else None, relationship_names=RELATIONSHIP_NAMES,
                           title=_("Who works with whom"))


def network_json():
    filters = parse_filters(request.args)
    if filters.errors:
        return bad_filters(filters)
    return report_json(build_network(filters))
