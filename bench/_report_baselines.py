"""The slow paths migration 0021 replaced, kept so bench/scale.py can time them in the same run
and the tests can check the fast paths give the same results:

- the alignment report's rankings pivoted out of the answers table (three rows a response);
- the weighted report's join planned as the planner likes (a hash join of a million wide rows,
  then a sort on disk), without app.reports.weighted.merge_in_id_order.
"""
from __future__ import annotations

from unittest import mock

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Response, SurveyVersion
from app.reporting.sample import response_conditions
from app.reporting.scope import stored_category


def pivoted_ranking_counts(filters, surveys, key: str, by: str | None = None) -> dict:
    """app.reports.alignment.ranking_counts as it was before 0021: the same result, from answers."""
    versions = db.session.scalars(sa.select(SurveyVersion).where(SurveyVersion.survey_id.in_([s.id for s in surveys])))
    places = max((len(q.choices) for v in versions if (q := v.survey_def.question(key)) is not None), default=0)
    if not places:
        return {}
    category = stored_category(by) if by else sa.null()
    place_columns = [sa.func.max(Answer.choice).filter(Answer.position == p).label(f"place_{p}") for p in range(places)]
    per_response = (sa.select(Answer.response_id.label("response_id"), category.label("category"), *place_columns)
                    .join(Response, Response.id == Answer.response_id)
                    .where(*response_conditions(filters, surveys), Answer.question_key == key)
                    .group_by(Answer.response_id, *([category] if by else [])).subquery())
    grouped = [per_response.c.category, *(per_response.c[f"place_{p}"] for p in range(places))]
    counted = sa.select(*grouped, sa.func.count(), sa.func.min(per_response.c.response_id)).group_by(*grouped)
    rows = sorted(db.session.execute(counted), key=lambda row: row[-1])
    counts: dict = {}
    for value, *ranking, raters, _first in rows:
        counts.setdefault(value, []).append(([choice for choice in ranking if choice is not None], raters))
    return counts


def default_plan_answer_groups(conditions, question, dimensions):
    """app.reports.weighted.answer_groups with the planner's own choice of join."""
    from app.reports import weighted
    with mock.patch.object(weighted, "merge_in_id_order", lambda: None):
        return weighted.answer_groups(conditions, question, dimensions)
