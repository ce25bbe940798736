"""Storing a response exactly once: the operation behind the API and the resident form.

Operations here only flush; the route commits once, and answers 2xx after the commit.
"""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from app.demographics import pattern_from_answers
from app.extensions import db
from app.idempotent import add_once
from app.list_answers import ITEM_SEPARATOR
from app.models import Answer, Response, ResponseRanking, SurveyVersion
from app.surveydef.model import TEXT_TYPES, Question, SurveyDef
from app.tasks.queue import after_commit

LIST_TYPES = ("multiple_choice", "ranking", "stakeholders")
#: Every row carries every column, so one executemany inserts a whole response.
_EMPTY_ROW = {"choice": None, "text": None, "number": None, "boolean": None, "date": None, "lang": None}


def answer_rows(q: Question, value, lang: str) -> list[dict]:
    """Typed rows for one clean answer, ready for a bulk insert into `answers`."""
    if q.type in LIST_TYPES:
        return [{**_EMPTY_ROW, "question_key": q.key, "position": i, "choice": item}
                for i, item in enumerate(value)]
    row = {**_EMPTY_ROW, "question_key": q.key, "position": 0}
    if q.type in ("single_choice", "likert"):
        row["choice"] = value
    elif q.type in ("number", "rating"):
        row["number"] = value
    elif q.type in ("short_text", "long_text"):
        row.update(text=value, lang=lang)
    elif q.type == "date":
        row["date"] = dt.date.fromisoformat(value)
    elif q.type == "yes_no":
        row["boolean"] = value
    return [row]


def answers_from_rows(survey: SurveyDef, rows) -> dict:
    """The inverse of answer_rows: {key: value} in API form, from Answer rows of one response."""
    result: dict = {}
    for row in sorted(rows, key=lambda r: (r.question_key, r.position)):
        q = survey.question(row.question_key)
        if q is None:
            continue
        if q.type in LIST_TYPES:
            result.setdefault(q.key, []).append(row.choice)
        elif q.type in ("single_choice", "likert"):
            result[q.key] = row.choice
        elif q.type == "number":
            result[q.key] = int(row.number) if q.integer else row.number
        elif q.type == "rating":
            result[q.key] = int(row.number)
        elif q.type in ("short_text", "long_text"):
            result[q.key] = row.text
        elif q.type == "date":
            result[q.key] = row.date.isoformat()
        elif q.type == "yes_no":
            result[q.key] = row.boolean
    return result


def ranking_rows(survey: SurveyDef, clean: dict, response_id: int) -> list[dict]:
    """response_rankings rows of one response: each answered ranking question's items, in order."""
    return [{"response_id": response_id, "question_key": q.key, "ranking": ITEM_SEPARATOR.join(clean[q.key])}
            for q in survey.questions if q.type == "ranking" and clean.get(q.key)]


def existing_response_id(submission_id: str) -> int | None:
    return db.session.scalar(sa.select(Response.id).where(Response.submission_id == submission_id))


def store_response(version: SurveyVersion, submission_id: str, clean: dict, *, lang: str,
                   channel: str, consent_given: bool, submitted_at: dt.datetime | None = None) -> tuple[int, bool]:
    """Insert the response and its answers unless `submission_id` is stored already.

    Returns ``(response_id, created)``. A concurrent duplicate loses the race on the unique
    submission id; only our insert is undone (a savepoint) and we return the winner's id, so nothing is stored twice.
    """
    found = existing_response_id(submission_id)
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
        db.session.execute(sa.insert(Answer), rows)
    rankings = ranking_rows(survey, clean, response.id)
    if rankings:  # in the same transaction as the answers: the alignment report reads these
        db.session.execute(sa.insert(ResponseRanking), rankings)
    if any(q.type in TEXT_TYPES and clean.get(q.key) for q in survey.questions):
        after_commit("tag_texts")  # tagged in the background once stored, never inside a report's GET
    return response.id, True
