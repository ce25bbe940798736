"""The stakeholder registry: organisations and groups that partner surveys and focus groups name."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.core.vocabulary import SECTORS
from app.models.base import one_of, utcnow

__all__ = ["SECTORS", "Stakeholder"]


class Stakeholder(db.Model):
    __tablename__ = "stakeholders"
    __table_args__ = (one_of("sector", SECTORS),)

    #: The organisation's own key (from an import or the admin), kept as given.
    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: One of app.core.vocabulary.SECTORS (README, "Stakeholders").
    sector: Mapped[str] = mapped_column(sa.String(40), default="other")
    #: Free description of what it is: "food bank", "tenants' union", "city department"…
    kind: Mapped[str] = mapped_column(sa.String(100), default="")
    neighbourhood: Mapped[str] = mapped_column(sa.String(100), default="")
    #: Contact details: shown to admins only.
    contact: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)

    @classmethod
    def all_ids(cls) -> set[str]:
        return set(db.session.scalars(sa.select(cls.id)))
