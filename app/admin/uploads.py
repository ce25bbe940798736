"""Uploaded import files, kept in the database between the preview and the apply (flush only).

The apply reads the bytes stored here, never a second upload, so it changes what the preview
showed; and it claims the upload with one conditional UPDATE, so of two applies of one upload
(a double-click, a replayed form, two tabs) exactly one goes ahead, on SQLite and PostgreSQL.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

import sqlalchemy as sa

from app.core.extensions import db
from app.models import ImportUpload
from app.models.base import utcnow

#: How long a previewed but never applied upload is kept (it may hold contact details).
KEEP_UNAPPLIED = dt.timedelta(days=1)


def digest_of(data: bytes, options: dict) -> str:
    """SHA-256 of the file and the options it was uploaded with."""
    return hashlib.sha256(data + json.dumps(options, sort_keys=True).encode()).hexdigest()


def save_upload(kind: str, filename: str, data: bytes, options: dict, user) -> ImportUpload:
    """Keep an upload for its preview; forget unapplied uploads older than KEEP_UNAPPLIED."""
    db.session.execute(sa.delete(ImportUpload).where(ImportUpload.applied_at.is_(None),
                                                      ImportUpload.created_at < utcnow() - KEEP_UNAPPLIED))
    upload = ImportUpload(token=secrets.token_urlsafe(24), kind=kind, filename=filename[:200],
                          digest=digest_of(data, options), data=data, options=options,
                          user_id=getattr(user, "id", None))
    db.session.add(upload)
    db.session.flush()
    return upload


def find_upload(kind: str, token: str) -> ImportUpload | None:
    return db.session.scalar(sa.select(ImportUpload).where(ImportUpload.token == token, ImportUpload.kind == kind))


def intact(upload: ImportUpload) -> bool:
    """Whether the stored bytes are still those the digest was made of."""
    return digest_of(upload.data, upload.options) == upload.digest


def claim(upload: ImportUpload) -> bool:
    """Mark the upload applied, if no one has: True for the one request that wins.

    A concurrent claim waits for ours to commit or roll back (PostgreSQL's row lock, SQLite's
    single writer), then finds `applied_at` set and gets False; a rollback releases the claim.
    """
    now = utcnow()
    won = db.session.execute(sa.update(ImportUpload).where(
        ImportUpload.id == upload.id, ImportUpload.applied_at.is_(None)).values(applied_at=now)).rowcount == 1
    if won:
        upload.applied_at = now
    return won


def finish(upload: ImportUpload, result: dict) -> None:
    """Keep what the apply did; drop the bytes, which are no longer needed."""
    upload.result = result
    upload.data = b""
    db.session.flush()
