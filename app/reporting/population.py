"""Store baseline rows: insert new figures, replace existing ones. Only flushes."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from app.core.extensions import db
from app.models import PopulationBaseline, SurveyVersion


@dataclass(frozen=True)
class BaselineRow:
    geography: str
    dimension: str
    category: str
    population: int
    year: int
    source: str


def known_categories() -> dict[str, set[str]]:
    """{dimension: {category}} from every loaded survey's demographic questions."""
    known: dict[str, set[str]] = {}
    for version in db.session.scalars(sa.select(SurveyVersion)):
        for q in version.survey_def.questions:
            if q.dimension:
                known.setdefault(q.dimension, set()).update(c.value for c in q.choices if c.value != "prefer_not")
    return known


def store_rows(rows: list[BaselineRow], progress=None) -> tuple[int, int]:
    """(created, updated). `progress` is called once per row (for a progress bar)."""
    existing = {(b.geography, b.dimension, b.category, b.year): b for b in db.session.scalars(sa.select(PopulationBaseline))}
    created = updated = 0
    for row in rows:
        record = existing.get((row.geography, row.dimension, row.category, row.year))
        if record is None:
            db.session.add(PopulationBaseline(geography=row.geography, dimension=row.dimension, category=row.category,
                                              population=row.population, year=row.year, source=row.source))
            created += 1
        elif (record.population, record.source) != (row.population, row.source):
            record.population, record.source = row.population, row.source
            updated += 1
        if progress:
            progress()
    db.session.flush()
    return created, updated
