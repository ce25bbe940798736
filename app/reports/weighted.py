"""One question's answers with each respondent's raking weight, for weighted vs unweighted shares."""
from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from app.demographics import pattern_values
from app.extensions import db
from app.models import Answer, Response
from app.reports.filters import ReportFilters
from app.reports.sample import chosen_baseline, dimension_keys, response_conditions, selected_surveys

#: Question types whose answers are choice values that can be shared out.
CHOICE_TYPES = ("single_choice", "multiple_choice", "likert", "yes_no", "rating")


def find_question(surveys, key: str):
    for survey in surveys:
        version = survey.latest_version()
        question = version.survey_def.question(key) if version else None
        if question is not None:
            return version.survey_def, question
    return None, None


def question_values_and_weights(filters: ReportFilters, key: str):
    """(survey, question, values, weights) for the question `key`, or None if it cannot be weighted.

    Each respondent's weight comes from raking their answer pattern on every dimension that has a
    population baseline; a respondent who did not answer the question is a not-stated value (None).
    """
    from app.reports.representation import rake_patterns
    surveys = selected_surveys(filters)
    survey, question = find_question(surveys, key)
    if question is None or question.type not in CHOICE_TYPES:
        return None
    _geography, _available, baseline, _sources = chosen_baseline(filters)
    dimensions = [d for d in dimension_keys(surveys) if d in baseline]
    conditions = response_conditions(filters, surveys)
    people = db.session.execute(sa.select(Response.id, Response.demographics).where(*conditions)).all()
    answers: dict[int, list] = defaultdict(list)
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.choice, Answer.number, Answer.boolean)
        .join(Response, Response.id == Answer.response_id)
        .where(*conditions, Answer.question_key == key).order_by(Answer.response_id, Answer.position))
    for response_id, choice, number, boolean in rows:
        value = choice if choice is not None else (("yes" if boolean else "no") if boolean is not None else
                                                   (str(int(number)) if number is not None else None))
        answers[response_id].append(value)
    wanted = tuple(dimensions)
    pattern_of = {stored: pattern_values(stored, wanted) for stored in {stored for _id, stored in people}}
    patterns: dict[tuple, int] = defaultdict(int)
    for _id, stored in people:
        patterns[pattern_of[stored]] += 1
    pattern_list = list(patterns)
    weights = rake_patterns([({d: v for d, v in zip(dimensions, p) if v is not None}, patterns[p])
                             for p in pattern_list], {d: baseline[d] for d in dimensions})
    weight_of = dict(zip(pattern_list, weights.per_person)) if weights else {}
    values, person_weights = [], []
    for person in people:
        given = answers.get(person[0])
        if question.type == "multiple_choice":
            values.append(given or None)
        else:
            values.append(given[0] if given else None)
        person_weights.append(weight_of.get(pattern_of[person[1]], 1.0))
    return survey, question, values, person_weights
