"""Counts and raking input come from one table of answer patterns: its margins are the counts."""
from app.reports.sample import MISSING, counts_from_patterns, project_patterns

PATTERNS = [({"age": "young", "gender": "woman"}, 3), ({"age": "old"}, 2), ({"gender": "man"}, 4), ({}, 1)]


def test_counts_are_the_margins_with_missing_answers_counted():
    counts, people = counts_from_patterns(PATTERNS, ["age", "gender"])
    assert people == 10
    assert counts == {"age": {"young": 3, "old": 2, MISSING: 5}, "gender": {"woman": 3, "man": 4, MISSING: 3}}


def test_projection_merges_people_with_the_same_answers():
    assert sorted(project_patterns(PATTERNS, ["age"]), key=lambda p: -p[1]) == [
        ({}, 5), ({"age": "young"}, 3), ({"age": "old"}, 2)]
