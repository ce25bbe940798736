"""Storing a row once under a client-made id, even when two copies arrive at the same moment.

A submission, a focus-group contribution or a mention carries an id made when its form was
drawn; the column is unique. The caller looks the id up first (the common retry); if a
concurrent copy wins the race between that look-up and our flush, the unique constraint refuses
ours, we roll back our half and answer with the winner, so nothing is stored twice.
"""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import IntegrityError

from app.extensions import db


def add_once(row, find_stored: Callable[[], object | None]) -> tuple[object, bool]:
    """Add `row` and flush: ``(row, True)``; or, when its unique id was stored meanwhile,
    ``(find_stored(), False)``. Any other integrity error is raised as it is."""
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        stored = find_stored()
        if stored is None:
            raise
        return stored, False
    return row, True
