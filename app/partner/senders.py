"""Who sent an answer, and what follows from it for partner surveys and the channel.

Partner surveys (`kind: partner`) feed the stakeholder network and partner priorities, so only
a partner speaks there: a signed-in partner account or a partner's API token (answering for the
organisation its account is linked to), an invitation link or token (answering for the
organisation it was made for), or an admin (for any organisation). The organisation a sender
speaks for is pinned: it becomes the answer to every `relationship: self` question, whatever
was sent. The channel is the server's to set: `web` from the form, `api` from the API, and only
an admin's token may record `paper` or `import` (answers keyed in or loaded in bulk).
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import session
from flask_login import current_user

from app.accounts.invitations import invitation_for_token, live_invitation

#: The session key that holds the id of the invitation this browser opened.
SESSION_KEY = "partner_invitation"
#: Channels only an admin's token may claim.
ADMIN_CHANNELS = ("api", "web", "paper", "import")


@dataclass(frozen=True)
class Sender:
    """`role` is a User role, "invitation", or None (anonymous); `organisation` is pinned when set."""

    role: str | None = None
    organisation: str | None = None
    user: object = None

    @property
    def may_answer_partner_surveys(self) -> bool:
        return self.role == "admin" or (self.role in ("partner", "invitation") and self.organisation is not None)


ANONYMOUS = Sender()


def _from_user(user) -> Sender:
    return Sender(role=user.role, organisation=user.stakeholder_id if user.role == "partner" else None, user=user)


def api_sender(authorization: str) -> Sender:
    """From an `Authorization: Bearer …` header: an API token's owner or an invitation token."""
    from app.core.tokens import user_for_token
    if not authorization.startswith("Bearer "):
        return ANONYMOUS
    token = authorization[len("Bearer "):].strip()
    invitation = invitation_for_token(token)
    if invitation is not None:
        return Sender(role="invitation", organisation=invitation.stakeholder_id)
    user = user_for_token(token)
    return _from_user(user) if user is not None else ANONYMOUS


def web_sender() -> Sender:
    """From the browser's session: the signed-in account, else an invitation link it opened."""
    if current_user.is_authenticated:
        return _from_user(current_user._get_current_object())
    invitation = live_invitation(session.get(SESSION_KEY))
    if invitation is not None:
        return Sender(role="invitation", organisation=invitation.stakeholder_id)
    return ANONYMOUS


def pin_organisation(survey, answers: dict, sender: Sender) -> dict:
    """The answers with every `relationship: self` question set to the sender's organisation."""
    if sender.organisation is None:
        return answers
    selves = {q.key for q in survey.questions if q.type == "stakeholders" and q.relationship == "self"}
    return {**answers, **{key: [sender.organisation] for key in selves}}


def api_channel(sender: Sender, requested) -> str:
    """The channel recorded for an answer sent through the API."""
    if sender.role == "admin" and requested in ADMIN_CHANNELS:
        return requested
    return "api"
