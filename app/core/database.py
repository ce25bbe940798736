"""Engine set-up per backend: SQLite in WAL mode with a busy timeout, PostgreSQL with timeouts.

A database that is away must make a request fail fast (a 503, app.outage), never hang it until the
server kills the worker: PostgreSQL connections give up after DATABASE_CONNECT_TIMEOUT, a dead
link is noticed by TCP settings, and a statement inside a web request is cancelled after
DATABASE_STATEMENT_TIMEOUT (reports: REPORT_STATEMENT_TIMEOUT). Commands run from the shell
(loads, imports, migrations) are not bounded.
"""
from __future__ import annotations

import time

import sqlalchemy as sa
from flask import current_app, g, has_request_context

from app.core.extensions import db

#: Where a pooled connection remembers the statement timeout last set on it.
_TIMEOUT_KEY = "statement_timeout_ms"
#: How often (in SQLite virtual machine steps) a bounded report checks its clock.
_SQLITE_CHECK_EVERY = 10_000


def engine_options(config) -> dict:
    """create_engine options from the settings: a ping before each checkout, and on PostgreSQL
    timeouts for connecting and for a peer that stopped answering."""
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_pre_ping", True)  # a connection the database dropped is replaced, not used
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        connect_timeout = max(2, round(float(config["DATABASE_CONNECT_TIMEOUT"])))
        options.setdefault("pool_timeout", connect_timeout)
        options["connect_args"] = {
            "connect_timeout": connect_timeout,
            # Data sent and not acknowledged this long means a link that went dead (black-holed).
            "tcp_user_timeout": connect_timeout * 1000,
            "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 2,
            **options.get("connect_args", {}),
        }
    return options


def configure_engine(engine: sa.Engine, config) -> None:
    if engine.dialect.name == "postgresql":
        _bound_statements_in_requests(engine, config)
        return
    if engine.dialect.name != "sqlite":
        return
    synchronous = config.get("SQLITE_SYNCHRONOUS", "FULL")
    # Writers queue for SQLite's one write lock, polling with back-off, so under load some wait
    # far longer than the median: a fixed 10 s turned a few of those waits into 503s (bench/load.py,
    # gthread -w 4 --threads 4, load 24) while PostgreSQL's writers may wait 20 s.
    busy = config.get("SQLITE_BUSY_TIMEOUT")
    busy_ms = _milliseconds(config.get("DATABASE_STATEMENT_TIMEOUT", 20) if busy is None else busy)
    if synchronous not in ("OFF", "NORMAL", "FULL", "EXTRA"):
        raise ValueError(f"SQLITE_SYNCHRONOUS must be OFF, NORMAL, FULL or EXTRA, not {synchronous!r}")

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        # WAL lets readers carry on while one writer commits; FULL makes a commit survive power loss.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "checkout")
    def _unbounded(dbapi_connection, _record, _proxy):
        dbapi_connection.set_progress_handler(None, 0)  # a report's deadline ends with its request


def _milliseconds(seconds) -> int:
    return max(0, int(float(seconds) * 1000))


def _bound_statements_in_requests(engine: sa.Engine, config) -> None:
    request_ms = _milliseconds(config["DATABASE_STATEMENT_TIMEOUT"])

    @sa.event.listens_for(engine, "checkout")
    def _statement_timeout(dbapi_connection, record, _proxy):
        wanted = g.get(_TIMEOUT_KEY, request_ms) if has_request_context() else 0
        if record.info.get(_TIMEOUT_KEY) != wanted:
            # Set once per pooled connection and committed, so a later rollback keeps it.
            with dbapi_connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {int(wanted)}")
            dbapi_connection.commit()
            record.info[_TIMEOUT_KEY] = wanted


#: PostgreSQL's memory per sort or hash of a report query (the server's default is 4 MB).
REPORT_WORK_MEM = "64MB"


class ReportTimeUp(Exception):
    """A report request used up its time: no further statement is started."""


def bound_report_queries() -> None:
    """Cancel any statement of this request that runs past REPORT_STATEMENT_TIMEOUT, and start no
    new one after that time (so a report of many queries ends within twice the setting); a report
    request calls this first. PostgreSQL cancels the statement; SQLite interrupts it. Either way
    the request ends in app.outage's 504 page instead of running on."""
    seconds = float(current_app.config["REPORT_STATEMENT_TIMEOUT"])
    if seconds <= 0:
        return
    setattr(g, _TIMEOUT_KEY, _milliseconds(seconds))  # for connections checked out later in the request
    g.report_deadline = time.monotonic() + seconds
    if not sa.event.contains(db.engine, "before_cursor_execute", _stop_after_deadline):
        sa.event.listen(db.engine, "before_cursor_execute", _stop_after_deadline)
    connection = db.session.connection()
    fairy = connection.connection
    if connection.dialect.name == "postgresql":
        # Reports group whole tables: memory enough to hash a million groups rather than sort
        # them on disk, and no JIT, whose compiling cost up to 0.9 s per query at a million
        # responses and paid back nothing. LOCAL: the transaction's end restores both.
        connection.exec_driver_sql(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
        connection.exec_driver_sql("SET LOCAL jit = off")
        connection.exec_driver_sql(f"SET statement_timeout = {_milliseconds(seconds)}")
        fairy.info[_TIMEOUT_KEY] = None  # set inside the request's transaction: a rollback undoes it
    elif connection.dialect.name == "sqlite":
        deadline = time.monotonic() + seconds
        fairy.dbapi_connection.set_progress_handler(lambda: time.monotonic() > deadline, _SQLITE_CHECK_EVERY)


def refresh_statistics() -> None:
    """Gather the planner's statistics after a bulk load or import, so the first report after it is
    planned on the real sizes. PostgreSQL's autovacuum would do it eventually, minutes later."""
    db.session.commit()
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ANALYZE")
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA analysis_limit = 1000")  # sampled: quick at any size
            connection.exec_driver_sql("ANALYZE")


def _stop_after_deadline(_conn, _cursor, statement, parameters, _context, _executemany):
    deadline = g.get("report_deadline") if has_request_context() else None
    if deadline is not None and time.monotonic() > deadline:
        raise sa.exc.OperationalError(statement, parameters, ReportTimeUp())
