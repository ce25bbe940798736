"""Check answers against a survey version: types, constraints, required, and skip logic.

One place decides what a valid answer is, for the JSON API and the resident form alike.
Messages are lazy gettext strings, so they come out in the language of whoever reads them.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Collection

from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from flask_babel.speaklater import LazyString

from app.surveydef.model import Question, SurveyDef
from app.surveydef.relevance import parse_expression


class AnswerError(ValueError):
    """An answer that does not fit its question; `message` is what the respondent reads."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _choice(q: Question, value):
    if not isinstance(value, str) or value not in q.choice_values:
        raise AnswerError(_l("Choose one of the options given."))
    return value


def _choice_list(q: Question, value, allowed: Collection[str] | None = None):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise AnswerError(_l("Choose from the options given."))
    allowed = q.choice_values if allowed is None else allowed
    if any(v not in allowed for v in value):
        raise AnswerError(_l("Choose from the options given."))
    if len(set(value)) != len(value):
        raise AnswerError(_l("Each option can be chosen only once."))
    return list(value)


def _multiple(q: Question, value, allowed=None):
    picks = _choice_list(q, value, allowed)
    if q.min_picks and len(picks) < q.min_picks:
        raise AnswerError(_nl("Choose at least %(num)s option.", "Choose at least %(num)s options.", q.min_picks))
    if q.max_picks and len(picks) > q.max_picks:
        raise AnswerError(_nl("Choose at most %(num)s option.", "Choose at most %(num)s options.", q.max_picks))
    return picks


def _ranking(q: Question, value):
    ranked = _choice_list(q, value)
    if len(ranked) > q.rank_count:
        raise AnswerError(_nl("Rank at most %(num)s option.", "Rank at most %(num)s options.", q.rank_count))
    return ranked


#: The largest magnitude any number answer may have: beyond it a float no longer holds every
#: whole number exactly, and no survey question needs more.
MAX_NUMBER = 10**15


def too_large():
    return _l("This number is too large: enter at most %(digits)s digits.", digits=format_decimal(15))


def _number(q: Question, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise AnswerError(_l("Enter a number."))
    if isinstance(value, float) and not math.isfinite(value):
        # NaN and Infinity reach us from JSON (Python's parser accepts them, and 1e999).
        raise AnswerError(_l("Enter an ordinary number: not infinity and not NaN."))
    if abs(value) > MAX_NUMBER:  # checked before int() or float() of a 4,000-digit integer
        raise AnswerError(too_large())
    if q.integer and value != int(value):
        raise AnswerError(_l("Enter a whole number."))
    if q.min is not None and value < q.min:
        raise AnswerError(_l("Enter a number of at least %(min)s.", min=format_decimal(q.min)))
    if q.max is not None and value > q.max:
        raise AnswerError(_l("Enter a number no greater than %(max)s.", max=format_decimal(q.max)))
    return int(value) if q.integer else float(value)


def _rating(q: Question, value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value not in q.scale():
        raise AnswerError(_l("Choose a rating from %(min)s to %(max)s.", min=format_decimal(q.min),
                             max=format_decimal(q.max)))
    return int(value)


def _text(q: Question, value):
    if not isinstance(value, str):
        raise AnswerError(_l("Enter text."))
    value = value.strip()
    if len(value) > q.max_length:
        raise AnswerError(_nl("Keep this to %(limit)s character or fewer (you wrote %(count)s).",
                              "Keep this to %(limit)s characters or fewer (you wrote %(count)s).",
                              q.max_length, limit=format_decimal(q.max_length), count=format_decimal(len(value))))
    return value


def _date(q: Question, value):
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise AnswerError(_l("Enter a date as year-month-day, for example 2026-03-31.")) from None


def _yes_no(q: Question, value):
    if not isinstance(value, bool):
        raise AnswerError(_l("Answer yes or no."))
    return value


CHECKS: dict[str, Callable] = {
    "single_choice": _choice, "likert": _choice, "multiple_choice": _multiple, "ranking": _ranking,
    "number": _number, "rating": _rating, "short_text": _text, "long_text": _text, "date": _date,
    "yes_no": _yes_no,
}


def _survey_text(survey: SurveyDef, path: str, source: str) -> str:
    """`source`, one of the survey's own texts, in the current locale (source text if untranslated)."""
    from app.core.localize import translator  # app.core.localize reads compiled catalogs: import when used
    return str(translator(survey, str(get_locale()))(path, source))


def check_answer(q: Question, value, *, stakeholder_ids: Collection[str] = (), survey: SurveyDef | None = None):
    """Return the typed, normalised value, or raise AnswerError. With `survey`, a constraint message
    from the survey file comes out in the reader's language, as the built-in messages do."""
    try:
        if q.type == "stakeholders":
            return _multiple(q, value, allowed=stakeholder_ids)
        clean = CHECKS[q.type](q, value)
    except AnswerError:
        if q.constraint_message and survey is not None:
            raise AnswerError(LazyString(_survey_text, survey, f"{q.key}.constraint_message",
                                         q.constraint_message)) from None
        if q.constraint_message:
            raise AnswerError(q.constraint_message) from None
        raise
    _check_exclusive(q, clean, survey)
    return clean


def _check_exclusive(q: Question, picks, survey: SurveyDef | None) -> None:
    """A choice marked exclusive ("None of these") cannot come with any other."""
    if q.type != "multiple_choice" or len(picks) < 2:
        return
    for choice in q.choices:
        if choice.exclusive and choice.value in picks:
            label = (LazyString(_survey_text, survey, f"{q.key}.choice.{choice.value}", choice.label)
                     if survey is not None else choice.label)
            raise AnswerError(_l("“%(choice)s” cannot be chosen together with other answers. "
                                 "Untick it, or untick the others.", choice=label))


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
