"""When the database is away: a quick 503 with Retry-After and a true message, never a hang or a 500.

Connection failures, a dropped or black-holed server, a busy SQLite file and a statement cancelled
for running too long all reach SQLAlchemy as OperationalError (or InterfaceError on a connection
already closed, TimeoutError when the pool cannot hand one out). Nothing was committed by the
request that met one, so the message says so: a resident's page is drawn again with what they
typed (app.responses.offline), the JSON API answers {"saved": false}. The pool's pre-ping replaces
dead connections, so the app recovers by itself when the database is back.
"""
from __future__ import annotations

import json
import logging
import sqlite3

import sqlalchemy as sa
from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from markupsafe import escape

from app.core.database import ReportTimeUp
from app.core.extensions import db

log = logging.getLogger(__name__)
DATABASE_ERRORS = (sa.exc.OperationalError, sa.exc.InterfaceError, sa.exc.TimeoutError)


def init_app(app) -> None:
    for error in DATABASE_ERRORS:
        app.register_error_handler(error, database_away)
    if app.config.get("REDIS_URL"):  # the sign-in limits' store: away, it gets the same quick 503
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
        for error in (RedisConnectionError, RedisTimeoutError):
            app.register_error_handler(error, database_away)
    # Registered after Flask-SQLAlchemy's, so it runs first and leaves that one nothing to fail on.
    app.teardown_appcontext(end_session_quietly)
    app.wsgi_app = JSONErrorsOnAPI(app.wsgi_app)


def timed_out(exc: Exception) -> bool:
    """Whether the database answered but the statement was cancelled for taking too long."""
    orig = getattr(exc, "orig", None)
    if type(orig).__name__ == "QueryCanceled":  # psycopg.errors.QueryCanceled: statement_timeout
        return True
    if isinstance(orig, ReportTimeUp):
        return True
    return isinstance(orig, sqlite3.OperationalError) and "interrupted" in str(orig)


def database_away(exc: Exception):
    """503 (unreachable) or 504 (cancelled as too slow), with Retry-After, in the reader's language."""
    timeout = timed_out(exc)
    log.warning("database %s on %s %s: %s", "timeout" if timeout else "unavailable",
                request.method, request.path, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    _forget_transaction()
    _no_user_lookup()
    status = 504 if timeout else 503
    headers = {"Retry-After": str(current_app.config["DATABASE_RETRY_AFTER"]), "Cache-Control": "no-store"}
    writing = request.method not in ("GET", "HEAD", "OPTIONS")
    if request.blueprint == "openrosa":  # ODK Collect shows the message and keeps the form to send again
        from app.openrosa.responses import error
        return error(_message(timeout, writing), status, headers)
    from app.core.errors import wants_json
    if wants_json():
        body = jsonify(error="timeout" if timeout else "database_unavailable",
                       message=_message(timeout, writing), saved=False)
        return body, status, headers
    if writing and request.endpoint == "respond.page":
        from app.responses.offline import unsaved_page

        # A callable: the page's language is known only once the survey is found in memory.
        page = unsaved_page(lambda: _("We could not save this page: our database is not answering just now. "
                                      "Your answers on this page are NOT saved yet, but they are still in the "
                                      "form below. Wait a minute, then press the button again."))
        if page is not None:
            return page, status, headers
    return _page(status, _message(timeout, writing)), status, headers


def _message(timeout: bool, writing: bool) -> str:
    if timeout and writing:
        return _("This took too long, so we stopped it, and what you sent was not saved. "
                 "Please try again in a minute.")
    if timeout:
        return _("This took too long to prepare, so we stopped it. Please try again in a few minutes, "
                 "or choose fewer answers with the filters (a shorter period, one survey).")
    if writing:
        return _("We cannot reach our database just now, so what you sent was not saved. "
                 "Please try again in a minute.")
    return _("We cannot reach our database just now. Please try again in a minute.")


def _page(status: int, message: str) -> str:
    try:
        return render_template("error.html", code=status, message=message)
    except Exception:  # noqa: BLE001 - the template itself needed the database: a plain page still tells the truth
        log.exception("error page could not be drawn")
        return f"<!doctype html><meta charset=utf-8><title>{status}</title><h1>{escape(message)}</h1>"


def _forget_transaction() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection is gone; the pool invalidates it
        log.debug("rollback after a database error failed", exc_info=True)


def _no_user_lookup() -> None:
    """Draw the page as for someone signed out, rather than ask the database who is signed in."""
    if "_login_user" not in g:
        from app.core.access import login_manager
        g._login_user = login_manager.anonymous_user()


def end_session_quietly(_exc=None) -> None:
    """End the request's session; a database that went away meanwhile must not turn an answer
    already given into a 500 (Flask-SQLAlchemy's own teardown then has nothing left to do)."""
    try:
        db.session.remove()
    except Exception:  # noqa: BLE001
        log.warning("ending the database session failed", exc_info=True)


class JSONErrorsOnAPI:
    """WSGI middleware: a failure that escapes Flask (in request teardown, say) gets a JSON body
    on /api/ paths instead of the server's bare HTML 500."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if not environ.get("PATH_INFO", "").startswith("/api/"):
            return self.wsgi_app(environ, start_response)
        # Hold the status and headers until the app has returned: a failure after Flask made its
        # response (teardown runs then) can still replace them, with one call to start_response.
        held = []

        def hold(status, headers, exc_info=None):
            held[:] = [status, headers]
            return lambda data: None  # Flask never writes through this; the body is returned

        try:
            body = self.wsgi_app(environ, hold)
        except Exception as exc:  # noqa: BLE001
            log.exception("failure outside the request on %s", environ.get("PATH_INFO"))
            away = isinstance(exc, DATABASE_ERRORS)
            payload = json.dumps({
                "error": "database_unavailable" if away else "internal_error",
                "message": "The server failed while finishing this request. Send it again: "
                           "an answer sent twice with the same submission id is stored once."}).encode()
            start_response("503 Service Unavailable" if away else "500 Internal Server Error",
                           [("Content-Type", "application/json"), ("Content-Length", str(len(payload))),
                            ("Retry-After", "30")])
            return [payload]
        start_response(*held)
        return body
