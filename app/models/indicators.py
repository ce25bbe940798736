"""Shared-measurement indicators: their definitions as immutable versions, and reported values."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.models.base import utcnow


class Indicator(db.Model):
    """One indicator, by the stable key of its file (`surveys/indicators/<key>.yaml`)."""

    __tablename__ = "indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable public identifier, used in URLs, the API and the values CSV.
    key: Mapped[str] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)

    @classmethod
    def by_key(cls, key: str) -> Indicator | None:
        return db.session.scalar(sa.select(cls).where(cls.key == key))

    def latest_version(self) -> IndicatorVersion | None:
        return db.session.scalar(
            sa.select(IndicatorVersion).where(IndicatorVersion.indicator_id == self.id)
            .order_by(IndicatorVersion.number.desc()).limit(1))


class IndicatorVersion(db.Model):
    """One loaded content of an indicator file; never changed once stored (as survey versions)."""

    __tablename__ = "indicator_versions"
    __table_args__ = (sa.UniqueConstraint("indicator_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id"), index=True)
    #: 1, 2, 3… per indicator, in load order.
    number: Mapped[int]
    #: SHA-256 of the canonical JSON definition; a load with the same hash stores nothing.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    #: The validated definition (IndicatorDef.to_dict()).
    definition: Mapped[dict] = mapped_column(sa.JSON)
    #: The file it was loaded from.
    source_path: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)


class IndicatorValue(db.Model):
    """A value reported for an indicator whose source is `reported`: one per period, geography
    and (optionally) dimension category. Loading the same cell again replaces its value."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        sa.UniqueConstraint("indicator_id", "period", "geography", "dimension", "category"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(sa.ForeignKey("indicators.id"), index=True)
    #: `2025`, `2025-Q3` or `2025-07`, in the indicator's frequency.
    period: Mapped[str] = mapped_column(sa.String(10))
    #: A baseline geography or neighbourhood; "" is the whole area.
    geography: Mapped[str] = mapped_column(sa.String(100), default="")
    #: A dimension the indicator is broken down by, and one of its categories; "" for the total.
    dimension: Mapped[str] = mapped_column(sa.String(100), default="")
    category: Mapped[str] = mapped_column(sa.String(100), default="")
    value: Mapped[float] = mapped_column(sa.Float)
    #: What the value is a ratio of, when the reporter gave it (provenance, never recomputed).
    numerator: Mapped[float | None] = mapped_column(sa.Float)
    denominator: Mapped[float | None] = mapped_column(sa.Float)
    #: Where the figure comes from, e.g. "Food bank network, monthly returns".
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    #: The partner organisation that reported it; set means partner-reported (shown as such).
    partner_id: Mapped[str | None] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="SET NULL"))
    #: The account that sent it (None for the command line).
    reported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: How it arrived: `csv` (command line), `api`, `form`.
    via: Mapped[str] = mapped_column(sa.String(20), default="csv")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)

    @property
    def partner_reported(self) -> bool:
        return self.partner_id is not None
