"""WTForms classes built from a survey page, and the conversion of posted fields to API answers.

Each question type maps to one WTForms field; `answers_from_form` turns what was posted into the
same values the JSON API takes, so one validator (app.surveydef.answers) judges both.
"""
from __future__ import annotations

from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.fields.choices import SelectChoice

from app.questions import question_type
from app.questions.base import AnswerError
from app.surveydef.model import Question
from app.surveydef.texts import SurveyTranslator


class StartForm(FlaskForm):
    """The consent step: carries the submission id made when this form was drawn."""

    submission_id = HiddenField()


class PageForm(FlaskForm):
    """Base for one page of a survey; fields are added per question by make_page_form()."""

    submission_id = HiddenField()


def make_page_form(questions: list[Question], t: SurveyTranslator, stakeholders: list[tuple[str, str]]):
    """A FlaskForm subclass with the fields of each question's type (a ranking has one select per place)."""
    attrs = {}
    for q in questions:
        label = t(f"{q.key}.label", q.label)
        choices = [SelectChoice(c.value, t(f"{q.key}.choice.{c.value}", c.label)) for c in q.choices]
        attrs.update(question_type(q.type).form_fields(q, label, choices, stakeholders))
    return type("SurveyPageForm", (PageForm,), attrs)


def answers_from_form(form, questions: list[Question]) -> tuple[dict, dict]:
    """Posted fields → (API answer values, {key: message} for numbers that must be asked again).
    Text that is not a number stays text, for the validator to reject with its own message."""
    answers, errors = {}, {}
    locale = _locale()
    for q in questions:
        try:
            answers[q.key] = question_type(q.type).from_form(q, form, locale)
        except AnswerError as exc:
            errors[q.key] = exc.message
    return answers, errors


def _locale() -> str:
    return str(get_locale() or "en")


def form_data_from_answers(answers: dict, questions: list[Question]) -> dict:
    """Draft answers → form field data, to show a page again with what was answered before."""
    data = {}
    for q in questions:
        value = answers.get(q.key)
        if value is None:
            continue
        data.update(question_type(q.type).to_form(q, value, _locale()))
    return data
