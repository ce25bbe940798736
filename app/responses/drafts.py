"""Drafts: a resident's answers saved page by page, and the short code to come back to them."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from app.core.extensions import db
from app.core.idempotent import savepoint
from app.models import Draft, SurveyVersion

#: No 0/O, 1/I/L, 5/S, 2/Z, U/V: a code read aloud or copied from paper is still right.
RESUME_ALPHABET = "346789ABCDEFGHJKMNPQRTWXY"
#: 25^8 ≈ 1.5e11 codes: guessing one is hopeless at any request rate we would serve.
RESUME_CODE_LENGTH = 8


def new_resume_code() -> str:
    return "".join(secrets.choice(RESUME_ALPHABET) for _ in range(RESUME_CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())[:RESUME_CODE_LENGTH * 2]


def draft_for(submission_id: str) -> Draft | None:
    return db.session.scalar(sa.select(Draft).where(Draft.submission_id == submission_id))


def draft_by_code(code: str) -> Draft | None:
    return db.session.scalar(sa.select(Draft).where(Draft.resume_code == normalise_code(code)))


def start_draft(version: SurveyVersion, submission_id: str, lang: str) -> Draft:
    """The draft for `submission_id`, made now if this is the first time (a double tap makes one)."""
    draft = draft_for(submission_id)
    if draft is not None:
        return draft
    draft = Draft(submission_id=submission_id, survey_version_id=version.id, lang=lang, answers={},
                  resume_code=new_resume_code(), consent_version=version.survey_def.consent_version)
    try:
        with savepoint():  # only this insert is undone if refused
            db.session.add(draft)
    except IntegrityError:  # the same submission id raced in, or (very rarely) a code collided
        return draft_for(submission_id) or start_draft(version, submission_id, lang)
    return draft


def save_answers(draft: Draft, answers: dict, page_keys: list[str]) -> None:
    """Replace the answers of one page's questions; a cleared answer is removed."""
    merged = {k: v for k, v in (draft.answers or {}).items() if k not in page_keys}
    merged.update({k: v for k, v in answers.items() if k in page_keys})
    draft.answers = merged  # a new dict, so SQLAlchemy sees the change to the JSON column
