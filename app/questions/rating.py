"""rating: a whole point of a scale from `min` to `max` (1 to 5 unless given; at most 11 points)."""
from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from app.questions.base import AnswerError, QuestionType, check_bounds_order, parse_bounds, xsd_number
from app.questions.registry import register

DEFAULT_RATING = (1, 5)


@register
class Rating(QuestionType):
    name = "rating"
    is_numeric = True
    limits = frozenset({"min", "max", "integer"})
    column = "number"
    export_kind = "integer"
    shared_in_reports = True
    xls_type = "range"
    form_layout = "radio"
    xls_appearance = "rating"

    def parse_fields(self, reader, q, fields):
        own = parse_bounds(reader, q)
        own["min"] = DEFAULT_RATING[0] if own["min"] is None else own["min"]
        own["max"] = DEFAULT_RATING[1] if own["max"] is None else own["max"]
        if own["max"] - own["min"] > 10 or int(own["min"]) != own["min"]:
            reader.error("a rating scale has whole-number points, at most 11 of them", q.line)
        own["integer"] = True
        check_bounds_order(reader, q, own)
        return own

    def json_schema(self, q, stakeholder_ids):
        return {"enum": list(q.scale())}

    def validate(self, q, value, *, stakeholder_ids=()):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value not in q.scale():
            raise AnswerError(_l("Choose a rating from %(min)s to %(max)s.", min=format_decimal(q.min),
                                 max=format_decimal(q.max)))
        return int(value)

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: RadioField(label, choices=[SelectChoice(str(p), str(p)) for p in q.scale()],
                                  validate_choice=False)}

    def from_form(self, q, form, locale):
        data = form[q.key].data
        return int(data) if data and data.isdecimal() and len(data) < 4 else data

    def to_form(self, q, value, locale):
        return {q.key: str(value)}

    def from_column(self, q, stored):
        return int(stored)

    def from_xform_text(self, q, text):
        return xsd_number(text)

    def xls_parameters(self, q):
        return f"start={int(q.min)} end={int(q.max)} step=1"

    def stored_value(self, q, report_value):
        return float(report_value)

    def report_order(self, q):
        return [str(point) for point in q.scale()]
