"""Who answered: demographic counts and answer patterns from responses and focus-group
participants, aggregated in SQL. Withdrawn people are never counted."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Answer, FocusGroup, Participant, ParticipantAttribute, PopulationBaseline, Response, Survey, SurveyVersion,
)
from app.reports.filters import ALL, ReportFilters

MISSING = "missing"


def selected_surveys(filters: ReportFilters) -> list[Survey]:
    query = sa.select(Survey).order_by(Survey.slug)
    if filters.survey and filters.survey != ALL:
        query = query.where(Survey.slug == filters.survey)
    return list(db.session.scalars(query))


def dimension_keys(surveys: list[Survey]) -> dict[str, set[str]]:
    """{dimension: {question keys}} over every version of the surveys (keys are stable ids)."""
    found: dict[str, set[str]] = defaultdict(set)
    versions = db.session.scalars(sa.select(SurveyVersion).where(SurveyVersion.survey_id.in_([s.id for s in surveys])))
    for version in versions:
        for q in version.survey_def.questions:
            if q.dimension:
                found[q.dimension].add(q.key)
    return dict(found)


def response_conditions(filters: ReportFilters, surveys: list[Survey]) -> list:
    conditions = [Response.withdrawn_at.is_(None), Response.survey_id.in_([s.id for s in surveys])]
    if filters.channel != ALL:
        conditions.append(Response.channel == filters.channel)
    if filters.date_from:
        conditions.append(Response.submitted_at >= dt.datetime.combine(filters.date_from, dt.time.min))
    if filters.date_to:
        conditions.append(Response.submitted_at < dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min))
    if filters.lang:
        conditions.append(Response.lang == filters.lang)
    return conditions


def include_focus_groups(filters: ReportFilters) -> bool:
    return filters.channel in (ALL, "focus_group")


def participant_conditions(filters: ReportFilters) -> list:
    conditions = [Participant.withdrawn_at.is_(None), Participant.consent_given.is_(True)]
    if filters.date_from:
        conditions.append(FocusGroup.date >= filters.date_from)
    if filters.date_to:
        conditions.append(FocusGroup.date <= filters.date_to)
    if filters.lang:
        conditions.append(FocusGroup.lang == filters.lang)
    return conditions


def sample_counts(filters: ReportFilters) -> tuple[dict[str, dict], int]:
    """({dimension: {category: n, "missing": n}}, number of people) pooled over the channels chosen."""
    surveys = selected_surveys(filters)
    keys = dimension_keys(surveys)
    counts: dict[str, dict] = {dimension: defaultdict(int) for dimension in keys}
    key_dimension = {key: dimension for dimension, ks in keys.items() for key in ks}
    people = 0
    if filters.channel != "focus_group" and keys:
        conditions = response_conditions(filters, surveys)
        people = db.session.scalar(sa.select(sa.func.count()).select_from(Response).where(*conditions))
        rows = db.session.execute(
            sa.select(Answer.question_key, Answer.choice, sa.func.count())
            .join(Response, Response.id == Answer.response_id)
            .where(*conditions, Answer.question_key.in_(key_dimension))
            .group_by(Answer.question_key, Answer.choice))
        for key, choice, n in rows:
            counts[key_dimension[key]][choice] += n
    if include_focus_groups(filters):
        conditions = participant_conditions(filters)
        participants = db.session.scalar(
            sa.select(sa.func.count()).select_from(Participant).join(FocusGroup).where(*conditions))
        people += participants
        rows = db.session.execute(
            sa.select(ParticipantAttribute.dimension, ParticipantAttribute.category, sa.func.count())
            .join(Participant, Participant.id == ParticipantAttribute.participant_id).join(FocusGroup)
            .where(*conditions).group_by(ParticipantAttribute.dimension, ParticipantAttribute.category))
        for dimension, category, n in rows:
            counts.setdefault(dimension, defaultdict(int))[category] += n
    for dimension, categories in counts.items():
        categories[MISSING] = max(people - sum(n for c, n in categories.items() if c != MISSING), 0)
    return {d: dict(c) for d, c in counts.items()}, people


def answer_patterns(filters: ReportFilters, dimensions: list[str]) -> list[tuple[dict, int]]:
    """[(pattern, count)]: how many people gave each combination of answers on `dimensions`,
    so raking works on a few thousand patterns instead of every respondent."""
    surveys = selected_surveys(filters)
    keys = dimension_keys(surveys)
    patterns: dict[tuple, int] = defaultdict(int)
    if filters.channel != "focus_group" and keys:
        columns = [
            sa.func.max(sa.case((Answer.question_key.in_(keys.get(d, ())), Answer.choice))).label(f"d{i}")
            for i, d in enumerate(dimensions)
        ]
        per_person = (sa.select(Response.id, *columns)
                      .outerjoin(Answer, sa.and_(Answer.response_id == Response.id,
                                                 Answer.question_key.in_(set().union(*keys.values()))))
                      .where(*response_conditions(filters, surveys)).group_by(Response.id).subquery())
        cells = [per_person.c[f"d{i}"] for i in range(len(dimensions))]
        for row in db.session.execute(sa.select(*cells, sa.func.count()).group_by(*cells)):
            patterns[tuple(row[:-1])] += row[-1]
    if include_focus_groups(filters):
        columns = [
            sa.func.max(sa.case((ParticipantAttribute.dimension == d, ParticipantAttribute.category))).label(f"d{i}")
            for i, d in enumerate(dimensions)
        ]
        per_person = (sa.select(Participant.id, *columns).join(FocusGroup)
                      .outerjoin(ParticipantAttribute, ParticipantAttribute.participant_id == Participant.id)
                      .where(*participant_conditions(filters)).group_by(Participant.id).subquery())
        cells = [per_person.c[f"d{i}"] for i in range(len(dimensions))]
        for row in db.session.execute(sa.select(*cells, sa.func.count()).group_by(*cells)):
            patterns[tuple(row[:-1])] += row[-1]
    return [({d: v for d, v in zip(dimensions, values) if v is not None}, n) for values, n in patterns.items()]


def geographies() -> list[str]:
    return list(db.session.scalars(sa.select(PopulationBaseline.geography).distinct().order_by(PopulationBaseline.geography)))


def population(geography: str) -> tuple[dict[str, dict[str, int]], list[dict]]:
    """The newest year's figures per dimension for `geography`, and their sources."""
    rows = db.session.execute(sa.select(PopulationBaseline).where(PopulationBaseline.geography == geography)
                              .order_by(PopulationBaseline.year)).scalars()
    table: dict[str, dict[str, int]] = {}
    sources: dict[str, dict] = {}
    for row in rows:  # later years overwrite earlier ones
        if sources.get(row.dimension, {}).get("year", -1) < row.year:
            table[row.dimension] = {}
        table[row.dimension][row.category] = row.population
        sources[row.dimension] = {"dimension": row.dimension, "year": row.year, "source": row.source}
    return table, list(sources.values())
