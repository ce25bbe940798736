"""What every report request shares, pages and JSON alike: a bounded run, the small-cell
threshold (and who may lift it), the request's one commit, and JSON that is safe to show.

Each report blueprint lists `bounded` and `finish_report_request` as its hooks
(app/<feature>/blueprint.py); a report module never commits.
"""
from __future__ import annotations

import json

from flask import abort, current_app, g, jsonify, request

from analysis.suppression import DEFAULT_K
from app.core import audit
from app.core.access import can
from app.core.database import bound_report_queries
from app.core.extensions import db
from app.reporting.filters import ReportFilters

#: Small-cell threshold: counts from 1 to K-1 are suppressed (with complementary suppression);
#: analysis.suppression owns the number and its source.
K = DEFAULT_K
#: What an admin's "lift suppression" uses: every count shown.
K_LIFTED = 1
#: `?format=` values a report page answers with a file.
EXPORT_FORMATS = ("csv", "xlsx")
#: Characters written as \\u escapes, so that no name or text people typed can be read as markup,
#: even by a client that sniffs the content type; the JSON value is the same.
_HTML_SAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def bounded():
    """No report runs unbounded: a query past REPORT_STATEMENT_TIMEOUT is stopped (a 504 page)."""
    if request.method == "GET":
        bound_report_queries()


def suppression_threshold(filters: ReportFilters) -> int:
    """K for everyone; an admin may lift suppression. Reporting only reads: the lift is written to
    the audit log by `finish_report_request`, once the report was built."""
    if not filters.unsuppressed:
        return K
    if not can("lift_suppression"):
        abort(403)
    g.suppression_lifted = filters.describe()
    return K_LIFTED


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


def report_json(report: dict):
    """A report as JSON with <, > and & escaped, and nosniff."""
    body = json.dumps(report, ensure_ascii=False, default=str)
    for char, escape in _HTML_SAFE.items():
        body = body.replace(char, escape)
    response = current_app.response_class(body + "\n", mimetype="application/json")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def bad_filters(filters):
    """400 naming each filter that could not be read."""
    return jsonify(error="invalid_filters", errors={k: str(v) for k, v in filters.errors.items()}), 400
