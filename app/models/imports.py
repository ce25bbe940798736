"""CSV files an admin uploaded in the browser, kept between the preview and the apply.

The preview shows what a file would change; the apply must change exactly that, so the bytes
are kept here under their SHA-256 (never re-sent by the browser), and the row is claimed once
by the apply that wins (`applied_at`), so a double-click or a replayed form applies once.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.core.extensions import db
from app.core.vocabulary import IMPORT_KINDS
from app.models.base import one_of, utcnow


class ImportUpload(db.Model):
    __tablename__ = "import_uploads"
    __table_args__ = (one_of("kind", IMPORT_KINDS),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A random key for the preview's address; unguessable, so one upload cannot be reached from another.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: One of app.core.vocabulary.IMPORT_KINDS: "stakeholders", "relationships" or "baseline".
    kind: Mapped[str] = mapped_column(sa.String(20))
    #: The file's name as the browser gave it, for the page and the audit log.
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    #: SHA-256 of `data` and `options`; checked again before applying.
    digest: Mapped[str] = mapped_column(sa.String(64))
    #: The uploaded bytes; emptied once applied (contact details are not kept longer than needed).
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    #: What else the upload form said: a baseline's mapping text, default year and source.
    options: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, index=True)
    #: Set by the one apply that wins; None until then.
    applied_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime)
    #: What the apply did ({"created", "updated", "unchanged"}), shown again to a repeated apply.
    result: Mapped[dict | None] = mapped_column(sa.JSON)
