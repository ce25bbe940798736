"""Check answers against a survey version: types, constraints, required, and skip logic.

One place decides what a valid answer is, for the JSON API and the resident form alike.
Messages are lazy gettext strings, so they come out in the language of whoever reads them.
"""
from __future__ import annotations

from collections.abc import Collection

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.questions import question_type
from app.questions.base import AnswerError
from app.surveydef.model import Choice, Question, SurveyDef
from app.surveydef.relevance import parse_expression


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _survey_text(survey: SurveyDef, path: str, source: str) -> str:
    """`source`, one of the survey's own texts, in the current locale (source text if untranslated)."""
    from app.core.localize import translator  # app.core.localize reads compiled catalogs: import when used
    return str(translator(survey, str(get_locale()))(path, source))


def check_answer(q: Question, value, *, stakeholder_ids: Collection[str] = (), survey: SurveyDef | None = None):
    """Return the typed, normalised value, or raise AnswerError. With `survey`, a constraint message
    from the survey file comes out in the reader's language, as the built-in messages do."""
    kind = question_type(q.type)
    try:
        clean = kind.validate(q, value, stakeholder_ids=stakeholder_ids)
    except AnswerError:
        if q.constraint_message and survey is not None:
            raise AnswerError(LazyString(_survey_text, survey, f"{q.key}.constraint_message",
                                         q.constraint_message)) from None
        if q.constraint_message:
            raise AnswerError(q.constraint_message) from None
        raise

    def label_of(choice: Choice):
        if survey is None:
            return choice.label
        return LazyString(_survey_text, survey, f"{q.key}.choice.{choice.value}", choice.label)

    kind.check_exclusive(q, clean, label_of)  # after the constraint message: it names the choice
    return clean


def relevant_questions(survey: SurveyDef, answers: dict) -> list[Question]:
    """The questions that skip logic keeps, given `answers` (evaluated in survey order)."""
    kept, seen = [], {}
    for q in survey.questions:
        if q.relevant is None or expression(q.relevant).evaluate(seen):
            kept.append(q)
            if q.key in answers:
                seen[q.key] = answers[q.key]
    return kept


_EXPRESSIONS: dict = {}


def expression(source: str):
    """The parsed condition `source` (parsed once per process)."""
    expr = _EXPRESSIONS.get(source)
    if expr is None:
        expr = _EXPRESSIONS[source] = parse_expression(source)
    return expr


def check_answers(survey: SurveyDef, answers: dict, *, stakeholder_ids: Collection[str] = (),
                  only: Collection[str] | None = None) -> tuple[dict, dict]:
    """Validate a whole submission.

    Returns ``(clean, errors)``: typed answers to the relevant questions (answers to questions skip
    logic makes irrelevant are dropped) and ``{key: message}``. With `only`, just those questions
    are checked (one page of the resident form), against the context of all `answers`.
    """
    errors: dict = {}
    known = {q.key for q in survey.questions}
    for key in answers:
        if key not in known:
            errors[key] = _l("This is not a question in this survey.")
    clean: dict = {}
    for q in relevant_questions(survey, answers):
        if only is not None and q.key not in only:
            if q.key in answers and q.key not in errors:
                clean[q.key] = answers[q.key]
            continue
        value = answers.get(q.key)
        if is_empty(value):
            if q.required:
                errors[q.key] = _l("This question needs an answer.")
            continue
        try:
            clean[q.key] = check_answer(q, value, stakeholder_ids=stakeholder_ids, survey=survey)
        except AnswerError as exc:
            errors[q.key] = exc.message
    return clean, errors
