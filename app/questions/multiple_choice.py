"""multiple_choice: any of the question's choices, within min_picks and max_picks; a choice marked
exclusive ("None of these") stands alone. `Picks` is what it shares with stakeholders."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl

from app.questions.base import AnswerError, CheckboxListField, QuestionType, choice_list, picks_schema
from app.questions.registry import register


class Picks(QuestionType):
    """A list of distinct picks among allowed values, counted by min_picks and max_picks."""

    is_list = True
    limits = frozenset({"min_picks", "max_picks"})
    export_kind = "list"
    xls_type = "select_multiple {list}"
    form_layout = "checkbox"

    def allowed(self, q, stakeholder_ids):
        return q.choice_values

    def parse_fields(self, reader, q, fields):
        own = {"min_picks": reader.number(q, "min_picks", whole=True, minimum=0),
               "max_picks": reader.number(q, "max_picks", whole=True, minimum=1)}
        if own["min_picks"] and own["max_picks"] and own["min_picks"] > own["max_picks"]:
            reader.error("'min_picks' is greater than 'max_picks'", q.line_of("min_picks"))
        return own

    def validate(self, q, value, *, stakeholder_ids=()):
        picks = choice_list(q, value, self.allowed(q, stakeholder_ids))
        if q.min_picks and len(picks) < q.min_picks:
            raise AnswerError(_nl("Choose at least %(num)s option.", "Choose at least %(num)s options.", q.min_picks))
        if q.max_picks and len(picks) > q.max_picks:
            raise AnswerError(_nl("Choose at most %(num)s option.", "Choose at most %(num)s options.", q.max_picks))
        return picks

    def from_form(self, q, form, locale):
        return list(form[q.key].data or [])

    def xls_constraints(self, q):
        parts = []
        if q.min_picks:
            parts.append(f"count-selected(.) >= {q.min_picks}")
        if q.max_picks:
            parts.append(f"count-selected(.) <= {q.max_picks}")
        parts.extend(f"not(selected(., '{value}') and count-selected(.) > 1)" for value in sorted(q.exclusive_values))
        return parts


@register
class MultipleChoice(Picks):
    name = "multiple_choice"
    takes_choices = True
    allows_exclusive = True
    shared_in_reports = True

    def json_schema(self, q, stakeholder_ids):
        exclusive = [c.value for c in q.choices if c.exclusive]
        if not exclusive:
            return picks_schema(q, q.choice_values, max_items=q.max_picks)
        # An exclusive choice ("None of these") stands alone: either it, or picks among the others.
        others = [value for value in q.choice_values if value not in exclusive]
        alone = [{"type": "array", "items": {"enum": [value]}, "minItems": 1, "maxItems": 1} for value in exclusive]
        return {"oneOf": [picks_schema(q, others, max_items=q.max_picks), *alone]}

    def check_exclusive(self, q, clean, label_of):
        if len(clean) < 2:
            return
        for choice in q.choices:
            if choice.exclusive and choice.value in clean:
                raise AnswerError(_l("“%(choice)s” cannot be chosen together with other answers. "
                                     "Untick it, or untick the others.", choice=label_of(choice)))

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: CheckboxListField(label, choices=choices, validate_choice=False)}
