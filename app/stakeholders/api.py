"""JSON API v1: stakeholders (endpoints api.stakeholders.*), for admin tokens.

`POST /api/v1/stakeholders` and `POST /api/v1/relationships` take one object or an array of
objects with the fields of the CSV import, checked by the same code, all or nothing:
201 ``{"created", "updated", "ids"}``, or 422 ``{"errors": [{"row", "field", "message"}]}``
with nothing applied. Rows are the array's indexes, from 0. Contact details are never sent back.
"""
from __future__ import annotations

from flask import g, jsonify
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.core import audit
from app.core.extensions import db
from app.core.json_body import json_body
from app.stakeholders.importing import RELATIONSHIPS, STAKEHOLDERS, ImportKind, import_records, read_json


def _import(kind: ImportKind):
    found = read_json(json_body(), kind.fields)
    try:
        applied, errors = import_records(kind, found)
        if errors:
            db.session.rollback()
            return jsonify(error="invalid", errors=[e.to_json() for e in errors]), 422
        audit.record("import", kind.noun, user=g.user, via="api",
                     created=len(applied.created), updated=len(applied.updated))
        db.session.commit()
    except IntegrityError:  # a concurrent request created the same stakeholder first
        db.session.rollback()
        return jsonify(error="conflict", message=_("The registry changed while this was being saved. "
                                                   "Nothing was applied: send it again.")), 409
    return jsonify(**applied.to_json(), notes=found.notes), 201


def create_stakeholders():
    """Create or update stakeholders: id, name, sector, and optionally kind, neighbourhood, contact."""
    return _import(STAKEHOLDERS)


def create_relationships():
    """Add ties between registered stakeholders: source, target, type, and optionally weight, date."""
    return _import(RELATIONSHIPS)
