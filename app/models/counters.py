"""Shared counters with an expiry: the sign-in limiter's store when no Redis is configured."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db


class RateCounter(db.Model):
    """One fixed-window counter; every app process and machine reads and bumps the same row."""

    __tablename__ = "rate_counters"

    #: What is counted, e.g. "signin/account/<email>" (prefixed by the limiter).
    key: Mapped[str] = mapped_column(sa.String(255), primary_key=True)
    #: Hits in the current window.
    count: Mapped[int] = mapped_column(sa.Integer, default=0)
    #: When the window ends, in seconds since the epoch; a later hit starts a new window.
    expires_at: Mapped[float] = mapped_column(sa.Float, index=True)
