"""WTForms classes built from a survey page, and the conversion of posted fields to API answers.

Each question type maps to one WTForms field; `answers_from_form` turns what was posted into the
same values the JSON API takes, so one validator (app.surveydef.answers) judges both.
"""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from app.responses.numbers import MAX_NUMBER_CHARS, format_number, parse_number
from app.surveydef.answers import AnswerError
from app.surveydef.model import Question
from app.surveydef.texts import SurveyTranslator


class CheckboxListField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StartForm(FlaskForm):
    """The consent step: carries the submission id made when this form was drawn."""

    submission_id = HiddenField()


class PageForm(FlaskForm):
    """Base for one page of a survey; fields are added per question by make_page_form()."""

    submission_id = HiddenField()


def ranking_field_name(q: Question, position: int) -> str:
    return f"{q.key}__{position}"


def make_page_form(questions: list[Question], t: SurveyTranslator, stakeholders: list[tuple[str, str]]):
    """A FlaskForm subclass with one field per question (a ranking gets one select per place)."""
    attrs = {}
    for q in questions:
        label = t(f"{q.key}.label", q.label)
        choices = [SelectChoice(c.value, t(f"{q.key}.choice.{c.value}", c.label)) for c in q.choices]
        if q.type in ("single_choice", "likert"):
            attrs[q.key] = RadioField(label, choices=choices, validate_choice=False)
        elif q.type == "multiple_choice":
            attrs[q.key] = CheckboxListField(label, choices=choices, validate_choice=False)
        elif q.type == "stakeholders":
            attrs[q.key] = CheckboxListField(label, choices=[SelectChoice(v, n) for v, n in stakeholders],
                                             validate_choice=False)
        elif q.type == "rating":
            attrs[q.key] = RadioField(label, choices=[SelectChoice(str(p), str(p)) for p in q.scale()], validate_choice=False)
        elif q.type == "yes_no":
            attrs[q.key] = RadioField(label, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))], validate_choice=False)
        elif q.type == "ranking":
            blank = [SelectChoice("", _l("Choose…"))]
            for position in range(1, q.rank_count + 1):
                attrs[ranking_field_name(q, position)] = SelectField(
                    label, choices=blank + choices, validate_choice=False)
        elif q.type == "long_text":
            attrs[q.key] = TextAreaField(label, render_kw={"maxlength": q.max_length, "rows": 4})
        elif q.type == "short_text":
            attrs[q.key] = StringField(label, render_kw={"maxlength": q.max_length})
        elif q.type == "number":
            attrs[q.key] = StringField(label, render_kw={"inputmode": _keypad(q), "maxlength": MAX_NUMBER_CHARS,
                                                         "autocomplete": "off"})
        elif q.type == "date":
            attrs[q.key] = StringField(label, render_kw={"type": "date"})
    return type("SurveyPageForm", (PageForm,), attrs)


def _keypad(q: Question) -> str:
    """The phone keypad for a number: digits only, digits and a decimal mark, or (when the answer
    may be negative, and phone number pads have no minus) the full keyboard."""
    if q.min is None or q.min < 0:
        return "text"
    return "numeric" if q.integer else "decimal"


def answers_from_form(form, questions: list[Question]) -> tuple[dict, dict]:
    """Posted fields → (API answer values, {key: message} for numbers that must be asked again).
    Text that is not a number stays text, for the validator to reject with its own message."""
    answers, errors = {}, {}
    for q in questions:
        if q.type == "ranking":
            picks = [form[ranking_field_name(q, i)].data for i in range(1, q.rank_count + 1)]
            answers[q.key] = [p for p in picks if p]
            continue
        data = form[q.key].data
        if q.type in ("multiple_choice", "stakeholders"):
            answers[q.key] = list(data or [])
        elif q.type == "rating":
            answers[q.key] = int(data) if data and data.isdecimal() and len(data) < 4 else data
        elif q.type == "yes_no":
            answers[q.key] = {"yes": True, "no": False}.get(data, data)
        elif q.type == "number":
            try:
                answers[q.key] = parse_number(data, _locale())
            except AnswerError as exc:
                errors[q.key] = exc.message
        else:
            answers[q.key] = data.strip() if isinstance(data, str) else data
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
        if q.type == "ranking":
            for i, item in enumerate(value, start=1):
                data[ranking_field_name(q, i)] = item
        elif q.type == "yes_no":
            data[q.key] = "yes" if value else "no"
        elif q.type == "number":
            data[q.key] = format_number(value, _locale())
        elif q.type == "rating":
            data[q.key] = str(value)
        else:
            data[q.key] = value
    return data
