"""Small shared column helpers."""
import datetime as dt


def utcnow() -> dt.datetime:
    """Naive UTC, the same on SQLite and PostgreSQL `timestamp without time zone` columns."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
