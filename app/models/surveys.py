"""Surveys and their immutable versions."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.extensions import db
from app.models.base import utcnow
from app.surveydef import SurveyDef


class Survey(db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stable public identifier, used in URLs and the API (`/s/<slug>`).
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)

    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number", lazy="raise_on_sql"
    )

    @classmethod
    def by_slug(cls, slug: str) -> Survey | None:
        return db.session.scalar(sa.select(cls).where(cls.slug == slug))

    def latest_version(self) -> SurveyVersion | None:
        return db.session.scalar(
            sa.select(SurveyVersion).where(SurveyVersion.survey_id == self.id)
            .order_by(SurveyVersion.number.desc()).limit(1)
        )


class SurveyVersion(db.Model):
    """One loaded content of a survey file. Never changed once stored: responses pin it."""

    __tablename__ = "survey_versions"
    __table_args__ = (sa.UniqueConstraint("survey_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id"), index=True)
    #: 1, 2, 3… per survey, in load order.
    number: Mapped[int]
    #: SHA-256 of the canonical JSON definition; a load with the same hash stores nothing.
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    #: The validated definition (SurveyDef.to_dict()), what renders and validates this version.
    definition: Mapped[dict] = mapped_column(sa.JSON)
    #: The file it was loaded from, for people reading the admin pages.
    source_path: Mapped[str] = mapped_column(sa.String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")

    @property
    def survey_def(self) -> SurveyDef:
        return _definition(self.id, self.content_hash, self.definition)


def _definition(version_id: int, content_hash: str, definition: dict) -> SurveyDef:
    # Versions never change, so a parsed definition can be kept per (id, hash) for the process.
    cached = _by_version.get((version_id, content_hash))
    if cached is None:
        cached = _by_version[(version_id, content_hash)] = SurveyDef.from_dict(definition)
    return cached


#: Parsed definitions by (version id, hash); a deployment has a handful of versions.
_by_version: dict[tuple[int, str], SurveyDef] = {}
