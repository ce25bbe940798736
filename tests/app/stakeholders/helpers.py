"""What the registry and the relationships table hold, read back for assertions."""
import sqlalchemy as sa

from app.core.extensions import db
from app.models import Relationship, Stakeholder


def registry(app) -> dict:
    """{id: (name, sector, kind, neighbourhood, contact)} of every stakeholder."""
    with app.app_context():
        return {s.id: (s.name, s.sector, s.kind, s.neighbourhood, s.contact)
                for s in db.session.scalars(sa.select(Stakeholder))}


def ties(app) -> list:
    """(source, target, type, weight, date, provenance) of every relationship, in insert order."""
    with app.app_context():
        return [(r.source_id, r.target_id, r.type, r.weight, r.date, r.provenance)
                for r in db.session.scalars(sa.select(Relationship).order_by(Relationship.id))]
