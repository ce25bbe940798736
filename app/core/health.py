"""Health checks for load balancers and orchestrators: /healthz (alive) and /readyz (ready to serve).

- `/healthz`: this process answers and its database answers `SELECT 1`. A container whose check
  fails is restarted; so it checks only what a restart could mend or must notice.
- `/readyz`: the database answers, its schema is at the migrations' head (an app started before
  `db upgrade` finished must not get traffic), and Redis answers when REDIS_URL is set. A load
  balancer sends no traffic to a process that is not ready.

Both answer JSON, 200 when every check passed and 503 otherwise, with each check's result as a
short code (`ok`, `unreachable`, `not_migrated`, `behind`, `ahead`) rather than a sentence: machines read them, and an
error's own text could tell a stranger the database's host name. Both are public (app.core.access)
and touch neither the session nor the signed-in user, so they set no cookie.
"""
from __future__ import annotations

import logging
from functools import lru_cache

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from app.core.extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)

OK = "ok"


@bp.get("/healthz")
def healthz():
    return _answer({"database": _database()})


@bp.get("/readyz")
def readyz():
    checks = {"database": _database()}
    checks["migrations"] = _migrations() if checks["database"] == OK else "unknown"
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis(current_app.config["REDIS_URL"])
    return _answer(checks)


def _answer(checks: dict[str, str]):
    healthy = all(result == OK for result in checks.values())
    response = jsonify(status="ok" if healthy else "unavailable", checks=checks)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    if not healthy:
        response.headers["Retry-After"] = str(current_app.config["DATABASE_RETRY_AFTER"])
    return response


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1")).scalar_one()
        return OK
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy", never a 500
        log.warning("health check: the database did not answer: %s", _first_line(exc))
        _rollback()
        return "unreachable"


def _migrations() -> str:
    """`ok` when the database's revisions are exactly the migration scripts' heads."""
    from alembic.migration import MigrationContext
    try:  # on the session's connection, which the database check just used
        current = set(MigrationContext.configure(db.session.connection()).get_current_heads())
    except Exception as exc:  # noqa: BLE001
        log.warning("health check: could not read the schema revision: %s", _first_line(exc))
        _rollback()
        return "unreachable"
    if not current:
        return "not_migrated"
    heads, known = _scripts(current_app.extensions["migrate"].directory)
    if current == heads:
        return OK
    # A revision this code has no script for: the database was upgraded by a newer release (an
    # old process during a rolling upgrade). Otherwise the database still waits for `db upgrade`.
    return "ahead" if not current <= known else "behind"


@lru_cache(maxsize=4)
def _scripts(directory: str) -> tuple[frozenset[str], frozenset[str]]:
    """The head revisions and every revision of the migration scripts shipped with this process
    (they never change while it runs, so they are read once)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    config = Config()
    config.set_main_option("script_location", directory)
    scripts = ScriptDirectory.from_config(config)
    return frozenset(scripts.get_heads()), frozenset(rev.revision for rev in scripts.walk_revisions())


def _redis(url: str) -> str:
    try:
        _redis_client(url, max(1, round(float(current_app.config["DATABASE_CONNECT_TIMEOUT"])))).ping()
        return OK
    except Exception as exc:  # noqa: BLE001
        log.warning("health check: Redis did not answer: %s", _first_line(exc))
        return "unreachable"


@lru_cache(maxsize=4)
def _redis_client(url: str, timeout: int):
    # One client (and connection pool) per URL for the process, not a new connection per check.
    import redis
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool replaces it
        log.debug("rollback after a failed health check failed", exc_info=True)


def _first_line(exc: Exception) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__
