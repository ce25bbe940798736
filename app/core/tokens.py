"""API tokens: random, shown once, stored as SHA-256, revocable."""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from app.core.extensions import db
from app.models import ApiToken, User
from app.models.base import utcnow

TOKEN_PREFIX = "cg_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(user: User) -> str:
    """Make a token for `user`; the caller commits. Returns the token, which is never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), prefix=token[:10]))
    return token


def user_for_token(token: str) -> User | None:
    """The active user a live token belongs to; marks the token used."""
    record = db.session.scalar(sa.select(ApiToken).where(
        ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None)))
    if record is None or not record.user.active:
        return None
    record.last_used_at = utcnow()
    return record.user


def revoke_tokens(user: User) -> int:
    """Revoke every live token of `user`; returns how many. The caller commits."""
    tokens = db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    for token in tokens:
        token.revoked_at = utcnow()
    return len(tokens)
