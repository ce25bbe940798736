"""Check and store one submission: the path every channel's answers take (the JSON API, ODK).

One function, so an answer sent from ODK Collect is held to exactly the rules of one sent to
the JSON API, and a resend is stored once wherever it comes from. Only flushes; the caller
commits (and answers 2xx after the commit).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.core.vocabulary import CLIENT_ID_PATTERN
from app.models import Stakeholder, SurveyVersion
from app.questions import use_stakeholders
from app.responses.submission import existing_response_id, store_response
from app.stakeholders.relationships import relationships_from_response
from app.surveydef.answers import check_answers

#: A submission id, matched whole (fullmatch): with `$`, a trailing newline slipped through.
SUBMISSION_ID = re.compile(CLIENT_ID_PATTERN)


@dataclass(frozen=True)
class Intake:
    """What became of a submission: stored (`created`), stored before (a resend), or refused."""

    response_id: int | None
    created: bool = False
    #: {question key: message}: the submission was refused and nothing was stored.
    errors: dict = field(default_factory=dict)


def take_submission(version: SurveyVersion, submission_id: str, answers: dict, *, lang: str, channel: str,
                    consent_given: bool) -> Intake:
    """Store `answers` to `version` once under `submission_id`, or say why not.

    A submission id stored before is acknowledged with its response, unchecked: the first copy
    was checked when it was stored. Messages in `errors` are lazy: render them in the sender's locale.
    """
    found = existing_response_id(submission_id)
    if found is not None:
        return Intake(found)
    survey = version.survey_def
    stakeholder_ids = Stakeholder.all_ids() if use_stakeholders(survey.questions) else ()
    clean, errors = check_answers(survey, answers, stakeholder_ids=stakeholder_ids)
    if errors:
        return Intake(None, errors=errors)
    response_id, created = store_response(version, submission_id, clean, lang=lang, channel=channel,
                                          consent_given=consent_given, looked_up=True)
    if created:
        relationships_from_response(version, response_id, clean)
    return Intake(response_id, created)
