"""People who sign in (residents never do), their API tokens, and the audit log."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.core.vocabulary import ROLES
from app.models.base import one_of, utcnow

__all__ = ["ROLES", "ApiToken", "AuditEvent", "User"]


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (one_of("role", ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased on the way in; the sign-in name.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    #: Argon2id hash (argon2-cffi), never the password.
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    #: One of app.core.vocabulary.ROLES; what it may do is in app/core/access.py.
    role: Mapped[str] = mapped_column(sa.String(20))
    #: A partner account speaks for one organisation in the registry.
    stakeholder_id: Mapped[str | None] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="SET NULL"))
    #: False: deactivated by an admin; the account cannot sign in and its tokens stop working.
    active: Mapped[bool] = mapped_column(default=True)
    #: The interface language picked on a staff page (a shipped locale code); None: the browser's.
    locale: Mapped[str | None] = mapped_column(sa.String(35))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    #: Bumped on sign-out and password change; a session cookie made before then stops working.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")

    @property
    def is_active(self) -> bool:  # Flask-Login: a deactivated account cannot sign in
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version, so bumping the
        version ends every session made before (app.core.access's user loader compares them)."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        """Sign this account out everywhere (the caller commits)."""
        self.session_version = (self.session_version or 0) + 1


class ApiToken(db.Model):
    """A bearer token for the API; only its SHA-256 is stored, so a database leak reveals no token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: SHA-256 (hex) of the token; the token itself is shown once and never stored.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters, so an admin can tell tokens apart without seeing them.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    #: Set when revoked: the token stops working; the row stays for the audit trail.
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)

    user: Mapped[User] = relationship()


class AuditEvent(db.Model):
    """Who did what and when: sign-ins, exports, role changes, withdrawals, lifted suppression."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, index=True)
    #: The signed-in user or token owner; None for a resident (withdrawal by code) or the CLI.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: A short verb such as "login", "export", "role_change", "withdraw".
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    #: What it was done to, e.g. "survey:community-needs" or "participant:12".
    target: Mapped[str] = mapped_column(sa.String(200), default="")
    #: What else the action needs to be understood: filters, before/after values, counts.
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: The client's address as the request saw it; empty from the command line.
    address: Mapped[str] = mapped_column(sa.String(64), default="")
