"""JSON Schemas for a survey's answers, so the OpenAPI document says exactly which bodies the
API accepts for each loaded survey (app.surveydef.answers decides; this mirrors it).

Each loaded survey gets a concrete path, `/surveys/<slug>/responses`, beside the templated one;
OpenAPI matches concrete paths first. The schemas are, if anything, stricter than the checks
(a text at most max_length long before trimming, not after), never looser, except for required
questions that skip logic can hide: those are required only when relevant, which a schema cannot
say, so they are listed in the question's description instead.
"""
from __future__ import annotations

from collections.abc import Collection

from app.core.vocabulary import CLIENT_ID_PATTERN
from app.questions import question_type
from app.questions.base import STORABLE_TEXT
from app.surveydef.model import Question, SurveyDef

#: The envelope's submission id (app.responses.intake.SUBMISSION_ID, matched whole).
SUBMISSION_ID_PATTERN = f"^{CLIENT_ID_PATTERN}$"


def question_schema(q: Question, stakeholder_ids: Collection[str]) -> dict:
    """The JSON Schema of one question's answer (its type says it)."""
    return question_type(q.type).json_schema(q, stakeholder_ids)


def answers_schema(survey: SurveyDef, stakeholder_ids: Collection[str]) -> dict:
    """The `answers` object of a submission to `survey`: its question keys and nothing else."""
    properties = {}
    for q in survey.questions:
        schema = question_schema(q, stakeholder_ids)
        if q.required and q.relevant:
            schema["description"] = f"required when relevant: {q.relevant}"
        properties[q.key] = schema
    return {"type": "object", "properties": properties, "additionalProperties": False,
            "required": [q.key for q in survey.questions if q.required and not q.relevant]}


def envelope_schema(answers: dict) -> dict:
    """A whole submission body around `answers`."""
    return {"type": "object", "required": ["submission_id", "answers"], "properties": {
        "submission_id": {"type": "string", "pattern": SUBMISSION_ID_PATTERN},
        "lang": {"type": "string", "pattern": STORABLE_TEXT, "description": "a language code; the survey's own if unknown"},
        "answers": answers,
        "channel": {"type": "string", "enum": ["api", "web", "paper", "import"],
                    "description": "honoured with an admin's token only; otherwise the answer is recorded as api"},
        "consent": {"type": "object", "required": ["given"],
                    "properties": {"version": {"type": "integer"}, "given": {"const": True}}},
    }}
