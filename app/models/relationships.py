"""Ties between stakeholders, each with where it came from."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.core.vocabulary import PROVENANCES, RELATIONSHIP_TYPES
from app.models.base import one_of, utcnow

__all__ = ["PROVENANCES", "RELATIONSHIP_TYPES", "Relationship"]


class Relationship(db.Model):
    __tablename__ = "relationships"
    __table_args__ = (
        sa.Index("ix_relationships_source_target", "source_id", "target_id"),
        one_of("type", RELATIONSHIP_TYPES),
        one_of("provenance", PROVENANCES),
        sa.CheckConstraint("weight > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="CASCADE"))
    target_id: Mapped[str] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="CASCADE"))
    #: One of app.core.vocabulary.RELATIONSHIP_TYPES: referral, shared_data, joint_programme, funding, communication.
    type: Mapped[str] = mapped_column(sa.String(20))
    #: How strong the tie is, above 0 (1 unless an import says otherwise); the network report sums it.
    weight: Mapped[float] = mapped_column(default=1.0)
    #: When the tie was reported or began (optional).
    date: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: One of app.core.vocabulary.PROVENANCES (response, focus_group, manual, import); with the
    #: response or focus group it came from, so withdrawing them removes the tie.
    provenance: Mapped[str] = mapped_column(sa.String(20))
    response_id: Mapped[int | None] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"), index=True)
    focus_group_id: Mapped[int | None] = mapped_column(sa.ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
