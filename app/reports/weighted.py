"""One question's answers with their raking weights, for weighted vs unweighted shares.

People are grouped in SQL by (demographic pattern, answer): a few thousand groups instead of a
row per respondent, and every person in a group has the same raking weight and the same answer,
so the groups go to analysis as frequency-weighted rows and are never expanded.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import sqlalchemy as sa

from app.core.demographics import pattern_values
from app.core.extensions import db
from app.models import Answer, Response
from app.questions import question_type
from app.reporting.filters import ReportFilters
from app.reporting.sample import (
    chosen_baseline, dimension_keys, response_conditions, response_patterns, selected_surveys,
)


def find_question(surveys, key: str):
    for survey in surveys:
        version = survey.latest_version()
        question = version.survey_def.question(key) if version else None
        if question is not None:
            return version.survey_def, question
    return None, None


def answer_order(question) -> list[str]:
    """The values in the order a reader expects them: the survey's choices, yes before no, the
    rating scale from its lowest point (each type's report_order)."""
    return question_type(question.type).report_order(question)


def _value(choice, number, boolean):
    if choice is not None:
        return choice
    if boolean is not None:
        return "yes" if boolean else "no"
    return str(int(number)) if number is not None else None


def merge_in_id_order() -> None:
    """Plan this transaction's join of responses and one question's answers as a merge in id
    order and group with a hash (PostgreSQL). Both sides come in response id order (the primary
    key, and ix_answers_key_response, which carries the answer values), so the merge needs no
    sort and no hash table of a million wide rows; the planner, guessing a group per row, chose
    that hash join and then sorted the rows on disk: 3.4 s at a million responses, 1.2 s so."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL enable_hashjoin = off"))
        db.session.execute(sa.text("SET LOCAL enable_sort = off"))


def answer_groups(conditions: list, question, dimensions: tuple[str, ...]) -> Counter:
    """{(pattern on `dimensions`, answer): people}; the answer is None for no answer and, for a
    multiple-choice question, the tuple of values ticked.

    The answers are read from the question's own rows (its index), and those who gave none are
    everyone of a pattern less those who answered: cheaper than joining every response to its
    answer."""
    groups: Counter = Counter()
    merge_in_id_order()
    answering = (sa.select(Response.demographics).join(Answer, Answer.response_id == Response.id)
                 .where(*conditions, Answer.question_key == question.key))
    if not question_type(question.type).is_list:
        query = (answering.add_columns(Answer.choice, Answer.number, Answer.boolean, sa.func.count())
                 .group_by(Response.demographics, Answer.choice, Answer.number, Answer.boolean))
        for stored, choice, number, boolean, n in db.session.execute(query):
            groups[(pattern_values(stored, dimensions), _value(choice, number, boolean))] += n
    else:
        ticked: dict[int, tuple[str, list]] = {}
        query = answering.add_columns(Answer.response_id, Answer.choice).order_by(Answer.response_id, Answer.position)
        for stored, response_id, choice in db.session.execute(query):
            ticked.setdefault(response_id, (stored, []))[1].append(choice)
        for stored, choices in ticked.values():
            groups[(pattern_values(stored, dimensions), tuple(choices))] += 1
    unanswered = Counter(response_patterns(conditions, dimensions))
    for (pattern, _answer), n in groups.items():
        unanswered[pattern] -= n
    for pattern, n in unanswered.items():
        if n > 0:
            groups[(pattern, None)] += n
    return groups


@dataclass
class QuestionGroups:
    """People grouped by (demographic pattern, answer), as frequency-weighted rows for
    analysis.weighted_shares: one row per group, never one per person."""

    values: list
    weights: list[float] | None
    counts: list[int]
    weighting: str | None  # why there are no weights: "unmet_margins", "not_converged", "no_dimensions"


def question_groups(filters: ReportFilters, key: str):
    """(survey, question, QuestionGroups) for the question `key`, or None if it cannot be weighted.

    Each group's weight is its pattern's raking weight on every dimension that has a population
    baseline; a respondent who did not answer the question is a not-stated value (None). When
    the raking cannot be trusted (a margin unmet, no convergence) there are no weights: the view
    then shows unweighted shares only, as the report shows no score.
    """
    surveys = selected_surveys(filters)
    survey, question = find_question(surveys, key)
    if question is None or not question_type(question.type).shared_in_reports:
        return None
    _geography, _available, baseline, _sources = chosen_baseline(filters)
    dimensions = tuple(d for d in dimension_keys(surveys) if d in baseline)
    groups = answer_groups(response_conditions(filters, surveys), question, dimensions)
    people: Counter = Counter()
    for (pattern, _answer), n in groups.items():
        people[pattern] += n
    values = [list(answer) if isinstance(answer, tuple) else answer for _pattern, answer in groups]
    counts = list(groups.values())
    if not dimensions or not people:
        return survey, question, QuestionGroups(values, None, counts, "no_dimensions")
    columns = dict(zip(dimensions, map(list, zip(*people))))
    from analysis.representation import rake  # scipy: loaded by the report that needs it
    result = rake(columns, {d: baseline[d] for d in dimensions}, counts=list(people.values()))
    if result.unmet or not result.converged:
        return survey, question, QuestionGroups(values, None, counts,
                                                "unmet_margins" if result.unmet else "not_converged")
    weight_of = dict(zip(people, result.weights))
    weights = [weight_of[pattern] for pattern, _answer in groups]
    return survey, question, QuestionGroups(values, weights, counts, None)
