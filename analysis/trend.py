"""Trends and status of an indicator: the "do nothing" forecast and on track / off track (public module).

Plain numbers in, plain dicts out; no Flask, no database. Periods are the
ordinals of :mod:`analysis.periods` (consecutive periods differ by one).
"""

import math

import numpy as np
from scipy import stats

from .indicators import CONFIDENCE

__all__ = ["MIN_POINTS", "linear_forecast", "indicator_status", "ON_TRACK", "OFF_TRACK", "NO_DATA"]

#: Fewest values a line with a prediction interval needs: two parameters leave n - 2 degrees
#: of freedom for the residual variance, so at least one.
MIN_POINTS = 3
ON_TRACK, OFF_TRACK, NO_DATA = "on_track", "off_track", "no_data"


def linear_forecast(xs, ys, horizon, *, confidence=CONFIDENCE):
    """Fit a straight line to the history and extend it: the "do nothing" forecast.

    Parameters
    ----------
    xs : sequence of int
        Period ordinals of the known values.
    ys : sequence of float
        The values, one per ordinal.
    horizon : sequence of int
        Period ordinals to forecast.
    confidence : float, optional (default 0.95)
        Level of the prediction intervals.

    Returns
    -------
    forecast : dict
        ``{"slope", "intercept", "residual_se", "n", "points": [{"x", "value",
        "lo", "hi"}], "method"}``; with fewer than :data:`MIN_POINTS` values
        ``points`` is empty and ``slope``/``intercept`` None.

    Notes
    -----
    METHOD: ordinary least squares of value on period,
    ``y = a + b x``, ``b = Sxy / Sxx``, ``a = ȳ - b x̄``; residual standard
    error ``s = sqrt(Σ e² / (n - 2))``; the prediction interval of a new value
    at ``x0`` is ``a + b x0 ± t_{n-2, (1+confidence)/2} s sqrt(1 + 1/n +
    (x0 - x̄)² / Sxx)``, the textbook interval for one future observation.
    "Do nothing" reads: if the past trend simply went on. Values with no
    estimate (suppressed or no answers) are left out by the caller.

    References
    ----------
    .. [1] Montgomery, D. C., Peck, E. A. and Vining, G. G. (2012).
       Introduction to Linear Regression Analysis, 5th ed. Wiley, section 2.5.
    .. [2] Friedman, M. (2005). Trying Hard Is Not Good Enough. Trafford
       (the "turn the curve" forecast of Results-Based Accountability).

    Examples
    --------
    >>> f = linear_forecast([0, 1, 2, 3], [1.0, 2.0, 2.9, 4.1], [4])
    >>> round(f["slope"], 2), round(f["points"][0]["value"], 2)
    (1.02, 5.05)
    """
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    method = {"code": "ols_prediction_interval", "params": {"confidence": confidence, "min_points": MIN_POINTS}}
    n = len(x)
    if n < MIN_POINTS or len(set(xs)) < 2:
        return {"slope": None, "intercept": None, "residual_se": None, "n": n, "points": [], "method": method}
    mean_x, mean_y = x.mean(), y.mean()
    sxx = float(((x - mean_x) ** 2).sum())
    slope = float(((x - mean_x) * (y - mean_y)).sum()) / sxx
    intercept = float(mean_y - slope * mean_x)
    residuals = y - (intercept + slope * x)
    se = math.sqrt(float((residuals ** 2).sum()) / (n - 2))
    t = float(stats.t.ppf((1 + confidence) / 2, n - 2))
    points = []
    for x0 in horizon:
        value = intercept + slope * x0
        half = t * se * math.sqrt(1 + 1 / n + (x0 - mean_x) ** 2 / sxx)
        points.append({"x": int(x0), "value": value, "lo": value - half, "hi": value + half})
    return {"slope": slope, "intercept": intercept, "residual_se": se, "n": n, "points": points, "method": method}


def indicator_status(latest, baseline, targets, polarity):
    """On track, off track or no data, against the next target.

    Parameters
    ----------
    latest : (int, float) or None
        The ordinal and value of the latest period with a value.
    baseline : (int, float) or None
        The baseline's ordinal and value.
    targets : sequence of (int, float)
        Targets, any order.
    polarity : {"higher_is_better", "lower_is_better"}

    Returns
    -------
    status : dict
        ``{"status", "target": (x, value) or None, "expected", "rule"}``;
        ``expected`` is the value the rule compared the latest value with.

    Notes
    -----
    METHOD (the rule shown with every status): the *next target* is the
    earliest target at or after the latest value's period, else the last
    target. The *expected value* is the straight line from the previous
    milestone (the latest earlier target, else the baseline) to that target,
    read at the latest period (the target itself when there is no milestone
    before the target, or the latest period is past it). **On
    track** when the latest value is at least as good as the expected value
    (higher or equal when higher is better, lower or equal when lower is
    better); **off track** otherwise; **no data** when there is no value yet
    or no target.

    References
    ----------
    .. [1] Friedman, M. (2005). Trying Hard Is Not Good Enough. Trafford,
       chapter 3 (baselines, targets and turning the curve).

    Examples
    --------
    Baseline 0.50 in 2024, target 0.60 in 2028: in 2026 the line expects 0.55.

    >>> s = indicator_status((2026, 0.56), (2024, 0.50), [(2028, 0.60)], "higher_is_better")
    >>> s["status"], round(s["expected"], 2)
    ('on_track', 0.55)
    """
    rule = {"code": "trajectory", "params": {"polarity": polarity}}
    if latest is None or not targets:
        return {"status": NO_DATA, "target": None, "expected": None, "rule": rule}
    ordered = sorted(targets)
    x, value = latest
    target = next((t for t in ordered if t[0] >= x), ordered[-1])
    expected = target[1]
    milestones = [t for t in ordered if t[0] < target[0]] or ([baseline] if baseline is not None else [])
    start = milestones[-1] if milestones else None
    if start is not None and start[0] < target[0] and start[0] <= x < target[0]:
        share = (x - start[0]) / (target[0] - start[0])
        expected = start[1] + share * (target[1] - start[1])
    better = value >= expected if polarity == "higher_is_better" else value <= expected
    return {"status": ON_TRACK if better else OFF_TRACK, "target": tuple(target), "expected": expected, "rule": rule}
