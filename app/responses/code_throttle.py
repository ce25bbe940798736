"""Resume and withdrawal codes are tried a few times per client address, then refused a while.

A code is the only proof a resident has, so guessing must be slow: the campaign tried 600 codes
at 152 a second. Each POST with a code calls `refuse_if_too_many(kind)` first: it counts the
address's tries in the window (a row per try in `code_attempts`, shared by every app process;
Redis can take this over later) and answers 429 once the limit is reached, before any code is
looked up. The try is counted and recorded on a connection of its own, committed at once (as
app.core.counter_store does for sign-in limits), so it counts whatever the view then does, and the
request's session keeps its one commit.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask import request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import TooManyRequests

from app.core.extensions import db
from app.models import CodeAttempt
from app.models.base import utcnow

#: Tries of one kind of code per address in the window. A resident mistypes a few times; a
#: library's or community centre's shared address serves a handful of residents at once.
MAX_TRIES = 20
WINDOW = dt.timedelta(minutes=15)


class TooManyCodes(TooManyRequests):
    clear_message = True  # app.core.errors shows this description as it is
    description = _l("Too many codes were tried from this connection. Wait 15 minutes and try again.")


def refuse_if_too_many(kind: str) -> None:
    """Count this try of a `kind` code ("resume", "withdraw"); raise 429 past MAX_TRIES."""
    address = (request.remote_addr or "")[:64]
    since = utcnow() - WINDOW
    with db.engine.begin() as connection:
        tries = connection.scalar(sa.select(sa.func.count()).select_from(CodeAttempt).where(
            CodeAttempt.address == address, CodeAttempt.kind == kind, CodeAttempt.at >= since))
        if tries < MAX_TRIES:
            connection.execute(sa.insert(CodeAttempt).values(address=address, kind=kind, at=utcnow()))
    if tries >= MAX_TRIES:
        raise TooManyCodes(retry_after=int(WINDOW.total_seconds()))
