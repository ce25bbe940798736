"""What storing baseline rows would change (before → after), worked out without changing anything.

Rows match stored figures by geography, dimension, category and year, as
app.reporting.population.store_rows matches them.
"""
from __future__ import annotations

import sqlalchemy as sa

from app.baselines.importing import BaselineRow
from app.core.extensions import db
from app.models import PopulationBaseline
from app.stakeholders.preview import CREATED, UNCHANGED, UPDATED, Change


def baseline_changes(rows: list[BaselineRow]) -> list[Change]:
    """For each row: a new figure (created), or {"population"/"source": (before, after)}."""
    geographies = {row.geography for row in rows}
    existing = {(b.geography, b.dimension, b.category, b.year): b for b in db.session.scalars(
        sa.select(PopulationBaseline).where(PopulationBaseline.geography.in_(geographies)))} if rows else {}
    changes = []
    for row in rows:
        record = {"geography": row.geography, "dimension": row.dimension, "category": row.category,
                  "year": row.year, "population": row.population, "source": row.source}
        stored = existing.get((row.geography, row.dimension, row.category, row.year))
        if stored is None:
            changes.append(Change(CREATED, record))
            continue
        fields = {name: (getattr(stored, name), record[name]) for name in ("population", "source")
                  if getattr(stored, name) != record[name]}
        changes.append(Change(UPDATED if fields else UNCHANGED, record, fields))
    return changes
