"""long_text: free text over several lines, at most `max_length` characters (2000 unless given)."""
from __future__ import annotations

from wtforms import TextAreaField

from app.questions.registry import register
from app.questions.short_text import ShortText


@register
class LongText(ShortText):
    name = "long_text"
    default_max_length = 2000
    xls_appearance = "multiline"

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: TextAreaField(label, render_kw={"maxlength": q.max_length, "rows": 4})}
