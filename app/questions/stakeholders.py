"""stakeholders: picks among the stakeholder register (ids), each pick a relationship of the
kind `relationship` names (`self`: the respondent's own organisation)."""
from __future__ import annotations

from wtforms.fields.choices import SelectChoice

from app.questions.base import CheckboxListField, picks_schema
from app.questions.multiple_choice import Picks
from app.questions.registry import register
from app.surveydef.model import RELATIONSHIP_TYPES


@register
class Stakeholders(Picks):
    name = "stakeholders"
    limits = Picks.limits | {"relationship"}
    uses_stakeholders = True
    xls_shared_list = "stakeholders"

    def allowed(self, q, stakeholder_ids):
        return stakeholder_ids

    def parse_fields(self, reader, q, fields):
        own = super().parse_fields(reader, q, fields)
        relationship = reader.text(q, "relationship", required=False) or None
        if relationship and relationship not in RELATIONSHIP_TYPES:
            reader.error(f"relationship '{relationship}' must be one of {', '.join(RELATIONSHIP_TYPES)}",
                         q.line_of("relationship"))
        own["relationship"] = relationship
        return own

    def json_schema(self, q, stakeholder_ids):
        return picks_schema(q, stakeholder_ids, max_items=q.max_picks)

    def form_fields(self, q, label, choices, stakeholders):
        return {q.key: CheckboxListField(label, choices=[SelectChoice(v, n) for v, n in stakeholders],
                                         validate_choice=False)}
