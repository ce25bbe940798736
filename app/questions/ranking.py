"""ranking: the question's choices in order of preference, all of them or the top `rank`.
The form asks one select per place; the answer is the list, first place first."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _nl
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from app.questions.base import _WHITESPACE, AnswerError, QuestionType, choice_list, picks_schema
from app.questions.registry import register


def ranking_field_name(q, position: int) -> str:
    return f"{q.key}__{position}"


@register
class Ranking(QuestionType):
    name = "ranking"
    takes_choices = True
    is_list = True
    limits = frozenset({"rank"})
    export_kind = "list"
    xls_type = "rank {list}"
    form_layout = "ranking"

    def parse_fields(self, reader, q, fields):
        rank = reader.number(q, "rank", whole=True, minimum=1)
        if rank and fields.get("choices") and rank > len(fields["choices"]):
            reader.error(f"cannot rank {rank} of {len(fields['choices'])} choices", q.line_of("rank"))
        return {"rank": rank}

    def json_schema(self, q, stakeholder_ids):
        return picks_schema(q, q.choice_values, max_items=q.rank_count)

    def definition_json(self, q):
        return {"rank": q.rank_count}

    def validate(self, q, value, *, stakeholder_ids=()):
        ranked = choice_list(q, value)
        if len(ranked) > q.rank_count:
            raise AnswerError(_nl("Rank at most %(num)s option.", "Rank at most %(num)s options.", q.rank_count))
        return ranked

    def form_fields(self, q, label, choices, stakeholders):
        blank = [SelectChoice("", _l("Choose…"))]
        return {ranking_field_name(q, position): SelectField(label, choices=blank + choices, validate_choice=False)
                for position in range(1, q.rank_count + 1)}

    def from_form(self, q, form, locale):
        picks = [form[ranking_field_name(q, i)].data for i in range(1, q.rank_count + 1)]
        return [p for p in picks if p]

    def to_form(self, q, value, locale):
        return {ranking_field_name(q, i): item for i, item in enumerate(value, start=1)}

    def from_xform_text(self, q, text):
        # ODK's rank widget orders every option; a "top N" ranking keeps the first N.
        return _WHITESPACE.split(text)[:q.rank_count]

    def xpath_contains(self, q, literal):
        if q.rank and q.rank < len(q.choices):
            # selected-at() fails past the end of the list, so each look is guarded by a count
            places = " or ".join(f"(count-selected(${{{q.key}}}) > {i} and selected-at(${{{q.key}}}, {i}) = {literal})"
                                 for i in range(q.rank))
            return f"({places})"
        return super().xpath_contains(q, literal)
