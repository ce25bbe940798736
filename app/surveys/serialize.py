"""Survey definitions as JSON in a language, in the shape DESIGN.md promises."""
from __future__ import annotations

from app.models import SurveyVersion
from app.questions import question_type
from app.surveydef.model import Choice, Question
from app.surveydef.texts import SurveyTranslator


def question_json(q: Question, t: SurveyTranslator) -> dict:
    data = {"key": q.key, "type": q.type, "label": t(f"{q.key}.label", q.label), "required": q.required}
    if q.hint:
        data["hint"] = t(f"{q.key}.hint", q.hint)
    if q.choices:
        data["choices"] = [_choice_json(q, c, t) for c in q.choices]
    optional = {
        "dimension": q.dimension, "min": q.min, "max": q.max, "min_picks": q.min_picks,
        "max_picks": q.max_picks, "max_length": q.max_length, "relevant": q.relevant,
        "relationship": q.relationship,
    }
    data.update({k: v for k, v in optional.items() if v is not None})
    data.update(question_type(q.type).definition_json(q))
    return data


def _choice_json(q: Question, c: Choice, t: SurveyTranslator) -> dict:
    """{"value", "label"}, and "exclusive": true for a choice that cannot be combined with others
    (left out otherwise, so every other choice keeps the shape clients know)."""
    data = {"value": c.value, "label": t(f"{q.key}.choice.{c.value}", c.label)}
    if c.exclusive:
        data["exclusive"] = True
    return data


def survey_json(version: SurveyVersion, t: SurveyTranslator, languages: list[str]) -> dict:
    s = version.survey_def
    return {
        "slug": s.slug,
        "version": version.number,
        "kind": s.kind,
        "language": s.language,
        "lang": t.lang,
        "languages": languages,
        "title": t("title", s.title),
        "intro": t("intro", s.intro),
        "consent": {"version": s.consent_version, "text": t("consent", s.consent_text)},
        "pages": [
            {"key": p.key, "title": t(f"page.{p.key}.title", p.title),
             "questions": [question_json(q, t) for q in p.questions]}
            for p in s.pages
        ],
    }
