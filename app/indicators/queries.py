"""Read-only SQL for survey-based indicators: people per month, aggregated in the database.

Every query groups by the month of submission (`YYYY-MM`) and by the categories it is asked
for (a dimension to break down by, the dimensions to rake on), so a year's figure is the sum of
its months and 100,000 responses come back as a few hundred rows. Withdrawn responses never
count (the same condition as every report, app/reporting/sample.py).
"""
from __future__ import annotations

import sqlalchemy as sa

from app.core.demographics import pattern_values
from app.core.extensions import db
from app.models import Answer, Response
from app.questions import question_type
from app.reporting.scope import stored_category
from app.surveydef.model import Question

#: Question types whose answer is several rows per response (one per value).


def month_of(column) -> sa.ColumnElement:
    """SQL for the `YYYY-MM` of a timestamp column."""
    if db.engine.dialect.name == "postgresql":
        return sa.func.to_char(column, "YYYY-MM")
    return sa.func.strftime("%Y-%m", column)


def response_conditions(survey_id: int, geography_condition: list, filter_by: tuple[str, str] | None) -> list:
    """Standing responses of the survey, in the geography, in one category of a dimension."""
    conditions = [Response.survey_id == survey_id, Response.counted(), *geography_condition]
    if filter_by is not None:
        conditions.append(stored_category(filter_by[0]) == filter_by[1])
    return conditions


def _group_columns(dimensions: tuple[str, ...]) -> list:
    return [stored_category(d).label(f"g{i}") for i, d in enumerate(dimensions)]


#: From this many dimensions on, people are grouped by their stored pattern (one text column) and
#: the pattern is read in Python: cheaper than extracting every dimension from JSON in SQL.
PATTERN_FROM = 2


def value_rows(question: Question, conditions: list, dimensions: tuple[str, ...]) -> list[tuple]:
    """[(month, *categories, value, n)]: people per answer value of a single-valued question, the
    value as stored (a choice, a number or a boolean). Shares and means of any answers derive
    from it, so every indicator reading this question shares one query."""
    month = month_of(Response.submitted_at)
    by_pattern = len(dimensions) >= PATTERN_FROM
    groups = [Response.demographics] if by_pattern else _group_columns(dimensions)
    query = (sa.select(month, *groups, Answer.choice, Answer.number, Answer.boolean, sa.func.count())
             .select_from(Answer).join(Response, Response.id == Answer.response_id)
             .where(*conditions, Answer.question_key == question.key)
             .group_by(month, *groups, Answer.choice, Answer.number, Answer.boolean))
    rows = []
    for row in db.session.execute(query):
        choice, number, boolean, n = row[-4:]
        value = choice if choice is not None else (boolean if boolean is not None else number)
        categories = pattern_values(row[1], dimensions) if by_pattern else tuple(row[1:-4])
        rows.append((row[0], *categories, value, n))
    return rows


def _hit(question: Question, values: tuple[str, ...]) -> sa.ColumnElement:
    """SQL true when an answer row is one of the counted values, as answers are stored."""
    kind = question_type(question.type)
    column = getattr(Answer, "choice" if kind.is_list else kind.column)
    return column.in_(list(dict.fromkeys(kind.stored_value(question, v) for v in values)))


def list_share_rows(question: Question, conditions: list, dimensions: tuple[str, ...],
                   values: tuple[str, ...] = ()) -> list[tuple]:
    """[(month, *categories, answered, hits)] for a multiple-choice or ranking question:
    respondents who answered and those who gave any of the counted answers."""
    month = month_of(Response.submitted_at)
    groups = _group_columns(dimensions)
    hit = _hit(question, values)
    answered = sa.func.count(sa.distinct(Answer.response_id))
    hits = sa.func.count(sa.distinct(sa.case((hit, Answer.response_id))))
    query = (sa.select(month, *groups, answered, hits)
             .select_from(Answer).join(Response, Response.id == Answer.response_id)
             .where(*conditions, Answer.question_key == question.key)
             .group_by(month, *groups))
    return [tuple(row) for row in db.session.execute(query)]


def count_rows(question: Question | None, conditions: list, dimensions: tuple[str, ...]) -> list[tuple]:
    """[(month, *categories, n)]: standing responses (or those that answered `question`)."""
    month = month_of(Response.submitted_at)
    groups = _group_columns(dimensions)
    if question is None:
        query = sa.select(month, *groups, sa.func.count()).where(*conditions)
    else:
        query = (sa.select(month, *groups, sa.func.count(sa.distinct(Answer.response_id)))
                 .select_from(Answer).join(Response, Response.id == Answer.response_id)
                 .where(*conditions, Answer.question_key == question.key))
    return [tuple(row) for row in db.session.execute(query.group_by(month, *groups))]
