"""short_text: one line of free text, trimmed, at most `max_length` characters (200 unless given)."""
from __future__ import annotations

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from wtforms import StringField

from app.questions.base import STORABLE_NONBLANK_TEXT, STORABLE_TEXT, AnswerError, QuestionType
from app.questions.registry import register

#: Longest text we ever accept in one answer, whatever a survey file says.
MAX_TEXT_LENGTH = 20000


@register
class ShortText(QuestionType):
    name = "short_text"
    is_text = True
    limits = frozenset({"max_length"})
    column = "text"
    export_kind = "text"
    default_max_length = 200

    def parse_fields(self, reader, q, fields):
        limit = reader.number(q, "max_length", whole=True, minimum=1)
        if limit and limit > MAX_TEXT_LENGTH:
            reader.error(f"'max_length' can be at most {MAX_TEXT_LENGTH}", q.line_of("max_length"))
        return {"max_length": limit or self.default_max_length}

    def json_schema(self, q, stakeholder_ids):
        return {"type": "string", "maxLength": q.max_length,
                "pattern": STORABLE_NONBLANK_TEXT if q.required else STORABLE_TEXT}

    def validate(self, q, value, *, stakeholder_ids=()):
        if not isinstance(value, str):
            raise AnswerError(_l("Enter text."))
        value = value.strip()
        if len(value) > q.max_length:
            raise AnswerError(_nl("Keep this to %(limit)s character or fewer (you wrote %(count)s).",
                                  "Keep this to %(limit)s characters or fewer (you wrote %(count)s).",
                                  q.max_length, limit=format_decimal(q.max_length), count=format_decimal(len(value))))
        return value

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: StringField(label, render_kw={"maxlength": q.max_length})}

    def xls_constraints(self, q):
        return [f"string-length(.) <= {q.max_length}"] if q.max_length else []
