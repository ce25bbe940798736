"""number: a number between optional `min` and `max`, whole when `integer` is true. On the form it
is typed as the resident's locale writes numbers (app/questions/written_numbers.py)."""
from __future__ import annotations

import math

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from app.questions.base import (
    MAX_NUMBER, AnswerError, QuestionType, check_bounds_order, parse_bounds, too_large, xpath_number, xsd_number,
)
from app.questions.registry import register
from app.questions.written_numbers import MAX_NUMBER_CHARS, format_number, parse_number


@register
class Number(QuestionType):
    name = "number"
    is_numeric = True
    limits = frozenset({"min", "max", "integer"})
    column = "number"
    export_kind = "number"  # "integer" for a whole number, see export_kind_of
    xls_type = "decimal"

    def parse_fields(self, reader, q, fields):
        own = parse_bounds(reader, q)
        own["integer"] = reader.flag(q, "integer")
        check_bounds_order(reader, q, own)
        return own

    def json_schema(self, q, stakeholder_ids):
        schema: dict = {"type": "integer" if q.integer else "number"}
        if q.min is not None:
            schema["minimum"] = q.min
        if q.max is not None:
            schema["maximum"] = q.max
        return schema

    def definition_json(self, q):
        return {"integer": q.integer}

    def validate(self, q, value, *, stakeholder_ids=()):
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

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: StringField(label, render_kw={"inputmode": keypad(q), "maxlength": MAX_NUMBER_CHARS,
                                                     "autocomplete": "off"})}

    def from_form(self, q, form, locale):
        """Text that is not a number stays text, for the check to refuse in its own words; an
        ambiguous one raises AnswerError (asked again)."""
        return parse_number(form[q.key].data, locale)

    def to_form(self, q, value, locale):
        return {q.key: format_number(value, locale)}

    def from_column(self, q, stored):
        return int(stored) if q.integer else stored

    def export_kind_of(self, q):
        return "integer" if q.integer else "number"

    def from_xform_text(self, q, text):
        return xsd_number(text)

    def xls_type_of(self, q):
        return "integer" if q.integer else self.xls_type

    def xls_constraints(self, q):
        parts = []
        if q.min is not None:
            parts.append(f". >= {xpath_number(q.min)}")
        if q.max is not None:
            parts.append(f". <= {xpath_number(q.max)}")
        return parts


def keypad(q) -> str:
    """The phone keypad for a number: digits only, digits and a decimal mark, or (when the answer
    may be negative, and phone number pads have no minus) the full keyboard."""
    if q.min is None or q.min < 0:
        return "text"
    return "numeric" if q.integer else "decimal"
