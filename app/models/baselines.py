"""Population baselines: the community's own figures that representation is measured against."""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db


class PopulationBaseline(db.Model):
    __tablename__ = "population_baselines"
    __table_args__ = (sa.UniqueConstraint("geography", "dimension", "category", "year"),
                      sa.CheckConstraint("population >= 0", name="population_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: "city", a district or a neighbourhood name.
    geography: Mapped[str] = mapped_column(sa.String(100))
    #: Same dimension and category keys as demographic questions and focus-group participants.
    dimension: Mapped[str] = mapped_column(sa.String(100))
    category: Mapped[str] = mapped_column(sa.String(100))
    #: People in the category (a count, not a share); the report turns counts into shares.
    population: Mapped[int]
    #: The figure's year; 0 when the source gave none.
    year: Mapped[int] = mapped_column(default=0)
    #: Where the figure comes from, e.g. "2021 Census, table DP05".
    source: Mapped[str] = mapped_column(sa.String(300), default="")
