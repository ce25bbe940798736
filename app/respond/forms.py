"""WTForms classes built from a survey page, and the conversion of posted fields to API answers.

Each question type maps to one WTForms field; `answers_from_form` turns what was posted into the
same values the JSON API takes, so one validator (app.surveydef.answers) judges both.
"""
from __future__ import annotations

from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

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
            attrs[q.key] = StringField(label, render_kw={"inputmode": "numeric" if q.integer else "decimal"})
        elif q.type == "date":
            attrs[q.key] = StringField(label, render_kw={"type": "date"})
    return type("SurveyPageForm", (PageForm,), attrs)


def answers_from_form(form, questions: list[Question]) -> dict:
    """Posted fields → API answer values; text that is not a number stays text, for the validator to reject."""
    answers = {}
    for q in questions:
        if q.type == "ranking":
            picks = [form[ranking_field_name(q, i)].data for i in range(1, q.rank_count + 1)]
            answers[q.key] = [p for p in picks if p]
            continue
        data = form[q.key].data
        if q.type in ("multiple_choice", "stakeholders"):
            answers[q.key] = list(data or [])
        elif q.type == "rating":
            answers[q.key] = int(data) if data and data.isdigit() else data
        elif q.type == "yes_no":
            answers[q.key] = {"yes": True, "no": False}.get(data, data)
        elif q.type == "number":
            answers[q.key] = _number(data)
        else:
            answers[q.key] = data.strip() if isinstance(data, str) else data
    return answers


def _number(text: str | None):
    """Read a number as the resident writes it in their locale ("3,5" in French, "3.5" in English)."""
    if text is None or not text.strip():
        return None
    text = text.strip()
    for locale in (get_locale() or "en", "en"):
        try:
            value = parse_decimal(text, locale=locale, strict=False)
        except NumberFormatError:
            continue
        return int(value) if value == int(value) else float(value)
    return text


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
        elif q.type in ("rating", "number"):
            data[q.key] = str(value)
        else:
            data[q.key] = value
    return data
