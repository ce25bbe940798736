"""The baseline the stored demographic pattern replaced: every respondent's pattern pivoted out
of the answers table (six rows a person) on each report, as app.reporting.sample did before
migration 0005. Kept here only so bench/reports.py can time both in the same run."""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from app.core.extensions import db
from app.models import Answer, Response
from app.reporting.filters import ReportFilters
from app.reporting.sample import dimension_keys, every_dimension, response_conditions, selected_surveys


def pivoted_patterns(filters: ReportFilters) -> dict[tuple, int]:
    """{pattern: people} over the survey's dimensions, by GROUP BY response over its answers."""
    dimensions = every_dimension(filters)
    surveys = selected_surveys(filters)
    keys = dimension_keys(surveys)
    columns = [sa.func.max(sa.case((Answer.question_key.in_(sorted(keys.get(d, ()))), Answer.choice))).label(f"d{i}")
               for i, d in enumerate(dimensions)]
    per_person = (sa.select(Response.id, *columns)
                  .outerjoin(Answer, sa.and_(Answer.response_id == Response.id,
                                             Answer.question_key.in_(set().union(*keys.values()))))
                  .where(*response_conditions(filters, surveys)).group_by(Response.id).subquery())
    cells = [per_person.c[f"d{i}"] for i in range(len(dimensions))]
    patterns: dict[tuple, int] = defaultdict(int)
    for row in db.session.execute(sa.select(*cells, sa.func.count()).group_by(*cells)):
        patterns[tuple(row[:-1])] += row[-1]
    return dict(patterns)


def stored_patterns(filters: ReportFilters) -> dict[tuple, int]:
    """The same table from the stored patterns (what the report does now), for the comparison;
    the benchmark's data has no focus groups, so the participants' part adds nothing."""
    from app.reporting.sample import answer_patterns
    dimensions = every_dimension(filters)
    return answer_patterns(filters, dimensions)
