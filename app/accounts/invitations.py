"""Invitation links: one organisation answers the partner survey without an account.

An admin makes a link for an organisation (admin page or `flask invitations create`); it is
shown once and stored only as a SHA-256 hash, like API tokens, and can be revoked. Whoever opens
it answers for that organisation and no other. Only flushes; the caller commits.
"""
from __future__ import annotations

import hashlib
import secrets

import sqlalchemy as sa

from app.core import audit
from app.core.extensions import db
from app.models import PartnerInvitation
from app.models.base import utcnow

#: Told apart from API tokens (cg_) at a glance, and in the Authorization header.
INVITATION_PREFIX = "cgi_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_invitation(stakeholder_id: str, user=None) -> tuple[PartnerInvitation, str]:
    """A new invitation for the organisation, and its token (shown once, never stored)."""
    token = INVITATION_PREFIX + secrets.token_urlsafe(32)
    invitation = PartnerInvitation(stakeholder_id=stakeholder_id, token_hash=_digest(token), prefix=token[:10],
                                   created_by=getattr(user, "id", None))
    db.session.add(invitation)
    db.session.flush()
    audit.record("invitation_create", f"stakeholder:{stakeholder_id}", user=user, invitation=invitation.id)
    return invitation, token


def live_invitation(invitation_id) -> PartnerInvitation | None:
    """The invitation with this id, unless it was revoked (or its organisation deleted)."""
    if not isinstance(invitation_id, int):
        return None
    invitation = db.session.get(PartnerInvitation, invitation_id)
    return invitation if invitation is not None and invitation.revoked_at is None else None


def invitation_for_token(token: str) -> PartnerInvitation | None:
    """The live invitation a token opens; marks it used."""
    if not token.startswith(INVITATION_PREFIX):
        return None
    invitation = db.session.scalar(sa.select(PartnerInvitation).where(
        PartnerInvitation.token_hash == _digest(token), PartnerInvitation.revoked_at.is_(None)))
    if invitation is not None:
        invitation.last_used_at = utcnow()
    return invitation


def revoke_invitation(invitation: PartnerInvitation, user=None) -> bool:
    """Revoke it (audited); False when it was revoked already."""
    if invitation.revoked_at is not None:
        return False
    invitation.revoked_at = utcnow()
    audit.record("invitation_revoke", f"stakeholder:{invitation.stakeholder_id}", user=user,
                 invitation=invitation.id)
    db.session.flush()
    return True
