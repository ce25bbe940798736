"""Tests for analysis.representation: tables, suppression, statistics, report.

Raking and the R-indicator are in test_representation_raking.py.
"""

import copy
import doctest
import json
import math

import numpy as np
import pytest
from scipy import stats

import analysis._intersections
import analysis._r_indicator
import analysis._raking
import analysis._representation_input
import analysis._representation_report
import analysis._trimming
import analysis._representation_tables
import analysis._stats
import analysis.suppression
import analysis._weighted
import analysis.representation
from analysis._stats import (
    StatisticsInputError,
    chi_square_goodness_of_fit,
    kish_design_effect,
    wilson_interval,
    z_critical,
)
from analysis.suppression import protect_cells
from analysis.representation import (
    PopulationError,
    RepresentationError,
    SampleError,
    intersection_table,
    largest_gaps,
    missing_groups,
    representation_report,
    representation_table,
    weighted_shares,
)

MODULES = [
    analysis.representation,
    analysis._stats,
    analysis.suppression,
    analysis._raking,
    analysis._r_indicator,
    analysis._representation_input,
    analysis._representation_report,
    analysis._trimming,
    analysis._representation_tables,
    analysis._intersections,
    analysis._weighted,
]


@pytest.mark.parametrize("module", MODULES, ids=lambda module: module.__name__)
def test_doctests_pass(module):
    result = doctest.testmod(module)
    assert result.failed == 0


# --- statistics helpers -------------------------------------------------------------------


# Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score).
@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)],
)
def test_wilson_matches_newcombe_published_values(successes, trials, low, high):
    result = wilson_interval(successes, trials)
    assert result == pytest.approx((low, high), abs=5e-5)


@pytest.mark.parametrize(("successes", "trials"), [(0, 1), (3, 7), (50, 50), (17, 1000), (499, 1000)])
@pytest.mark.parametrize("confidence", [0.8, 0.95, 0.99])
def test_wilson_matches_scipy_binomtest(successes, trials, confidence):
    expected = stats.binomtest(successes, trials).proportion_ci(confidence, method="wilson")
    assert wilson_interval(successes, trials, confidence=confidence) == pytest.approx(
        (expected.low, expected.high), abs=1e-12
    )


@pytest.mark.parametrize(("successes", "trials"), [(1, 0), (5, 4), (-1, 3), (1.5, 3), (True, 3)])
def test_wilson_rejects_bad_counts(successes, trials):
    with pytest.raises(StatisticsInputError):
        wilson_interval(successes, trials)


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1, "0.95", True])
def test_z_critical_rejects_bad_confidence(confidence):
    with pytest.raises(StatisticsInputError):
        z_critical(confidence)


def test_chi_square_reproduces_mendel_published_value():
    # Mendel's dihybrid peas 315/108/101/32 against 9:3:3:1: X² = 0.470, df 3, p = 0.925.
    total = 556
    result = chi_square_goodness_of_fit([315, 108, 101, 32], [total * r / 16 for r in (9, 3, 3, 1)])
    assert (round(result.statistic, 3), result.df, round(result.p, 3)) == (0.47, 3, 0.925)


def test_chi_square_matches_scipy_chisquare():
    rng = np.random.default_rng(7)
    observed = rng.integers(5, 200, size=8)
    probabilities = rng.dirichlet(np.ones(8))
    expected = observed.sum() * probabilities
    reference = stats.chisquare(observed, expected)
    result = chi_square_goodness_of_fit(observed, expected)
    assert (result.statistic, result.p) == pytest.approx((reference.statistic, reference.pvalue))


@pytest.mark.parametrize(
    ("observed", "expected"), [([1], [1]), ([1, 2], [3, 0]), ([1, 2], [1, 1]), ([1, 2], [1, 2, 0])]
)
def test_chi_square_rejects_undefined_input(observed, expected):
    with pytest.raises(StatisticsInputError):
        chi_square_goodness_of_fit(observed, expected)


def test_kish_design_effect_by_hand():
    # n Σw² / (Σw)² = 4 * (0.5625 + 0.5625 + 2.25 + 1) / 4² = 4.375 / 4 = 1.09375
    assert kish_design_effect([0.75, 0.75, 1.5, 1.0]) == pytest.approx(1.09375)


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1], [1, math.inf]])
def test_kish_design_effect_rejects_bad_weights(weights):
    with pytest.raises(StatisticsInputError):
        kish_design_effect(weights)


# --- suppression --------------------------------------------------------------------------


def test_primary_suppression_hides_small_non_zero_counts_only():
    assert protect_cells([0, 1, 4, 5, 100], [], k=5) == [False, True, True, False, False]


def test_complementary_suppression_hides_smallest_shown_non_zero_cell():
    assert protect_cells([3, 50, 0, 7, 40], [[0, 1, 2, 3, 4]], k=5) == [True, False, False, True, False]


def test_complementary_suppression_falls_back_to_a_zero_cell():
    assert protect_cells([2, 0], [[0, 1]], k=5) == [True, True]


@pytest.mark.parametrize("k", [0, 1])
def test_threshold_of_one_or_less_turns_suppression_off(k):
    assert protect_cells([1, 2, 3], [[0, 1, 2]], k=k) == [False, False, False]


def test_two_way_suppression_leaves_no_line_with_one_hidden_cell():
    counts = [2, 30, 20, 25, 40, 50, 30, 60, 70]  # 3x3, row-major
    rows = [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    columns = [[0, 3, 6], [1, 4, 7], [2, 5, 8]]
    hidden = protect_cells(counts, rows + columns, k=5)
    # (0,0) primary; row 0 -> (0,2)=20; column 0 -> (1,0)=25; column 2 -> (1,2)=50.
    assert [index for index, flag in enumerate(hidden) if flag] == [0, 2, 3, 5]


# --- one-way tables -----------------------------------------------------------------------

POPULATION = {"young": 300, "middle": 500, "old": 200}


def _by_category(table):
    return {row["category"]: row for row in table["categories"]}


def test_table_shares_index_and_intervals_by_hand():
    table = representation_table({"young": 30, "middle": 50, "old": 120}, POPULATION)
    young = _by_category(table)["young"]
    # share 30/200 = 0.15; population 300/1000 = 0.3; index 0.15/0.3 = 0.5
    assert (young["n"], young["share"], young["population_share"], young["index"]) == pytest.approx(
        (30, 0.15, 0.3, 0.5)
    )
    low, high = wilson_interval(30, 200)
    assert young["ci"] == pytest.approx([low, high])
    assert young["index_ci"] == pytest.approx([low / 0.3, high / 0.3])
    assert young["gap"] == "under"


def test_gap_is_over_and_none_as_the_interval_says():
    table = _by_category(representation_table({"young": 30, "middle": 50, "old": 120}, POPULATION))
    # old: 120/200 = 0.6 vs 0.2, clearly over; middle: 0.25 vs 0.5, clearly under.
    assert (table["old"]["gap"], table["middle"]["gap"]) == ("over", "under")


def test_gap_is_none_when_interval_includes_parity():
    table = _by_category(representation_table({"young": 9, "middle": 16, "old": 5}, POPULATION))
    # young 9/30 = 0.3 exactly the population share.
    assert table["young"]["gap"] is None


def test_population_counts_and_shares_give_the_same_table():
    sample = {"young": 30, "middle": 50, "old": 120}
    shares = {"young": 0.3, "middle": 0.5, "old": 0.2}
    def numbers(table):
        return [
            value
            for row in table["categories"]
            for value in (row["n"], row["share"], row["population_share"], row["index"],
                          *row["ci"], *row["index_ci"])
        ]

    assert numbers(representation_table(sample, POPULATION)) == pytest.approx(
        numbers(representation_table(sample, shares))
    )


def test_chi_square_matches_scipy_on_the_same_counts():
    table = representation_table({"young": 30, "middle": 50, "old": 120}, POPULATION)
    reference = stats.chisquare([30, 50, 120], [200 * 0.3, 200 * 0.5, 200 * 0.2])
    chi = table["chi_square"]
    assert (chi["statistic"], chi["df"], chi["p"]) == pytest.approx(
        (reference.statistic, 2, reference.pvalue)
    )


def test_not_stated_answers_are_counted_and_kept_out_of_shares():
    sample = {"young": 30, "middle": 50, "old": 120, "prefer_not": 12, None: 7, "missing": 3, "teen": 9}
    table = representation_table(sample, POPULATION)
    assert table["not_stated"] == {"prefer_not": 12, "missing": 10, "teen": 9}
    assert (table["n"], table["n_substantive"]) == (231, 200)
    assert _by_category(table)["young"]["share"] == pytest.approx(30 / 200)


def test_zero_count_is_shown_not_suppressed():
    row = _by_category(representation_table({"young": 0, "middle": 50, "old": 120}, POPULATION))["young"]
    assert (row["suppressed"], row["n"], row["share"], row["gap"]) == (False, 0, 0.0, "under")


def test_category_absent_from_sample_is_reported_as_zero():
    row = _by_category(representation_table({"middle": 50, "old": 120}, POPULATION))["young"]
    assert row["n"] == 0


def test_small_cell_and_everything_derived_from_it_is_suppressed():
    row = _by_category(representation_table({"young": 3, "middle": 50, "old": 120}, POPULATION))["young"]
    # Published as "fewer than 5" (1 to 4 of 173), and even 4 of 173 is far below 30%: a gap.
    assert row == {
        "category": "young",
        "n": None,
        "share": None,
        "population_share": 0.3,
        "index": None,
        "ci": None,
        "index_ci": None,
        "gap": "under",
        "suppressed": True,
        "suppression": "primary",
        "range": [1, 4],
        "share_range": [1 / 173, 4 / 173],
    }


def _published(table):
    """What a reader sees; the hidden values are already None in the table."""
    return json.dumps(table, sort_keys=True, allow_nan=False)


def test_hidden_cell_cannot_be_recovered_from_total_and_others():
    population = {"a": 10, "b": 40, "c": 10, "d": 40}
    first = representation_table({"a": 3, "b": 50, "c": 7, "d": 40}, population)
    # Same total and same shown cells, different hidden split: the reader cannot tell them apart.
    second = representation_table({"a": 4, "b": 49, "c": 7, "d": 40}, population)
    # The complement is the first of the largest population shares (b), not the smallest count.
    assert [row["suppression"] for row in first["categories"]] == ["primary", "complementary", None, None]
    assert _by_category(first)["b"]["range"] == [49, 52]  # 53 hidden, less 1 to 4
    assert _published(first) == _published(second)


def test_hidden_not_stated_count_cannot_be_recovered():
    sample_one = {"young": 30, "middle": 50, "old": 120, "prefer_not": 2}
    sample_two = {"young": 30, "middle": 50, "old": 120, "prefer_not": 1, "missing": 1}
    first = representation_table(sample_one, POPULATION)
    assert first["not_stated"] == {"prefer_not": None, "missing": None}
    assert _published(first) == _published(representation_table(sample_two, POPULATION))


def test_chi_square_pools_suppressed_cells():
    population = {"a": 10, "b": 40, "c": 10, "d": 40}
    table = representation_table({"a": 3, "b": 50, "c": 7, "d": 40}, population)
    # shown c, d; a + b pooled: observed [7, 40, 53], expected 100 x [0.1, 0.4, 0.5].
    reference = stats.chisquare([7, 40, 53], [10, 40, 50])
    chi = table["chi_square"]
    assert (chi["statistic"], chi["df"], chi["p"], chi["pooled_cells"]) == pytest.approx(
        (reference.statistic, 2, reference.pvalue, 2)
    )


def test_zero_population_category_has_no_index_and_no_test():
    table = representation_table({"x": 10, "y": 20, "z": 6}, {"x": 1, "y": 1, "z": 0})
    row = _by_category(table)["z"]
    assert (row["index"], row["index_ci"], row["gap"]) == (None, None, "over")
    assert table["chi_square"]["reason"] == "answers_in_zero_population_category"


def test_no_answers_gives_no_shares_and_no_test():
    table = representation_table({"prefer_not": 10}, POPULATION, k=0)
    assert [row["share"] for row in table["categories"]] == [None, None, None]
    assert table["chi_square"]["reason"] == "no_answers"
    # With suppression on, no answers is also below the minimum n: nothing is broken down.
    table = representation_table({"prefer_not": 10}, POPULATION)
    assert table["too_few"] and table["chi_square"]["reason"] == "too_few"
    assert {row["suppression"] for row in table["categories"]} == {"too_few"}


def test_table_is_json_serialisable_and_names_its_dimension():
    table = representation_table({"young": 3, None: 1}, POPULATION, dimension="age_band")
    assert json.loads(json.dumps(table, allow_nan=False))["dimension"] == "age_band"


def test_table_does_not_mutate_inputs():
    sample = {"young": 3, "middle": 50, None: 2}
    population = dict(POPULATION)
    before = (copy.deepcopy(sample), copy.deepcopy(population))
    representation_table(sample, population)
    assert (sample, population) == before


@pytest.mark.parametrize(
    "population",
    [{}, {"a": -1, "b": 2}, {"a": "10"}, {"a": 0, "b": 0}, {"a": math.nan}, {"a": True},
     {"a": 1, "prefer_not": 1}, {"a": 1, None: 1}, [("a", 1)]],
)
def test_bad_population_raises_population_error(population):
    with pytest.raises(PopulationError):
        representation_table({"a": 1}, population)


@pytest.mark.parametrize("sample", [{"a": -1}, {"a": 2.5}, {"a": "3"}, {"a": True}, [("a", 1)]])
def test_bad_sample_counts_raise_sample_error(sample):
    with pytest.raises(SampleError):
        representation_table(sample, {"a": 1, "b": 1})


@pytest.mark.parametrize(("k", "confidence"), [(-1, 0.95), (2.5, 0.95), (5, 1.0), (5, 0)])
def test_bad_options_raise_value_error(k, confidence):
    with pytest.raises(ValueError):
        representation_table({"a": 1}, {"a": 1, "b": 1}, k=k, confidence=confidence)


def test_integral_float_counts_are_accepted():
    table = representation_table({"a": 10.0, "b": 30}, {"a": 1, "b": 1})
    assert table["n_substantive"] == 40


# --- two-way tables -----------------------------------------------------------------------

PAIR_POPULATION = {(a, b): 1 for a in ("a1", "a2", "a3") for b in ("b1", "b2", "b3")}


def _grid(rows):
    return {(f"a{i + 1}", f"b{j + 1}"): rows[i][j] for i in range(3) for j in range(3)}


def test_intersection_chi_square_matches_scipy():
    counts = [[10, 20, 30], [40, 50, 60], [70, 80, 90]]
    table = intersection_table(_grid(counts), PAIR_POPULATION)
    flat = [count for row in counts for count in row]
    reference = stats.chisquare(flat)
    assert (table["chi_square"]["statistic"], table["chi_square"]["p"]) == pytest.approx(
        (reference.statistic, reference.pvalue)
    )


def test_intersection_hidden_cells_cannot_be_recovered_from_row_and_column_totals():
    first = intersection_table(_grid([[2, 30, 20], [25, 40, 50], [30, 60, 70]]), PAIR_POPULATION)
    # Move one unit round the hidden rectangle: every row and column total is unchanged.
    second = intersection_table(_grid([[3, 29, 20], [24, 41, 50], [30, 60, 70]]), PAIR_POPULATION)
    hidden = [row["category"] for row in first["categories"] if row["suppressed"]]
    assert hidden == [["a1", "b1"], ["a1", "b2"], ["a2", "b1"], ["a2", "b2"]]
    assert _published(first) == _published(second)


def test_intersection_not_stated_pairs_are_labelled():
    sample = {("a1", "b1"): 10, ("prefer_not", "b2"): 6, ("a1", None): 7, ("prefer_not", "missing"): 5,
              ("a9", "b1"): 8}
    table = intersection_table(sample, PAIR_POPULATION, k=0, dimensions=("age", "sex"))
    assert table["not_stated"] == {"prefer_not": 6, "missing": 12, "not_in_population": 8}
    assert table["dimension"] == ["age", "sex"]


@pytest.mark.parametrize(
    ("sample", "population", "error"),
    [({"a1": 1}, PAIR_POPULATION, SampleError), ({}, {"a1": 1}, PopulationError),
     ({}, {("prefer_not", "b1"): 1, ("a1", "b1"): 1}, PopulationError)],
)
def test_intersection_rejects_keys_that_are_not_pairs(sample, population, error):
    with pytest.raises(error):
        intersection_table(sample, population)


# --- report and gaps ----------------------------------------------------------------------

SAMPLES = {
    "age_band": {"young": 30, "middle": 50, "old": 120, "prefer_not": 10},
    "gender": {"f": 80, "m": 130},
    "shoe_size": {"big": 3},
}
POPULATIONS = {"age_band": POPULATION, "gender": {"f": 51, "m": 49}, "tenure": {"own": 1, "rent": 1}}


def test_report_has_design_shape_and_no_score_without_respondents():
    report = representation_report(SAMPLES, POPULATIONS)
    assert [table["dimension"] for table in report["dimensions"]] == ["age_band", "gender"]
    assert (report["n"], report["score"]) == (210, None)
    assert report["skipped"] == {"no_population": ["shoe_size"], "no_sample": ["tenure"]}
    json.dumps(report, allow_nan=False)


def test_report_score_is_r_indicator_of_raking_weights():
    respondents = [{"gender": "f"}] * 80 + [{"gender": "m"}] * 130
    report = representation_report({"gender": SAMPLES["gender"]}, POPULATIONS, respondents=respondents)
    weights = analysis.representation.rake(respondents, {"gender": POPULATIONS["gender"]}).weights
    assert report["score"] == pytest.approx(analysis.representation.r_indicator(weights))
    assert report["raking"]["converged"] is True
    json.dumps(report, allow_nan=False)


def test_report_error_names_the_dimension():
    with pytest.raises(SampleError, match="'gender'"):
        representation_report({"gender": {"f": -1}}, POPULATIONS)


def test_report_score_is_one_for_a_representative_sample():
    respondents = [{"gender": "f"}] * 51 + [{"gender": "m"}] * 49
    report = representation_report({"gender": {"f": 51, "m": 49}}, POPULATIONS, respondents=respondents)
    assert report["score"] == pytest.approx(1.0)


def test_report_rejects_respondents_that_are_not_a_list():
    with pytest.raises(SampleError):
        representation_report(SAMPLES, POPULATIONS, respondents={"gender": "f"})


def test_largest_gaps_lists_under_represented_by_index():
    gaps = largest_gaps(representation_report(SAMPLES, POPULATIONS))
    # middle 50/200 / 0.5 = 0.5; young 30/200 / 0.3 = 0.5; f 80/210 / 0.51 = 0.747
    assert [(gap["dimension"], gap["category"]) for gap in gaps] == [
        ("age_band", "young"), ("age_band", "middle"), ("gender", "f")
    ]
    assert [gap["index"] for gap in gaps] == pytest.approx([0.5, 0.5, 80 / 210 / 0.51])


def test_largest_gaps_respects_limit():
    gaps = largest_gaps(representation_report(SAMPLES, POPULATIONS), limit=1)
    assert [gap["category"] for gap in gaps] == ["young"]


def test_missing_groups_judges_hidden_cells_by_their_most_favourable_value():
    # a (3) is primary, c (20) its complement by population share, published as 19 to 22 of 179.
    table = representation_table({"a": 3, "b": 6, "c": 20, "d": 150}, {"a": 10, "b": 10, "c": 40, "d": 40})
    gaps = missing_groups(table)
    assert [(gap["category"], gap["suppression"]) for gap in gaps] == [("a", "primary"), ("c", "complementary"), ("b", None)]
    assert [gap["share_bound"] for gap in gaps] == pytest.approx([4 / 179, 22 / 179, 6 / 179])
    assert largest_gaps(table, limit=1) == gaps[:1]


@pytest.mark.parametrize(("report", "limit"), [({}, 5), ({"categories": []}, -1), ([], 5)])
def test_largest_gaps_rejects_bad_input(report, limit):
    with pytest.raises(RepresentationError):
        largest_gaps(report, limit=limit)


# --- weighted shares ----------------------------------------------------------------------


def test_weighted_shares_by_hand():
    result = weighted_shares(["a", "a", "b", "prefer_not", None], [1, 1, 2, 5, 5], k=0)
    # unweighted a 2/3, b 1/3; weighted a (1+1)/4 = 0.5, b 2/4 = 0.5
    rows = {row["value"]: row for row in result["values"]}
    assert (rows["a"]["share"], rows["a"]["weighted_share"]) == pytest.approx((2 / 3, 0.5))
    assert (rows["b"]["share"], rows["b"]["weighted_share"]) == pytest.approx((1 / 3, 0.5))
    assert result["not_stated"] == {"prefer_not": 1, "missing": 1}
    # effective n = (1+1+2)² / (1+1+4) = 16 / 6
    assert result["effective_n"] == pytest.approx(16 / 6)


def test_weighted_shares_match_numpy_reference():
    rng = np.random.default_rng(3)
    values = rng.choice(["x", "y", "z"], size=500).tolist()
    weights = rng.uniform(0.2, 3, size=500)
    result = weighted_shares(values, weights.tolist())
    array = np.array(values)
    for row in result["values"]:
        assert row["weighted_share"] == pytest.approx(weights[array == row["value"]].sum() / weights.sum())


def test_weighted_shares_multiple_answers_and_choice_order():
    result = weighted_shares([["a", "b"], ["b"], []], [1, 1, 1], choices=["c", "b", "a"], k=0)
    assert [(row["value"], row["n"]) for row in result["values"]] == [("c", 0), ("b", 2), ("a", 1)]
    assert (result["multiple"], result["n_answered"]) == (True, 3)


@pytest.mark.parametrize("values", [["a", "prefer_not", "b", None], [["a"], "prefer_not", ["b"], None]])
def test_weighted_shares_keep_prefer_not_out_of_choices(values):
    result = weighted_shares(values, [1, 1, 1, 1], choices=["a", "b", "prefer_not"], k=0)
    assert [row["value"] for row in result["values"]] == ["a", "b"]
    assert (result["not_stated"], result["n_answered"]) == ({"prefer_not": 1, "missing": 1}, 2)


def test_weighted_shares_suppress_small_counts():
    result = weighted_shares(["a"] * 2 + ["b"] * 10 + ["c"] * 20, [1.0] * 32)
    assert [row["suppressed"] for row in result["values"]] == [True, True, False]


@pytest.mark.parametrize(
    ("values", "weights"),
    [(["a", "b"], [1]), (["a"], [-1]), (["a"], [math.nan]), ("ab", [1, 1]), ([{"a": 1}], [1])],
)
def test_weighted_shares_reject_bad_input(values, weights):
    with pytest.raises(SampleError):
        weighted_shares(values, weights)
