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

from app.surveydef.model import Question, SurveyDef
from app.core.vocabulary import CLIENT_ID_PATTERN

#: Text without NUL characters, which no database column can hold (app.core.security.safe_input).
STORABLE_TEXT = "^[^\\u0000]*$"
#: The same, with at least one character that is not white space (a required text answer).
STORABLE_NONBLANK_TEXT = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
#: The envelope's submission id (app.responses.api.SUBMISSION_ID, matched whole).
SUBMISSION_ID_PATTERN = f"^{CLIENT_ID_PATTERN}$"


def _picks(q: Question, values: Collection[str], *, max_items: int | None) -> dict:
    schema: dict = {"type": "array", "uniqueItems": True}
    if values:
        schema["items"] = {"enum": sorted(values)}
    else:
        schema["maxItems"] = 0
        return schema
    low = max(q.min_picks or 0, 1 if q.required else 0)
    if low:
        schema["minItems"] = low
    if max_items is not None:
        schema["maxItems"] = max_items
    return schema


def question_schema(q: Question, stakeholder_ids: Collection[str]) -> dict:
    """The JSON Schema of one question's answer."""
    if q.type in ("single_choice", "likert"):
        return {"enum": list(q.choice_values)}
    if q.type == "multiple_choice":
        exclusive = [c.value for c in q.choices if c.exclusive]
        if not exclusive:
            return _picks(q, q.choice_values, max_items=q.max_picks)
        # An exclusive choice ("None of these") stands alone: either it, or picks among the others.
        others = [value for value in q.choice_values if value not in exclusive]
        alone = [{"type": "array", "items": {"enum": [value]}, "minItems": 1, "maxItems": 1} for value in exclusive]
        return {"oneOf": [_picks(q, others, max_items=q.max_picks), *alone]}
    if q.type == "ranking":
        return _picks(q, q.choice_values, max_items=q.rank_count)
    if q.type == "stakeholders":
        return _picks(q, stakeholder_ids, max_items=q.max_picks)
    if q.type == "number":
        schema: dict = {"type": "integer" if q.integer else "number"}
        if q.min is not None:
            schema["minimum"] = q.min
        if q.max is not None:
            schema["maximum"] = q.max
        return schema
    if q.type == "rating":
        return {"enum": list(q.scale())}
    if q.type in ("short_text", "long_text"):
        return {"type": "string", "maxLength": q.max_length,
                "pattern": STORABLE_NONBLANK_TEXT if q.required else STORABLE_TEXT}
    if q.type == "date":
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
    if q.type == "yes_no":
        return {"type": "boolean"}
    raise ValueError(f"no schema for question type {q.type}")


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
