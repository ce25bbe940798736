"""Who answered: demographic counts and answer patterns from responses and focus-group
participants, aggregated in SQL. Withdrawn people are never counted."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import sqlalchemy as sa
from flask import g, has_request_context

from app.core.demographics import pattern_values
from app.core.extensions import db
from app.models import (
    FocusGroup, Participant, ParticipantAttribute, PopulationBaseline, Response, Survey, SurveyVersion,
)
from app.reporting import scope
from app.reporting.filters import ALL, ReportFilters

MISSING = "missing"


def selected_surveys(filters: ReportFilters) -> list[Survey]:
    query = sa.select(Survey).order_by(Survey.slug)
    if filters.survey and filters.survey != ALL:
        query = query.where(Survey.slug == filters.survey)
    surveys = list(db.session.scalars(query))
    return scope.people_surveys(surveys) if filters.people_only else surveys


def dimension_keys(surveys: list[Survey]) -> dict[str, set[str]]:
    """{dimension: {question keys}} over every version of the surveys (keys are stable ids)."""
    found: dict[str, set[str]] = defaultdict(set)
    versions = db.session.scalars(sa.select(SurveyVersion).where(SurveyVersion.survey_id.in_([s.id for s in surveys])))
    for version in versions:
        for q in version.survey_def.questions:
            if q.dimension:
                found[q.dimension].add(q.key)
    return dict(found)


def response_conditions(filters: ReportFilters, surveys: list[Survey], of=Response) -> list:
    """SQL conditions keeping the counted responses `filters` select. `of`: a table carrying copies
    of the response's columns instead (TextAnswer, whose `lang` is the text's: pass lang=None)."""
    conditions = [of.counted(), of.survey_id.in_([s.id for s in surveys])]
    if filters.channel != ALL:
        conditions.append(of.channel == filters.channel)
    if filters.date_from:
        conditions.append(of.submitted_at >= dt.datetime.combine(filters.date_from, dt.time.min))
    if filters.date_to:
        conditions.append(of.submitted_at < dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min))
    if filters.lang:
        conditions.append(of.lang == filters.lang)
    return conditions + scope.response_geography_condition(filters.geography, of.demographics)


def include_focus_groups(filters: ReportFilters) -> bool:
    return filters.channel in (ALL, "focus_group")


def participant_conditions(filters: ReportFilters) -> list:
    conditions = [Participant.counted()]
    if filters.date_from:
        conditions.append(FocusGroup.date >= filters.date_from)
    if filters.date_to:
        conditions.append(FocusGroup.date <= filters.date_to)
    if filters.lang:
        conditions.append(FocusGroup.lang == filters.lang)
    return conditions + scope.participant_geography_condition(filters.geography)


def every_dimension(filters: ReportFilters) -> list[str]:
    """The demographic dimensions anyone in the chosen channels could have answered."""
    surveys = selected_surveys(filters)
    found = set(dimension_keys(surveys)) if filters.channel != "focus_group" else set()
    if include_focus_groups(filters):
        found |= set(db.session.scalars(
            sa.select(ParticipantAttribute.dimension).distinct()
            .join(Participant, Participant.id == ParticipantAttribute.participant_id).join(FocusGroup)
            .where(*participant_conditions(filters))))
    return sorted(found)


#: {(category or None, one per dimension in order): people}: who gave which demographic answers.
PatternTable = dict[tuple, int]


def counts_from_patterns(patterns: PatternTable, dimensions: list[str]) -> tuple[dict[str, dict], int]:
    """({dimension: {category: n, "missing": n}}, number of people) from answer patterns: the
    margins of the pattern table, so one pass over the answers serves the counts and the raking."""
    counts: dict[str, dict] = {}
    for position, dimension in enumerate(dimensions):
        margin: dict = defaultdict(int)
        for values, n in patterns.items():
            margin[values[position] or MISSING] += n
        counts[dimension] = dict(margin)
    return counts, sum(patterns.values())


def project_patterns(patterns: PatternTable, dimensions: list[str], onto: list[str]) -> tuple[dict[str, list], list[int]]:
    """The patterns on the dimensions `onto` only, people with the same answers there merged, as
    raking input: ({dimension: [category or None, one per pattern]}, [people per pattern])."""
    merged: dict = defaultdict(int)
    positions = [dimensions.index(d) for d in onto]
    for values, n in patterns.items():
        merged[tuple(values[i] for i in positions)] += n
    columns = list(zip(*merged)) if onto else []
    return {d: list(column) for d, column in zip(onto, columns)}, list(merged.values())


def response_patterns(conditions: list, dimensions: tuple[str, ...]) -> PatternTable:
    """{pattern on `dimensions`: responses} for the responses meeting `conditions`: one GROUP BY
    over the stored patterns (app.core.demographics), the covering index's own order."""
    patterns: PatternTable = defaultdict(int)
    query = sa.select(Response.demographics, sa.func.count()).where(*conditions).group_by(Response.demographics)
    for stored, n in stored_pattern_counts(query):
        patterns[pattern_values(stored, dimensions)] += n
    return patterns


def stored_pattern_counts(query: sa.Select) -> list[tuple[str, int]]:
    """The rows of `query`, read once per request: the representation report and its weighted
    question both count the same responses by stored pattern (a quarter of a second at a
    million responses), each on its own dimensions, which are taken apart in Python."""
    compiled = query.compile(db.engine)
    key = (str(compiled), tuple(sorted((k, repr(v)) for k, v in compiled.params.items())))
    if not has_request_context():
        return list(db.session.execute(query))
    cache = g.setdefault("stored_pattern_counts", {})
    if key not in cache:
        cache[key] = list(db.session.execute(query))
    return cache[key]


def answer_patterns(filters: ReportFilters, dimensions: list[str]) -> PatternTable:
    """How many people gave each combination of answers on `dimensions`, so raking works on a
    few thousand patterns instead of every respondent.

    Responses carry their pattern (app.core.demographics), so that side is one GROUP BY over one
    column; focus-group participants are few and pivot their attributes here."""
    surveys = selected_surveys(filters)
    patterns: PatternTable = defaultdict(int)
    if filters.channel != "focus_group" and surveys:
        patterns = response_patterns(response_conditions(filters, surveys), tuple(dimensions))
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
    return dict(patterns)


def geographies() -> list[str]:
    return list(db.session.scalars(sa.select(PopulationBaseline.geography).distinct().order_by(PopulationBaseline.geography)))


def chosen_baseline(filters: ReportFilters) -> tuple[str | None, list[str], dict, list[dict]]:
    """(geography, every geography, its figures, their sources): the filter's geography when it
    has figures, else the first that has."""
    available = geographies()
    geography = filters.geography if filters.geography in available else (available[0] if available else None)
    baseline, sources = population(geography) if geography else ({}, [])
    return geography, available, baseline, sources


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
