"""Rows that keep guessing in check and let partners in without an account: code attempts per
client address, and per-organisation invitation links for the partner survey."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.core.vocabulary import CODE_KINDS
from app.models.base import one_of, utcnow
from app.models.stakeholders import Stakeholder


class CodeAttempt(db.Model):
    """One try of a resume or withdrawal code, counted per client address (app.responses.code_throttle)."""

    __tablename__ = "code_attempts"
    __table_args__ = (sa.Index("ix_code_attempts_address_kind_at", "address", "kind", "at"), one_of("kind", CODE_KINDS))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The client's address, as the request saw it.
    address: Mapped[str] = mapped_column(sa.String(64))
    #: Which code was tried: one of app.core.vocabulary.CODE_KINDS ("resume" or "withdraw").
    kind: Mapped[str] = mapped_column(sa.String(20))
    at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class PartnerInvitation(db.Model):
    """A link that lets one organisation answer partner surveys without an account.

    Only the SHA-256 of the token is stored (as for API tokens), so a database leak opens no
    survey; the link pins the organisation, which becomes the answer's `relationship: self`.
    """

    __tablename__ = "partner_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    stakeholder_id: Mapped[str] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters, so an admin can tell links apart without seeing them.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    #: The admin who made it (None from the command line).
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)

    stakeholder: Mapped[Stakeholder] = relationship()
