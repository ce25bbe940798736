"""yes_no: true or false in the API, "yes" or "no" on forms, in XForms and in reports."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from app.questions.base import AnswerError, QuestionType
from app.questions.registry import register

_WORDS = {"yes": True, "no": False}


@register
class YesNo(QuestionType):
    name = "yes_no"
    column = "boolean"
    export_kind = "boolean"
    shared_in_reports = True
    xls_type = "select_one {list}"
    form_layout = "radio"
    xls_shared_list = "yes_no"

    def json_schema(self, q, stakeholder_ids):
        return {"type": "boolean"}

    def validate(self, q, value, *, stakeholder_ids=()):
        if not isinstance(value, bool):
            raise AnswerError(_l("Answer yes or no."))
        return value

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: RadioField(label, choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                                  validate_choice=False)}

    def from_form(self, q, form, locale):
        data = form[q.key].data
        return _WORDS.get(data, data)

    def to_form(self, q, value, locale):
        return {q.key: "yes" if value else "no"}

    def from_xform_text(self, q, text):
        return _WORDS.get(text, text)

    def xpath_truthy(self, q):
        return f"${{{q.key}}} = 'yes'"

    def xpath_boolean(self, value):
        return "'yes'" if value else "'no'"

    def report_order(self, q):
        return ["yes", "no"]

    def stored_value(self, q, report_value):
        return report_value == "yes"

    def report_labels(self, q, t):
        return {"yes": _("Yes"), "no": _("No")}
