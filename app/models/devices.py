"""Device tokens: ODK Collect or Enketo on a field worker's device, sending to chosen surveys."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.models.base import utcnow


class DeviceToken(db.Model):
    """A token in the URL a device is set up with (as ODK Central's app users have).

    Only the SHA-256 of the token is stored, as for API tokens; it lists, serves and takes
    answers for its surveys and nothing else, and a revoked one is refused (401).
    """

    __tablename__ = "device_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the admin calls the device or its holder ("Tablet 3", "Amina's phone").
    name: Mapped[str] = mapped_column(sa.String(100))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: The first characters, so an admin can tell tokens apart without seeing them.
    prefix: Mapped[str] = mapped_column(sa.String(12))
    #: Slugs of the surveys it may list, download and answer.
    surveys: Mapped[list] = mapped_column(sa.JSON)
    #: The admin who made it (None from the command line).
    created_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
