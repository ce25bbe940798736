"""single_choice: one of the question's choices; the only type that may name a demographic dimension."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField

from app.questions.base import AnswerError, QuestionType
from app.questions.registry import register


@register
class SingleChoice(QuestionType):
    name = "single_choice"
    takes_choices = True
    allows_dimension = True
    shared_in_reports = True
    xls_type = "select_one {list}"
    form_layout = "radio"

    def json_schema(self, q, stakeholder_ids):
        return {"enum": list(q.choice_values)}

    def validate(self, q, value, *, stakeholder_ids=()):
        if not isinstance(value, str) or value not in q.choice_values:
            raise AnswerError(_l("Choose one of the options given."))
        return value

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: RadioField(label, choices=choices, validate_choice=False)}
