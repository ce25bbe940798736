"""What an import of checked records would change, worked out without changing anything.

The admin's preview shows this before the apply; the apply runs app.stakeholders.operations on
the same records, which match rows by the same keys (a stakeholder's id; a tie's source, target,
type and date among the imported ties), so the preview says what the apply does.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Relationship, Stakeholder
from app.stakeholders.operations import EDITABLE_FIELDS
from app.stakeholders.validation import tie_key

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class Change:
    """One record's effect: created, updated or unchanged, and {field: (before, after)} for an update."""

    status: str
    record: dict
    fields: dict = field(default_factory=dict)


def stakeholder_changes(records: list[dict]) -> list[Change]:
    """For each checked stakeholder record: new id (created), or the fields it would change."""
    ids = [r["id"] for r in records]
    existing = {s.id: s for s in db.session.scalars(sa.select(Stakeholder).where(Stakeholder.id.in_(ids)))}
    changes = []
    for clean in records:
        stakeholder = existing.get(clean["id"])
        if stakeholder is None:
            changes.append(Change(CREATED, clean))
            continue
        fields = {name: (getattr(stakeholder, name), clean[name]) for name in EDITABLE_FIELDS
                  if name in clean and getattr(stakeholder, name) != clean[name]}
        changes.append(Change(UPDATED if fields else UNCHANGED, clean, fields))
    return changes


def relationship_changes(records: list[dict], provenance: str = "import") -> list[Change]:
    """For each checked tie: added, its weight updated (before, after), or unchanged."""
    sources = {r["source_id"] for r in records}
    existing = {
        tie_key({"source_id": r.source_id, "target_id": r.target_id, "type": r.type, "date": r.date}): r.weight
        for r in db.session.scalars(sa.select(Relationship).where(
            Relationship.provenance == provenance, Relationship.source_id.in_(sources)))
    } if sources else {}
    changes = []
    for clean in records:
        before = existing.get(tie_key(clean))
        if before is None:
            changes.append(Change(CREATED, clean))
        elif before != clean["weight"]:
            changes.append(Change(UPDATED, clean, {"weight": (before, clean["weight"])}))
        else:
            changes.append(Change(UNCHANGED, clean))
    return changes
