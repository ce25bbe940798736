"""Storing a response exactly once: the operation behind the API and the resident form.

Operations here only flush; the route commits once, and answers 2xx after the commit.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.core.demographics import pattern_from_answers
from app.core.extensions import db
from app.core.idempotent import add_once
from app.models import Answer, Response, ResponseRanking, SurveyVersion, TextAnswer
from app.models.responses import PATTERN
from app.questions import question_type
from app.reporting.list_answers import ITEM_SEPARATOR
from app.surveydef.model import Question, SurveyDef
from app.tasks.queue import after_commit


def answer_rows(q: Question, value, lang: str) -> list[dict]:
    """Typed rows for one clean answer, ready for a bulk insert into `answers`."""
    return question_type(q.type).answer_rows(q, value, lang)


def answers_from_rows(survey: SurveyDef, rows) -> dict:
    """The inverse of answer_rows: {key: value} in API form, from Answer rows of one response."""
    by_key: dict[str, list] = {}
    for row in sorted(rows, key=lambda r: (r.question_key, r.position)):
        by_key.setdefault(row.question_key, []).append(row)
    result: dict = {}
    for key, own in by_key.items():
        q = survey.question(key)
        if q is not None:
            result[key] = question_type(q.type).answer_value(q, own)
    return result


def ranking_rows(survey: SurveyDef, clean: dict, response_id: int) -> list[dict]:
    """response_rankings rows of one response: each answered ranking question's items, in order."""
    return [{"response_id": response_id, "question_key": q.key, "ranking": ITEM_SEPARATOR.join(clean[q.key])}
            for q in survey.questions if q.type == "ranking" and clean.get(q.key)]


def store_text_answers(response: Response, keys: list[str]) -> sa.Insert:
    """INSERT … SELECT of the text_answers rows of `response`'s free-text answers under `keys`
    (their ids come from the database, so one statement after the answers' executemany)."""
    copied = {"response_id": sa.literal(response.id), "survey_id": sa.literal(response.survey_id),
              "channel": sa.literal(response.channel), "submitted_at": sa.literal(response.submitted_at, sa.DateTime),
              "demographics": sa.cast(sa.literal(response.demographics, sa.Text), PATTERN)}
    rows = sa.select(Answer.id, Answer.question_key, sa.func.coalesce(Answer.lang, response.lang), *copied.values()).where(
        Answer.response_id == response.id, Answer.question_key.in_(keys), Answer.text.is_not(None), Answer.text != "")
    return sa.insert(TextAnswer).from_select(["answer_id", "question_key", "lang", *copied], rows)


def existing_response_id(submission_id: str) -> int | None:
    return db.session.scalar(sa.select(Response.id).where(Response.submission_id == submission_id))


def store_response(version: SurveyVersion, submission_id: str, clean: dict, *, lang: str,
                   channel: str, consent_given: bool, submitted_at: dt.datetime | None = None,
                   looked_up: bool = False) -> tuple[int, bool]:
    """Insert the response and its answers unless `submission_id` is stored already.

    Returns ``(response_id, created)``. A concurrent duplicate loses the race on the unique
    submission id; only our insert is undone (a savepoint) and we return the winner's id, so nothing is stored twice.
    `looked_up`: the caller has just found no response with this id (one query fewer per submission).
    """
    found = None if looked_up else existing_response_id(submission_id)
    if found is not None:
        return found, False
    survey = version.survey_def
    dimension_of = {q.key: q.dimension for q in survey.questions if q.dimension}
    response = Response(
        submission_id=submission_id, survey_id=version.survey_id, survey_version_id=version.id,
        lang=lang, channel=channel, consent_version=survey.consent_version, consent_given=consent_given,
        demographics=pattern_from_answers(dimension_of, ((key, clean.get(key)) for key in dimension_of)),
        **({"submitted_at": submitted_at} if submitted_at else {}),
    )
    stored, created = add_once(response, lambda: existing_response_id(submission_id))
    if not created:
        return stored, False
    rows = [
        {**row, "response_id": response.id}
        for q in survey.questions if q.key in clean
        for row in answer_rows(q, clean[q.key], lang)
    ]
    if rows:
        # Every row carries every column and NULLs are sent as such, so one executemany inserts
        # the whole response (otherwise the ORM groups rows by the columns they set: one INSERT each).
        db.session.execute(sa.insert(Answer).execution_options(render_nulls=True), rows)
    rankings = ranking_rows(survey, clean, response.id)
    if rankings:  # in the same transaction as the answers: the alignment report reads these
        db.session.execute(sa.insert(ResponseRanking), rankings)
    text_keys = [q.key for q in survey.questions if question_type(q.type).is_text and clean.get(q.key)]
    if text_keys:  # the themes report reads these rows; in the same transaction as the answers
        db.session.execute(store_text_answers(response, text_keys))
        after_commit("tag_texts")  # tagged in the background once stored, never inside a report's GET
    return response.id, True
