"""Ties between stakeholders, each with where it came from."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow

RELATIONSHIP_TYPES = ("referral", "shared_data", "joint_programme", "funding", "communication")
PROVENANCES = ("response", "focus_group", "manual", "import")


class Relationship(db.Model):
    __tablename__ = "relationships"
    __table_args__ = (sa.Index("ix_relationships_source_target", "source_id", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="CASCADE"))
    target_id: Mapped[str] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="CASCADE"))
    #: referral, shared_data, joint_programme, funding or communication.
    type: Mapped[str] = mapped_column(sa.String(20))
    weight: Mapped[float] = mapped_column(default=1.0)
    #: When the tie was reported or began (optional).
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: response, focus_group, manual or import; with the response or focus group it came from.
    provenance: Mapped[str] = mapped_column(sa.String(20))
    response_id: Mapped[int | None] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    focus_group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
