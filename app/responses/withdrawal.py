"""Consent withdrawn: a focus-group participant (by their facilitator) or a resident's finished
response (by the resident, with their resume code).

Withdrawal sets `withdrawn_at`; nothing is deleted, so the audit trail stays whole, but every
report, export and pooling query leaves the person out from then on. Each withdrawal is
audited once ("withdraw"); withdrawing again changes nothing. Only flushes: the route commits.
"""
from __future__ import annotations

import sqlalchemy as sa

from app.core import audit
from app.core.extensions import db
from app.models import Draft, Participant, Response, SurveyVersion
from app.models.base import utcnow
from app.responses.drafts import normalise_code


class _Resident:
    """The audit's "who" for a resident: no account, so no user id, whoever is signed in."""

    id = None
    email = "resident"


RESIDENT = _Resident()


def withdraw_participant(participant: Participant, user) -> bool:
    """Withdraw a focus-group participant on `user`'s say-so; True if they were not withdrawn yet."""
    if participant.withdrawn_at is not None:
        return False
    participant.withdrawn_at = utcnow()
    audit.record("withdraw", f"participant:{participant.id}", user=user,
                 focus_group=participant.focus_group_id, code=participant.code)
    db.session.flush()
    return True


def response_for_code(survey_id: int, code: str) -> Response | None:
    """The finished response of `survey_id` whose draft had this resume code, or None."""
    normalised = normalise_code(code or "")
    if not normalised:
        return None
    return db.session.scalar(
        sa.select(Response).join(Draft, Draft.response_id == Response.id)
        .join(SurveyVersion, SurveyVersion.id == Draft.survey_version_id)
        .where(Draft.resume_code == normalised, SurveyVersion.survey_id == survey_id)
    )


def withdraw_response(response: Response) -> bool:
    """Withdraw a resident's response (audited with no user); True if it was not withdrawn yet."""
    if response.withdrawn_at is not None:
        return False
    response.withdrawn_at = utcnow()
    audit.record("withdraw", f"response:{response.id}", user=RESIDENT, by="resume_code")
    db.session.flush()
    return True
