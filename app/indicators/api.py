"""JSON API v1: indicators (endpoints api.indicators.*).

- `GET /api/v1/indicators`: every indicator's definition, texts in the request's language.
- `GET /api/v1/indicators/<key>?period=&geography=&dimension=&category=`: its values per period
  with intervals, the "do nothing" forecast, baseline, targets and status (app.indicators.service).
- `POST /api/v1/indicators/values`: reported values, one object or an array, all or nothing like
  the stakeholder API; admin tokens, or a partner's token for the indicators naming its
  organisation in `reported_by` (any other: 403, nothing stored).
- `GET /api/v1/scorecard?format=json|csv|xlsx&geography=&dimension=&category=`: the scorecard.
"""
from __future__ import annotations

from flask import g, jsonify, request
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.extensions import db
from app.core.json_body import json_body
from app.indicators.exporting import scorecard_tables
from app.indicators.reported import VALUE_FIELDS, Catalogue, check_value_records, foreign_indicators, store_values
from app.indicators.service import IndicatorQueryError, indicator_series, list_indicators, scorecard
from app.reporting.exporting import download
from app.reporting.requests import report_json
from app.stakeholders.importing import read_json

EXPORT_FORMATS = ("json", "csv", "xlsx")


def _param(name: str) -> str | None:
    return (request.args.get(name) or "").strip() or None


def _query_error(exc: IndicatorQueryError):
    return jsonify(error="not_found" if exc.status == 404 else "invalid_filters", message=exc.message,
                   field=exc.field), exc.status


def indicators():
    """Every indicator, by key."""
    return report_json({"indicators": list_indicators()})


def indicator(key: str):
    """One indicator's series; 404 for an unknown key, 400 for a filter it cannot take."""
    try:
        return report_json(indicator_series(key, period=_param("period"), geography=_param("geography"),
                                            dimension=_param("dimension"), category=_param("category")))
    except IndicatorQueryError as exc:
        return _query_error(exc)


def scorecard_export():
    """The scorecard as JSON, CSV or XLSX."""
    fmt = _param("format") or "json"
    if fmt not in EXPORT_FORMATS:
        return jsonify(error="invalid_filters", field="format",
                       message=_("format must be one of %(formats)s", formats=", ".join(EXPORT_FORMATS))), 400
    try:
        card = scorecard(geography=_param("geography"), dimension=_param("dimension"), category=_param("category"))
    except IndicatorQueryError as exc:
        return _query_error(exc)
    if fmt == "json":
        return report_json(card)
    audit.record("export", "scorecard", user=g.user, via="api", format=fmt)
    db.session.commit()
    return download(scorecard_tables(card), fmt, "scorecard")


def post_values():
    """Reported values: indicator, period, value, and optionally geography, dimension, category,
    numerator, denominator, source."""
    found = read_json(json_body(), VALUE_FIELDS)
    catalogue = Catalogue.current()
    refused = foreign_indicators(found.rows, g.user, catalogue)
    if refused:
        return jsonify(error="forbidden", message=_(
            "Your organisation does not report %(keys)s. Nothing was stored.", keys=", ".join(refused))), 403
    clean, errors = check_value_records(found.rows, catalogue)
    errors = found.errors + errors
    if errors:
        return jsonify(error="invalid", errors=[e.to_json() for e in errors]), 422
    try:
        applied = store_values(clean, via="api", user=g.user)
        audit.record("import", "indicator-values", user=g.user, via="api",
                     created=len(applied.created), updated=len(applied.updated))
        db.session.commit()
    except IntegrityError:  # a concurrent request stored the same cell first
        db.session.rollback()
        return jsonify(error="conflict", message=_("The values changed while these were being saved. "
                                                   "Nothing was applied: send them again.")), 409
    return jsonify(**applied.to_json(), notes=found.notes), 201
