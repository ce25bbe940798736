"""A `limits` storage in our own database, for Flask-Limiter when no Redis is configured.

`limits` (the library under Flask-Limiter) keeps fixed-window counters in Redis, Memcached or
MongoDB; an SQL store is ours to write. Each hit is one upsert that adds to the row and returns
the new count in the same statement (INSERT … ON CONFLICT DO UPDATE … RETURNING, on PostgreSQL
and SQLite alike), so concurrent hits from many processes are counted exactly: the database's row
lock orders them. Counts are committed on their own connection, whatever the request then does.
Storage URI: "commonground+db://".
"""
from __future__ import annotations

import random
import time

import sqlalchemy as sa
from limits.storage import Storage
from sqlalchemy.dialects import postgresql, sqlite

from app.core.extensions import db
from app.models import RateCounter

SCHEME = "commonground+db"
#: Share of hits that also delete expired counters, so the table stays the size of one window.
CLEAN_UP_SHARE = 0.01


class DatabaseStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        table = RateCounter.__table__
        insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(table)
        expired = table.c.expires_at <= now  # the existing row's window is over: start a new one
        statement = insert.values(key=key, count=amount, expires_at=now + expiry).on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"count": sa.case((expired, amount), else_=table.c.count + amount),
                  "expires_at": sa.case((expired, now + expiry), else_=table.c.expires_at)},
        ).returning(table.c.count)
        with db.engine.begin() as connection:
            count = connection.execute(statement).scalar_one()
            if random.random() < CLEAN_UP_SHARE:  # windows long over: rows nobody will read again
                connection.execute(sa.delete(RateCounter).where(RateCounter.expires_at < now - 3600))
            return count

    def _row(self, key: str):
        with db.engine.connect() as connection:
            return connection.execute(sa.select(RateCounter.count, RateCounter.expires_at)
                                      .where(RateCounter.key == key, RateCounter.expires_at > time.time())).first()

    def get(self, key: str) -> int:
        row = self._row(key)
        return row.count if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._row(key)
        return row.expires_at if row else time.time()

    def check(self) -> bool:
        try:
            with db.engine.connect() as connection:
                connection.execute(sa.select(1))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self) -> int | None:
        with db.engine.begin() as connection:
            return connection.execute(sa.delete(RateCounter)).rowcount

    def clear(self, key: str) -> None:
        with db.engine.begin() as connection:
            connection.execute(sa.delete(RateCounter).where(RateCounter.key == key))
