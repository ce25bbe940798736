"""What people do with the indicators: actions, the story behind the curve, partners' performance
measures and what the public "you said, we did" page shows.

Indicators are named by their key (the file name in surveys/indicators/), the stable identifier
outside scripts use, so these rows outlive a reloaded indicator version.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import one_of, utcnow
from app.models.stakeholders import Stakeholder

#: An action's life; "stopped" keeps an abandoned idea on the record instead of deleting it.
ACTION_STATUSES = ("planned", "in_progress", "done", "stopped")
#: Results-Based Accountability's three kinds of performance measure (Friedman 2005, ch. 3).
MEASURE_KINDS = ("how_much", "how_well", "better_off")
FREQUENCIES = ("month", "quarter", "year")
#: What an admin may put on the public page.
PUBLISHABLE = ("indicator", "theme", "action")


class IndicatorAction(db.Model):
    """Something a partner does to turn an indicator's curve."""

    __tablename__ = "indicator_actions"
    __table_args__ = (one_of("status", ACTION_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The indicator's key (surveys/indicators/<key>.yaml).
    indicator_key: Mapped[str] = mapped_column(sa.String(64), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: The partner that leads it, from the stakeholder registry.
    owner_id: Mapped[str | None] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="SET NULL"))
    start_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    end_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    #: One of ACTION_STATUSES.
    status: Mapped[str] = mapped_column(sa.String(20), default="planned")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)

    owner: Mapped[Stakeholder | None] = relationship()


class CurveStory(db.Model):
    """"The story behind the curve" for one indicator and period: why it looks as it does, in the
    backbone's words, with the residents' own words (quotes) and themes that back it."""

    __tablename__ = "curve_stories"
    __table_args__ = (sa.UniqueConstraint("indicator_key", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_key: Mapped[str] = mapped_column(sa.String(64))
    #: The period the story explains, in the indicator's frequency (2025, 2025-Q3, 2025-07).
    period: Mapped[str] = mapped_column(sa.String(10))
    text: Mapped[str] = mapped_column(sa.Text, default="")
    #: Codebook theme keys the story links to (the themes report for the same period).
    theme_keys: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: Linked quotes: [{"item": themes item key, "theme": key, "text": the quote as shown then}].
    quotes: Mapped[list] = mapped_column(sa.JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class PartnerMeasure(db.Model):
    """A partner's own programme performance measure, in one of the three RBA kinds."""

    __tablename__ = "partner_measures"
    __table_args__ = (one_of("kind", MEASURE_KINDS), one_of("frequency", FREQUENCIES))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The reporting partner; only its own users may report values.
    stakeholder_id: Mapped[str] = mapped_column(sa.ForeignKey("stakeholders.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: One of MEASURE_KINDS.
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: Free unit: "households", "percent", "days"…
    unit: Mapped[str] = mapped_column(sa.String(40), default="")
    #: One of FREQUENCIES; with it, each period's due date.
    frequency: Mapped[str] = mapped_column(sa.String(10), default="quarter")
    target: Mapped[float | None] = mapped_column(sa.Float)
    #: The indicator this programme means to move, if any.
    indicator_key: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)

    stakeholder: Mapped[Stakeholder] = relationship()


class MeasureReport(db.Model):
    """One period's value of a partner measure, as the partner reported it."""

    __tablename__ = "measure_reports"
    __table_args__ = (sa.UniqueConstraint("measure_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(sa.ForeignKey("partner_measures.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(sa.String(10))
    value: Mapped[float] = mapped_column(sa.Float)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    #: Who entered it; a backbone admin entering for a partner shows as such.
    reported_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    #: First reported: on time or late is judged on this, not on later corrections.
    reported_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)

    measure: Mapped[PartnerMeasure] = relationship()


class Publication(db.Model):
    """One thing an admin chose to show on the public "you said, we did" page."""

    __tablename__ = "publications"
    __table_args__ = (sa.UniqueConstraint("kind", "key"), one_of("kind", PUBLISHABLE))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: One of PUBLISHABLE.
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: An indicator key, a codebook theme key, or an action id (as text).
    key: Mapped[str] = mapped_column(sa.String(64))
    published_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    published_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
