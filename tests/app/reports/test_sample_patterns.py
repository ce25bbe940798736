"""Counts and raking input come from one table of answer patterns: its margins are the counts."""
from app.reporting.sample import MISSING, counts_from_patterns, project_patterns

DIMENSIONS = ["age", "gender"]
PATTERNS = {("young", "woman"): 3, ("old", None): 2, (None, "man"): 4, (None, None): 1}


def test_counts_are_the_margins_with_missing_answers_counted():
    counts, people = counts_from_patterns(PATTERNS, DIMENSIONS)
    assert people == 10
    assert counts == {"age": {"young": 3, "old": 2, MISSING: 5}, "gender": {"woman": 3, "man": 4, MISSING: 3}}


def test_projection_merges_people_with_the_same_answers():
    columns, people = project_patterns(PATTERNS, DIMENSIONS, ["age"])
    assert sorted(zip(columns["age"], people), key=lambda p: -p[1]) == [(None, 5), ("young", 3), ("old", 2)]


def test_projection_keeps_the_order_asked_for():
    columns, people = project_patterns(PATTERNS, DIMENSIONS, ["gender", "age"])
    assert list(columns) == ["gender", "age"] and sum(people) == 10
    assert ("woman", "young", 3) in zip(columns["gender"], columns["age"], people)


def test_projection_on_no_dimension_is_everyone_in_one_pattern():
    assert project_patterns(PATTERNS, DIMENSIONS, []) == ({}, [10]) and project_patterns({}, DIMENSIONS, []) == ({}, [])
