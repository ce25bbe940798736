"""Changes to the stakeholder registry and its ties. Operations here only flush; the caller (a
route or a command) commits once, so a failure leaves nothing half-changed.

Every function takes records already checked by app.stakeholders.validation.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Relationship, Stakeholder, User
from app.stakeholders.validation import tie_key

log = logging.getLogger("common_ground.stakeholders")

#: Stakeholder fields a record may set; `id` is the key and never changes.
EDITABLE_FIELDS = ("name", "sector", "kind", "neighbourhood", "contact")


@dataclass
class Applied:
    """What an import did: the keys it created, those it updated, and all of them in input order."""

    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    ids: list = field(default_factory=list)

    def add(self, key, created: bool) -> None:
        self.ids.append(key)
        (self.created if created else self.updated).append(key)

    def to_json(self) -> dict:
        return {"created": len(self.created), "updated": len(self.updated), "ids": self.ids}


def create_stakeholder(clean: dict) -> Stakeholder:
    """Add a new stakeholder from a checked record (fields not given are blank)."""
    stakeholder = Stakeholder(id=clean["id"], name=clean["name"], sector=clean["sector"],
                              kind=clean.get("kind", ""), neighbourhood=clean.get("neighbourhood", ""),
                              contact=clean.get("contact", ""))
    db.session.add(stakeholder)
    db.session.flush()
    return stakeholder


def update_stakeholder(stakeholder: Stakeholder, clean: dict) -> list[str]:
    """Set the fields the record gives; returns the names of the fields that changed."""
    changed = []
    for name in EDITABLE_FIELDS:
        if name in clean and getattr(stakeholder, name) != clean[name]:
            setattr(stakeholder, name, clean[name])
            changed.append(name)
    db.session.flush()
    return changed


def upsert_stakeholders(records: Iterable[dict]) -> Applied:
    """Create the records whose id is new and update the others (an import, the API)."""
    records = list(records)
    ids = [r["id"] for r in records]
    existing = {s.id: s for s in db.session.scalars(sa.select(Stakeholder).where(Stakeholder.id.in_(ids)))}
    applied = Applied()
    for clean in records:
        if clean["id"] in existing:
            update_stakeholder(existing[clean["id"]], clean)
            applied.add(clean["id"], created=False)
        else:
            existing[clean["id"]] = create_stakeholder(clean)
            applied.add(clean["id"], created=True)
    return applied


def ties_of(stakeholder_id: str) -> int:
    """How many relationships name this stakeholder as source or target."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Relationship).where(
        sa.or_(Relationship.source_id == stakeholder_id, Relationship.target_id == stakeholder_id)))


def delete_stakeholder(stakeholder: Stakeholder) -> int:
    """Delete a stakeholder with its ties, and unlink accounts that spoke for it.

    Done explicitly rather than by the foreign keys' ON DELETE, so it is the same on SQLite and
    PostgreSQL whatever the connection's foreign-key setting. Returns how many ties went with it.
    """
    removed = db.session.execute(sa.delete(Relationship).where(sa.or_(
        Relationship.source_id == stakeholder.id, Relationship.target_id == stakeholder.id))).rowcount
    db.session.execute(sa.update(User).where(User.stakeholder_id == stakeholder.id).values(stakeholder_id=None))
    db.session.delete(stakeholder)
    db.session.flush()
    return removed


def add_relationships(records: Iterable[dict], provenance: str) -> Applied:
    """Add checked ties with `provenance` ("import" or "manual").

    A tie that matches one already recorded with the same provenance (same source, target, type
    and date) gets the new weight instead of a second copy, so importing a file twice is harmless.
    """
    records = list(records)
    sources = {r["source_id"] for r in records}
    existing = {
        tie_key({"source_id": r.source_id, "target_id": r.target_id, "type": r.type, "date": r.date}): r
        for r in db.session.scalars(sa.select(Relationship).where(
            Relationship.provenance == provenance, Relationship.source_id.in_(sources)))
    } if sources else {}
    applied, pending = Applied(), []
    for clean in records:
        found = existing.get(tie_key(clean))
        if found is not None:
            found.weight = clean["weight"]
        else:
            found = existing[tie_key(clean)] = Relationship(
                source_id=clean["source_id"], target_id=clean["target_id"], type=clean["type"],
                weight=clean["weight"], date=clean["date"], provenance=provenance)
            db.session.add(found)
        pending.append((found, found.id is None))
    db.session.flush()  # assigns the new ids
    for relationship, created in pending:
        applied.add(relationship.id, created=created)
    return applied


def delete_relationship(relationship: Relationship) -> None:
    db.session.delete(relationship)
    db.session.flush()
