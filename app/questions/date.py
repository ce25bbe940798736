"""date: a calendar date, written year-month-day (ISO 8601) in the API and stored as a date."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from app.questions.base import AnswerError, QuestionType
from app.questions.registry import register


@register
class Date(QuestionType):
    name = "date"
    column = "date"
    export_kind = "date"
    xls_type = "date"

    def json_schema(self, q, stakeholder_ids):
        return {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}

    def validate(self, q, value, *, stakeholder_ids=()):
        try:
            if not isinstance(value, str) or len(value) != 10:
                raise ValueError
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise AnswerError(_l("Enter a date as year-month-day, for example 2026-03-31.")) from None

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: StringField(label, render_kw={"type": "date"})}

    def to_column(self, q, value):
        return dt.date.fromisoformat(value)

    def from_column(self, q, stored):
        return stored.isoformat()
