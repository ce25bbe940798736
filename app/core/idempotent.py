"""Storing a row once under a client-made id, even when two copies arrive at the same moment.

A submission, a focus-group contribution or a mention carries an id made when its form was
drawn; the column is unique. The caller looks the id up first (the common retry); if a
concurrent copy wins the race between that look-up and our flush, the unique constraint refuses
ours. Our insert runs inside a SAVEPOINT, so only it is undone: whatever the request flushed
before stays in its transaction, and we answer with the winner, so nothing is stored twice.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from app.core.extensions import db


def add_once(row, find_stored_id: Callable[[], int | None]) -> tuple[int, bool]:
    """Add `row` and flush it inside a savepoint.

    Returns ``(row.id, True)``; or, when its unique id was stored meanwhile by another
    transaction, ``(find_stored_id(), False)`` with only the savepoint rolled back. Any other
    integrity error is raised as it is (the savepoint is rolled back, the transaction lives on).
    """
    try:
        with savepoint():
            db.session.add(row)
    except IntegrityError:
        stored = find_stored_id()
        if stored is None:
            raise
        return stored, False
    return row.id, True


@contextmanager
def savepoint() -> Iterator[None]:
    """Flush what the block adds inside a SAVEPOINT: if the database refuses it, only the block
    is undone (its error propagates) and the request's transaction carries on."""
    _begin_outer_transaction()
    with db.session.begin_nested():
        yield


def _begin_outer_transaction() -> None:
    """Python's sqlite3 (legacy transaction mode, up to Python 3.15) begins a transaction only at
    the first INSERT, UPDATE or DELETE: a SAVEPOINT issued before that would be a transaction of
    its own, committed by its RELEASE. Begin the request's transaction first, so the savepoint
    nests inside it (SQLAlchemy's SQLite notes, "Transactions with SQLite and the sqlite3 driver")."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return
    if not connection.connection.dbapi_connection.in_transaction:
        connection.exec_driver_sql("BEGIN")
