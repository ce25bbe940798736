"""Indicator estimates, forecasts, status and periods against hand-computed and independent figures."""
import doctest
import math

import numpy as np
import pytest
from scipy import stats

from analysis import indicators, periods, trend
from analysis.indicators import (
    count_estimate, mean_estimate, rake_groups, share_estimate, weighted_mean_estimate, weighted_share_estimate,
)
from analysis.periods import PeriodError, month_to_period, parse_period, period_label
from analysis.trend import indicator_status, linear_forecast


def test_doctests():
    for module in (indicators, periods, trend):
        assert doctest.testmod(module).failed == 0


# -- periods -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, frequency, label_after_one", [
    ("2025", "year", "2026"), ("2025-Q4", "quarter", "2026-Q1"), ("2025-12", "month", "2026-01"),
])
def test_periods_count_on_by_one(text, frequency, label_after_one):
    assert period_label(parse_period(text, frequency) + 1, frequency) == label_after_one
    assert period_label(parse_period(text, frequency), frequency) == text


@pytest.mark.parametrize("text, frequency", [
    ("2025-07", "year"), ("2025", "month"), ("2025-Q5", "quarter"), ("2025-13", "month"), ("25", "year"),
    ("2025-7", "month"), ("2025-q3", "quarter"), ("2025\n", "year"),
])
def test_a_period_in_the_wrong_format_is_refused(text, frequency):
    with pytest.raises(PeriodError, match="is not a"):
        parse_period(text, frequency)


def test_months_roll_up():
    assert [month_to_period(m, "quarter") for m in ("2025-01", "2025-03", "2025-04", "2025-12")] == \
        ["2025-Q1", "2025-Q1", "2025-Q2", "2025-Q4"]
    assert month_to_period("2025-12", "year") == "2025" and month_to_period("2025-12", "month") == "2025-12"


# -- values ------------------------------------------------------------------------------------

def test_share_is_successes_over_answered_with_newcombes_wilson_interval():
    e = share_estimate(81, 263)
    assert e["value"] == pytest.approx(81 / 263)
    assert e["ci"] == pytest.approx([0.2553, 0.3662], abs=5e-5)  # Newcombe (1998), Table I
    assert e["n"] == 263 and e["suppressed"] is None


@pytest.mark.parametrize("hits, answered, kind", [
    (0, 9, "too_few"), (3, 40, "primary"), (37, 40, "primary"), (0, 40, None), (40, 40, None), (5, 10, None),
])
def test_small_shares_are_suppressed(hits, answered, kind):
    e = share_estimate(hits, answered)
    assert e["suppressed"] == kind
    assert (e["value"] is None) == (kind is not None)
    assert e["n"] == answered  # who answered is shown; only what they said is hidden


def test_mean_has_a_students_t_interval():
    # 1, 2, 3, 4, 5: mean 3, s = sqrt(2.5), t(4, .975) = 2.776445
    e = mean_estimate(5, 15.0, 55.0)
    half = 2.7764451 * math.sqrt(2.5) / math.sqrt(5)
    assert e["value"] == 3.0
    assert e["ci"] == pytest.approx([3 - half, 3 + half], abs=1e-6)
    assert mean_estimate(4, 10.0, 30.0)["suppressed"] == "too_few"


def test_counts_below_k_are_a_range():
    assert count_estimate(0)["value"] == 0
    assert count_estimate(4) == {"value": None, "ci": None, "n": None, "suppressed": "primary", "range": [1, 4],
                                 "method": {"code": "count", "params": {}}}
    assert count_estimate(5)["value"] == 5


def test_weighted_share_by_hand():
    # 30 men (10 feel safe), 10 women (8 feel safe), a population half men, half women:
    # raking gives men 20/30 = 2/3 each and women 20/10 = 2 each (mean weight 1 over 40 people).
    raked = rake_groups({"sex": ["m", "m", "f", "f"]}, [10, 20, 8, 2], {"sex": {"m": 500, "f": 500}})
    assert raked["weighting"] is None
    assert raked["weights"] == pytest.approx([2 / 3, 2 / 3, 2, 2])
    e = weighted_share_estimate([True, False, True, False], [10, 20, 8, 2], raked["weights"])
    # (10 * 2/3 + 8 * 2) / 40 = 22.667 / 40
    assert e["value"] == pytest.approx((10 * 2 / 3 + 8 * 2) / 40)
    # Kish: (Σw)² / Σw² = 40² / (30 * 4/9 + 10 * 4) = 1600 / 53.333 = 30
    assert e["effective_n"] == 30.0
    z = 1.959963984540054
    p, n = e["value"], 1600 / (30 * 4 / 9 + 10 * 4)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert e["ci"] == pytest.approx([centre - half, centre + half])
    # Wider than the unweighted interval on 40 people: the design effect costs precision.
    plain = share_estimate(18, 40)
    assert e["ci"][1] - e["ci"][0] > plain["ci"][1] - plain["ci"][0]


def test_weighted_mean_by_hand():
    raked = rake_groups({"sex": ["m", "f"]}, [30, 10], {"sex": {"m": 1, "f": 1}})
    e = weighted_mean_estimate([2.0, 4.0], [30, 10], raked["weights"])
    assert e["value"] == pytest.approx(3.0)  # the two groups count half each
    # s_w² = Σwf(x-m)²/Σwf = (20*1 + 20*1)/40 = 1, times n_eff/(n_eff-1) = 30/29
    half = stats.t.ppf(0.975, 29) * math.sqrt(30 / 29 / 30)
    assert e["ci"] == pytest.approx([3 - half, 3 + half])


def test_raking_that_cannot_meet_a_margin_says_so():
    assert rake_groups({"sex": ["m"]}, [20], {"sex": {"m": 1, "f": 1}}) == {"weights": None,
                                                                            "weighting": "unmet_margins"}


# -- forecast and status -------------------------------------------------------------------------

def test_forecast_matches_an_independent_least_squares_fit():
    xs = [24300, 24301, 24302, 24303, 24304, 24306]
    ys = [0.52, 0.55, 0.53, 0.58, 0.60, 0.61]
    horizon = [24307, 24310]
    f = linear_forecast(xs, ys, horizon)
    slope, intercept = np.polyfit(xs, ys, 1)
    fit = stats.linregress(xs, ys)
    assert f["slope"] == pytest.approx(slope) == pytest.approx(fit.slope)
    # Prediction interval, computed here from numpy's residuals: s sqrt(1 + 1/n + (x0 - x̄)²/Sxx)
    x, y = np.array(xs, float), np.array(ys, float)
    residuals = y - np.polyval([slope, intercept], x)
    s = math.sqrt((residuals ** 2).sum() / (len(x) - 2))
    t = stats.t.ppf(0.975, len(x) - 2)
    for point, x0 in zip(f["points"], horizon):
        value = np.polyval([slope, intercept], x0)
        half = t * s * math.sqrt(1 + 1 / len(x) + (x0 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
        assert point["value"] == pytest.approx(value)
        assert [point["lo"], point["hi"]] == pytest.approx([value - half, value + half])
    assert f["points"][1]["hi"] - f["points"][1]["lo"] > f["points"][0]["hi"] - f["points"][0]["lo"]


def test_no_forecast_from_fewer_than_three_values():
    assert linear_forecast([1, 2], [0.5, 0.6], [3])["points"] == []


@pytest.mark.parametrize("latest, polarity, status", [
    ((2026, 0.56), "higher_is_better", "on_track"),     # line expects 0.55 in 2026
    ((2026, 0.54), "higher_is_better", "off_track"),
    ((2026, 0.54), "lower_is_better", "on_track"),
    ((2029, 0.61), "higher_is_better", "on_track"),     # past the last target: against the target itself
    ((2029, 0.59), "higher_is_better", "off_track"),
    (None, "higher_is_better", "no_data"),
])
def test_status_against_the_line_from_baseline_to_next_target(latest, polarity, status):
    result = indicator_status(latest, (2024, 0.50), [(2028, 0.60)], polarity)
    assert result["status"] == status


def test_status_uses_the_next_target_and_no_target_is_no_data():
    targets = [(2026, 0.70), (2030, 0.80)]
    result = indicator_status((2027, 0.71), (2024, 0.50), targets, "higher_is_better")
    assert result["target"] == (2030, 0.80)
    # The line from the passed target (2026, .70) to the next (2030, .80), read at 2027.
    assert result["expected"] == pytest.approx(0.725)
    assert result["status"] == "off_track"
    assert indicator_status((2027, 0.6), None, [], "higher_is_better")["status"] == "no_data"
