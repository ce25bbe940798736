"""Small shared column helpers."""
import datetime as dt

import sqlalchemy as sa


def utcnow() -> dt.datetime:
    """Naive UTC, the same on SQLite and PostgreSQL `timestamp without time zone` columns."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def one_of(column: str, values: tuple[str, ...]) -> sa.CheckConstraint:
    """The database refuses any value of `column` outside `values` (app.core.vocabulary), as the code
    does; named ck_<table>_<column> by the metadata's naming convention."""
    allowed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({allowed})", name=column)
