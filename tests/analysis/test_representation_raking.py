"""Tests for raking and the R-indicator in analysis.representation."""

import copy
import math
import random

import numpy as np
import pytest

from analysis.representation import (
    PopulationError,
    RakingError,
    SampleError,
    implied_propensities,
    r_indicator,
    r_indicator_from_propensities,
    rake,
)

# 2x2 example: cells (sex, age) with 10, 40, 10, 10 respondents, raked to 50/50 on both.
TWO_BY_TWO = (
    [{"sex": "m", "age": "young"}] * 10
    + [{"sex": "m", "age": "old"}] * 40
    + [{"sex": "f", "age": "young"}] * 10
    + [{"sex": "f", "age": "old"}] * 10
)
HALVES = {"sex": {"m": 1, "f": 1}, "age": {"young": 1, "old": 1}}


def _cell_weights(result):
    weights = result.weights
    return [weights[0], weights[10], weights[50], weights[60]]


def test_two_by_two_converges_to_hand_solution():
    # Raking keeps the sample odds ratio: t² / (35 - t)² = (10 x 10) / (40 x 10) = 1/4, so the
    # m-young total t = 35/3 and the cell totals are 35/3, 70/3, 70/3, 35/3 (n = 70, mean 1).
    # Weights = total / count: (35/3)/10 = 7/6, (70/3)/40 = 7/12, (70/3)/10 = 7/3, 7/6.
    result = rake(TWO_BY_TWO, HALVES, tol=1e-12)
    assert result.converged
    assert _cell_weights(result) == pytest.approx([7 / 6, 7 / 12, 7 / 3, 7 / 6], abs=1e-10)


def test_one_sweep_matches_hand_computation_and_reports_not_converged():
    # sex: m 50 -> 35 (x0.7), f 20 -> 35 (x1.75); then age: young 10*0.7 + 10*1.75 = 24.5 -> 35,
    # old 40*0.7 + 10*1.75 = 45.5 -> 35. m-young 0.7*35/24.5 = 1, m-old 0.7*35/45.5 = 7/13,
    # f-young 1.75*35/24.5 = 2.5, f-old 1.75*35/45.5 = 35/26.
    result = rake(TWO_BY_TWO, HALVES, max_iter=1)
    assert (result.converged, result.iterations) == (False, 1)
    assert _cell_weights(result) == pytest.approx([1, 7 / 13, 2.5, 35 / 26])
    assert result.max_error > 1e-6


def _synthetic(n=3000, seed=11):
    rng = random.Random(seed)
    dims = {"age": ["a1", "a2", "a3", "a4"], "area": ["n", "s", "e", "w", "c"], "lang": ["en", "fr"]}
    respondents = []
    for _ in range(n):
        person = {}
        for dimension, categories in dims.items():
            draw = rng.random()
            if draw < 0.04:
                person[dimension] = rng.choice(["prefer_not", None, "other"])
            elif draw < 0.06:
                continue  # the key is absent altogether
            else:
                # skew towards the first categories
                person[dimension] = categories[min(len(categories) - 1, int(rng.random() ** 1.6 * len(categories)))]
        respondents.append(person)
    margins = {dimension: {c: rng.uniform(1, 5) for c in categories} for dimension, categories in dims.items()}
    return respondents, margins


def _weighted_share_errors(respondents, weights, margins):
    errors = []
    for dimension, table in margins.items():
        total = sum(table.values())
        sums = dict.fromkeys(table, 0.0)
        for person, weight in zip(respondents, weights):
            if person.get(dimension) in sums:
                sums[person.get(dimension)] += weight
        answered = sum(sums.values())
        errors.extend(abs(sums[c] / answered - table[c] / total) for c in table)
    return errors


def test_converged_weights_meet_every_margin_within_tolerance():
    respondents, margins = _synthetic()
    result = rake(respondents, margins, tol=1e-8)
    assert result.converged
    assert max(_weighted_share_errors(respondents, result.weights, margins)) <= 1e-8


def test_weights_have_mean_one():
    respondents, margins = _synthetic()
    assert math.fsum(rake(respondents, margins).weights) == pytest.approx(len(respondents))


def _naive_rake(respondents, margins, sweeps):
    """Independent plain-Python IPF with the same not-stated rule."""
    weights = [1.0] * len(respondents)
    for _ in range(sweeps):
        for dimension, table in margins.items():
            population_total = sum(table.values())
            sums = dict.fromkeys(table, 0.0)
            for person, weight in zip(respondents, weights):
                if person.get(dimension) in sums:
                    sums[person.get(dimension)] += weight
            answered = sum(sums.values())
            factor = {c: table[c] / population_total * answered / sums[c] for c in table if sums[c] > 0}
            weights = [w * factor.get(p.get(dimension), 1.0) for p, w in zip(respondents, weights)]
    scale = len(weights) / sum(weights)
    return [w * scale for w in weights]


def test_matches_independent_plain_python_ipf():
    respondents, margins = _synthetic(n=800)
    result = rake(respondents, margins, tol=1e-300, max_iter=6)
    assert result.weights == pytest.approx(_naive_rake(respondents, margins, 6), rel=1e-10)


def test_not_stated_respondent_keeps_weight_and_is_counted():
    people = [{"sex": "m"}, {"sex": "m"}, {"sex": "f"}, {"sex": "prefer_not"}, {}]
    # answered weight 3 split 1.5/1.5 -> m 0.75 each, f 1.5; the other two keep 1; sum already 5.
    result = rake(people, {"sex": {"m": 1, "f": 1}})
    assert result.weights == pytest.approx([0.75, 0.75, 1.5, 1.0, 1.0])
    assert result.not_stated == {"sex": 2}


def test_design_effect_and_effective_n_by_hand():
    result = rake([{"sex": "m"}, {"sex": "m"}, {"sex": "f"}, {"sex": None}], {"sex": {"m": 1, "f": 1}})
    # weights 0.75, 0.75, 1.5, 1: deff = 4 * 4.375 / 16 = 1.09375
    assert (result.design_effect, result.effective_n) == pytest.approx((1.09375, 4 / 1.09375))


def test_unmet_category_is_reported_and_others_are_raked():
    people = [{"gender": "f"}] * 30 + [{"gender": "m"}] * 20
    result = rake(people, {"gender": {"f": 45, "m": 45, "nb": 10}})
    assert result.unmet == [{"dimension": "gender", "category": "nb", "population_share": 0.1}]
    # f and m raked to 45:45 among themselves: 25 each -> f 25/30, m 25/20.
    assert (result.weights[0], result.weights[-1], result.converged) == pytest.approx((5 / 6, 1.25, True))


def test_zero_population_category_gets_weight_zero_and_is_reported():
    people = [{"g": "f"}] * 10 + [{"g": "m"}] * 10 + [{"g": "x"}] * 2
    result = rake(people, {"g": {"f": 1, "m": 1, "x": 0}})
    assert result.zero_population == [{"dimension": "g", "category": "x", "n": 2}]
    # f and m share the whole weight 22: 1.1 each; x gets 0.
    assert (result.weights[0], result.weights[10], result.weights[-1]) == pytest.approx((1.1, 1.1, 0.0))


def test_every_respondent_in_zero_population_category_raises():
    with pytest.raises(RakingError):
        rake([{"g": "x"}] * 3, {"g": {"f": 1, "x": 0}})


def test_trimming_keeps_weights_in_bounds_and_margins_met():
    respondents, margins = _synthetic()
    untrimmed = rake(respondents, margins)
    result = rake(respondents, margins, trim=(0.3, 3.0), tol=1e-7)
    assert min(untrimmed.weights) < 0.3 and max(untrimmed.weights) > 3.0  # work to do
    assert result.converged and result.trimmed > 0
    assert 0.3 - 1e-7 <= min(result.weights) and max(result.weights) <= 3.0 + 1e-7
    assert max(_weighted_share_errors(respondents, result.weights, margins)) <= 1e-7


def test_infeasible_trimming_is_reported_as_not_converged():
    respondents, margins = _synthetic()
    result = rake(respondents, margins, trim=(0.95, 1.05), max_iter=30)
    assert not result.converged
    assert max(result.weights) <= 1.05 + 1e-6


def test_base_weights_are_the_starting_point():
    people = [{"s": "m"}, {"s": "m"}, {"s": "f"}]
    # m has base weight 1 + 3 = 4, f 2 (total 6): m x 3/4 -> 0.75, 2.25; f x 3/2 -> 3; scaled to sum 3.
    result = rake(people, {"s": {"m": 1, "f": 1}}, base_weights=[1, 3, 2])
    assert result.weights == pytest.approx([0.375, 1.125, 1.5])


def test_base_weight_scale_does_not_matter():
    respondents, margins = _synthetic(n=500)
    base = [1 + (i % 3) for i in range(500)]
    first = rake(respondents, margins, base_weights=base).weights
    assert first == pytest.approx(rake(respondents, margins, base_weights=[10 * b for b in base]).weights)


def test_rake_does_not_mutate_inputs():
    respondents, margins = _synthetic(n=200)
    before = copy.deepcopy((respondents, margins))
    rake(respondents, margins, trim=(0.5, 2))
    assert (respondents, margins) == before


def test_result_as_dict_leaves_weights_out_unless_asked():
    result = rake(TWO_BY_TWO, HALVES)
    assert "weights" not in result.as_dict()
    assert len(result.as_dict(include_weights=True)["weights"]) == 70


@pytest.mark.parametrize(
    "respondents", ["abc", {"sex": "m"}, [], [1], [{"sex": ["m"]}]], ids=["str", "dict", "empty", "int", "list-value"]
)
def test_bad_respondents_raise_sample_error(respondents):
    with pytest.raises(SampleError):
        rake(respondents, {"sex": {"m": 1, "f": 1}})


@pytest.mark.parametrize("margins", [[("sex", {"m": 1})], {"sex": {}}, {"sex": {"m": -1, "f": 2}}])
def test_bad_margins_raise_population_error(margins):
    with pytest.raises(PopulationError):
        rake([{"sex": "m"}], margins)


@pytest.mark.parametrize(
    "options",
    [{"tol": 0}, {"tol": "small"}, {"max_iter": 0}, {"max_iter": 2.5}, {"trim": (2, 3)},
     {"trim": (0.5,)}, {"trim": "ab"}, {"trim": (0.5, 0.9)}, {"trim": (math.nan, 2)}],
)
def test_bad_options_raise_raking_error(options):
    with pytest.raises(RakingError):
        rake([{"sex": "m"}], {"sex": {"m": 1}}, **options)


@pytest.mark.parametrize("base_weights", [[1], [1, -1], [0, 0], ["a", "b"], [1, math.inf]])
def test_bad_base_weights_raise_sample_error(base_weights):
    with pytest.raises(SampleError):
        rake([{"sex": "m"}, {"sex": "f"}], {"sex": {"m": 1, "f": 1}}, base_weights=base_weights)


def test_rakes_large_sample_with_numpy_speed():
    # Guard against accidental per-respondent Python loops inside the sweep: 20,000 x 3 with
    # ~20 sweeps is ~1M cell updates, a few milliseconds vectorised.
    respondents, margins = _synthetic(n=20_000)
    result = rake(respondents, margins)
    assert result.converged and len(result.weights) == 20_000


# --- R-indicator --------------------------------------------------------------------------


def test_equal_weights_give_r_of_one():
    assert r_indicator([1.0] * 10) == pytest.approx(1.0)


def test_r_indicator_by_hand_without_response_rate():
    # propensities min(w)/w = 1, 1, 0.5; population mean (1 + 1 + 2*0.5)/4 = 0.75;
    # S² = (0.0625 + 0.0625 + 2*0.0625)/4 = 0.0625, S = 0.25, R = 0.5
    assert r_indicator([1, 1, 2]) == pytest.approx(0.5)


def test_r_indicator_by_hand_with_response_rate():
    # propensities 0.3 * (4/3) / w = 0.4, 0.4, 0.2; mean 0.3; S² = 4 * 0.01 / 4; S = 0.1; R = 0.8
    assert r_indicator([1, 1, 2], response_rate=0.3) == pytest.approx(0.8)


def test_r_indicator_from_weighted_propensities_by_hand():
    # mean (3*0.2 + 0.5)/4 = 0.275; S² = (3*0.075² + 0.225²)/4 = 0.016875; R = 1 - 2*sqrt(S²)
    expected = 1 - 2 * math.sqrt(0.016875)
    assert r_indicator_from_propensities([0.2, 0.5], weights=[3, 1]) == pytest.approx(expected)


def test_r_indicator_recovers_true_propensities_through_raking():
    # Two halves of 500 people respond at 0.2 and 0.1: 100 and 50 respondents, response rate
    # 150/1000. True S = 0.05 over the population, so R = 0.9.
    respondents = [{"group": "a"}] * 100 + [{"group": "b"}] * 50
    weights = rake(respondents, {"group": {"a": 500, "b": 500}}).weights
    population = [0.2] * 500 + [0.1] * 500
    assert r_indicator(weights, response_rate=0.15) == pytest.approx(0.9)
    assert r_indicator_from_propensities(population) == pytest.approx(0.9)


def test_r_without_response_rate_is_a_lower_bound():
    weights = rake([{"group": "a"}] * 100 + [{"group": "b"}] * 50, {"group": {"a": 1, "b": 1}}).weights
    assert r_indicator(weights) <= r_indicator(weights, response_rate=0.15)


def test_implied_propensities_are_inverse_to_weights():
    assert implied_propensities([0.5, 1.0, 2.0]) == pytest.approx([1.0, 0.5, 0.25])


def test_response_rate_implying_propensity_above_one_raises():
    with pytest.raises(SampleError):
        r_indicator([1, 1, 2], response_rate=0.9)  # 0.9 * (4/3) / 1 = 1.2


@pytest.mark.parametrize("weights", [[], [1, 0], [1, -2], [1, math.nan], ["a"]])
def test_r_indicator_rejects_bad_weights(weights):
    with pytest.raises(SampleError):
        r_indicator(weights)


@pytest.mark.parametrize("rate", [0, 1.5, "0.3", True])
def test_r_indicator_rejects_bad_response_rate(rate):
    with pytest.raises(SampleError):
        r_indicator([1, 2], response_rate=rate)


@pytest.mark.parametrize("propensities", [[], [1.2], [-0.1], [math.nan]])
def test_r_indicator_from_propensities_rejects_bad_values(propensities):
    with pytest.raises(SampleError):
        r_indicator_from_propensities(propensities)


def test_r_indicator_is_within_zero_and_one_for_extreme_weights():
    weights = np.geomspace(0.01, 100, num=50).tolist()
    assert 0 <= r_indicator(weights) <= 1


def _as_columns(people, dimensions):
    return {d: [person.get(d) for person in people] for d in dimensions}


def test_columns_give_the_hand_solution_too():
    # The same 2x2 people as columns: weights 7/6, 7/12, 7/3, 7/6 (see the hand solution above).
    result = rake(_as_columns(TWO_BY_TWO, ["sex", "age"]), HALVES, tol=1e-12)
    assert _cell_weights(result) == pytest.approx([7 / 6, 7 / 12, 7 / 3, 7 / 6], rel=1e-9)


def test_columns_and_rows_agree_with_gaps_and_base_weights():
    rng = random.Random(3)
    people = [{d: rng.choice(cats + [None, "prefer_not"]) for d, cats in (("sex", ["m", "f"]), ("age", ["young", "old"]))}
              for _ in range(200)]
    base = [rng.uniform(0.5, 2) for _ in people]
    by_rows = rake(people, HALVES, base_weights=base)
    by_columns = rake(_as_columns(people, ["sex", "age"]), HALVES, base_weights=base)
    assert by_columns.weights == pytest.approx(by_rows.weights, rel=1e-12)
    assert by_columns.not_stated == by_rows.not_stated


def test_a_dimension_with_no_column_is_not_stated_by_anyone():
    # One man and two women raked to 50/50 share their weight 3 as 1.5 and 0.75 + 0.75; nobody
    # answered on age, so that margin leaves every weight alone.
    result = rake({"sex": ["m", "f", "f"]}, {"sex": {"m": 1, "f": 1}, "age": {"young": 1, "old": 1}})
    assert result.not_stated["age"] == 3 and result.weights == pytest.approx([1.5, 0.75, 0.75])


@pytest.mark.parametrize("columns, message", [
    ({"sex": ["m", "f"], "age": ["old"]}, "differ in length"),
    ({}, "no respondents"),
    ({"sex": []}, "no respondents"),
    ({"sex": "mf"}, "one answer per respondent"),
])
def test_bad_columns_are_refused(columns, message):
    with pytest.raises(SampleError, match=message):
        rake(columns, HALVES)
