"""Grouped input (a pattern table and its counts) gives the results of one row per person.

Hand-computed values first, then random pattern tables against their expansion to 1e-12.
"""
from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis._stats import kish_design_effect
from analysis.representation import r_indicator, rake, representation_report, weighted_shares

TOLERANCE = 1e-12


def expand(rows, counts):
    return list(itertools.chain.from_iterable([row] * n for row, n in zip(rows, counts)))


def test_kish_design_effect_counts_people_not_patterns():
    # Three people: two with weight 1, one with weight 2. n Σw² / (Σw)² = 3 x 6 / 16 = 1.125.
    assert kish_design_effect([1, 2], counts=[2, 1]) == pytest.approx(1.125, abs=TOLERANCE)
    # Counting the two patterns instead would give 2 x 5 / 9 = 1.111...: the old mistake.
    assert kish_design_effect([1, 2]) == pytest.approx(10 / 9, abs=TOLERANCE)


def test_rake_with_counts_by_hand():
    # Two men (one pattern, count 2), a woman and a prefer-not, raked to 50/50: the men get 0.75
    # each, the woman 1.5, the prefer-not keeps 1 (rake's own example, one row per person), so
    # deff = n Σw² / (Σw)² = 4 x (2 x 0.5625 + 2.25 + 1) / 4².
    result = rake({"sex": ["m", "f", "prefer_not"]}, {"sex": {"m": 1, "f": 1}}, counts=[2, 1, 1])
    assert result.weights == pytest.approx([0.75, 1.5, 1.0], abs=TOLERANCE)
    assert result.n == 4 and result.not_stated == {"sex": 1}
    assert result.design_effect == pytest.approx(4 * (2 * 0.5625 + 2.25 + 1.0) / 16, abs=TOLERANCE)
    assert result.effective_n == pytest.approx(16 / (2 * 0.5625 + 2.25 + 1.0), abs=TOLERANCE)


def test_trimming_bounds_use_the_mean_of_positive_weights():
    """60 people in a zero-population category carry weight 0. Among the other 40, men need weight
    5 and women 5/3 (sum 100, equal shares); relative to their own mean 2.5 that is 2 and 2/3,
    inside trim (0.5, 2). A mean over all 100 people (1.0) would put the bounds at 0.5 and 2 of
    the wrong mean and the trim could never converge."""
    result = rake({"sex": ["m", "f", "x"]}, {"sex": {"m": 50, "f": 50, "x": 0}}, counts=[10, 30, 60], trim=(0.5, 2))
    assert result.converged
    assert result.weights == pytest.approx([5.0, 5 / 3, 0.0], abs=1e-9)
    assert result.zero_population == [{"dimension": "sex", "category": "x", "n": 60}]


def test_weighted_shares_with_counts_by_hand():
    # a: 2 people of weight 1; b: 1 of weight 2; one prefer-not (weight 5).
    result = weighted_shares(["a", "b", "prefer_not"], [1.0, 2.0, 5.0], counts=[2, 1, 1], k=0)
    rows = {row["value"]: row for row in result["values"]}
    assert (rows["a"]["n"], rows["a"]["share"], rows["a"]["weighted_share"]) == (2, pytest.approx(2 / 3), pytest.approx(0.5))
    assert result["effective_n"] == pytest.approx(16 / 6, abs=TOLERANCE)  # (1+1+2)² / (1+1+4)
    assert result["not_stated"] == {"prefer_not": 1, "missing": 0}


DIMENSIONS = {"age": ["y", "m", "o"], "sex": ["f", "x"]}


@st.composite
def pattern_tables(draw):
    patterns = draw(st.lists(
        st.tuples(st.sampled_from(DIMENSIONS["age"] + [None]), st.sampled_from(DIMENSIONS["sex"] + ["prefer_not"]),
                  st.sampled_from(["yes", "no", None, ("a", "b"), ("b",)])),
        min_size=1, max_size=12, unique=True))
    counts = draw(st.lists(st.integers(1, 9), min_size=len(patterns), max_size=len(patterns)))
    # Every category answered by someone, so every margin can be met (else there is no score).
    patterns += [("y", "f", "yes"), ("m", "x", "no"), ("o", "f", None)]
    counts += [3, 2, 4]
    return patterns, counts


MARGINS = {"age": {"y": 30, "m": 45, "o": 25}, "sex": {"f": 52, "x": 48}}


@settings(max_examples=80, deadline=None)
@given(pattern_tables(), st.sampled_from([None, (0.5, 2.0)]))
def test_frequency_weighted_results_equal_the_expanded_ones(drawn, trim):
    patterns, counts = drawn
    columns = {"age": [p[0] for p in patterns], "sex": [p[1] for p in patterns]}
    people = expand([{"age": p[0], "sex": p[1]} for p in patterns], counts)
    grouped, expanded = rake(columns, MARGINS, counts=counts, trim=trim), rake(people, MARGINS, trim=trim)
    assert expand(grouped.weights, counts) == pytest.approx(expanded.weights, abs=TOLERANCE)
    for key in ("design_effect", "effective_n", "max_error"):
        assert getattr(grouped, key) == pytest.approx(getattr(expanded, key), abs=TOLERANCE)
    assert (grouped.converged, grouped.not_stated, grouped.trimmed) == (expanded.converged, expanded.not_stated, expanded.trimmed)

    positive = [(w, n) for w, n in zip(grouped.weights, counts) if w > 0]
    score = r_indicator([w for w, _n in positive], counts=[n for _w, n in positive])
    assert score == pytest.approx(r_indicator([w for w in expanded.weights if w > 0]), abs=TOLERANCE)

    answers = [list(p[2]) if isinstance(p[2], tuple) else p[2] for p in patterns]
    for choices in (None, ["yes", "no", "a", "b"]):
        one = weighted_shares(answers, grouped.weights, counts=counts, choices=choices, k=0)
        many = weighted_shares(expand(answers, counts), expanded.weights, choices=choices, k=0)
        assert one["n"] == many["n"] and one["n_answered"] == many["n_answered"]
        assert one["effective_n"] == pytest.approx(many["effective_n"], abs=TOLERANCE)
        for a, b in zip(one["values"], many["values"]):
            assert (a["value"], a["n"]) == (b["value"], b["n"])
            assert a["weighted_share"] == pytest.approx(b["weighted_share"], abs=TOLERANCE)

    samples = {d: {} for d in DIMENSIONS}
    for (age, sex, _answer), n in zip(patterns, counts):
        samples["age"][age or "missing"] = samples["age"].get(age or "missing", 0) + n
        samples["sex"][sex] = samples["sex"].get(sex, 0) + n
    report = representation_report(samples, MARGINS, k=0, respondents=columns, counts=counts, trim=trim)
    rows = representation_report(samples, MARGINS, k=0, respondents=people, trim=trim)
    assert report["n"] == rows["n"] == sum(counts)
    assert report["method"] == rows["method"]
    if rows["score"] is None:
        assert report["score"] is None
    else:
        assert report["score"] == pytest.approx(rows["score"], abs=TOLERANCE)
        assert report["raking"]["design_effect"] == pytest.approx(rows["raking"]["design_effect"], abs=TOLERANCE)
