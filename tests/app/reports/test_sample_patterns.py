"""Counts and raking input come from one table of answer patterns: its margins are the counts."""
from app.reports.sample import MISSING, counts_from_patterns, project_patterns

DIMENSIONS = ["age", "gender"]
PATTERNS = {("young", "woman"): 3, ("old", None): 2, (None, "man"): 4, (None, None): 1}


def test_counts_are_the_margins_with_missing_answers_counted():
    counts, people = counts_from_patterns(PATTERNS, DIMENSIONS)
    assert people == 10
    assert counts == {"age": {"young": 3, "old": 2, MISSING: 5}, "gender": {"woman": 3, "man": 4, MISSING: 3}}


def test_projection_merges_people_with_the_same_answers():
    assert sorted(project_patterns(PATTERNS, DIMENSIONS, ["age"]), key=lambda p: -p[1]) == [
        ({"age": None}, 5), ({"age": "young"}, 3), ({"age": "old"}, 2)]


def test_projection_keeps_the_order_asked_for():
    projected = project_patterns(PATTERNS, DIMENSIONS, ["gender", "age"])
    assert ({"gender": "woman", "age": "young"}, 3) in projected and sum(n for _p, n in projected) == 10


def test_projection_on_no_dimension_is_everyone_in_one_pattern():
    assert project_patterns(PATTERNS, DIMENSIONS, []) == [({}, 10)] and project_patterns({}, DIMENSIONS, []) == []
