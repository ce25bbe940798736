"""Indicator values per period: shares, means and counts, with their intervals (public module).

Plain numbers in, plain dicts out, no Flask, no database. Each estimate is
``{"value", "ci", "n", "suppressed", "range", "method"}``: ``ci`` is
``[lo, hi]`` or None, ``n`` the respondents it rests on, ``suppressed`` None or
the kind of hidden cell (:mod:`analysis.suppression`) and then ``value``,
``ci`` (and, for a count, ``n``) are None. Weighted estimates also carry
``effective_n``; :func:`rake_groups` makes the weights, or says why there are
none (the caller then shows the unweighted value and why). Methods are codes with parameters
(``{"code", "params"}``) for the caller to word in the reader's language.
Trends and status: :mod:`analysis.trend`. Periods: :mod:`analysis.periods`.
"""

import math

import numpy as np
from scipy import stats

from ._raking import rake
from ._representation_input import RepresentationError
from ._stats import wilson_interval, z_critical
from .suppression import DEFAULT_K, PRIMARY, TOO_FEW, minimum_n

__all__ = [
    "CONFIDENCE", "share_estimate", "mean_estimate", "count_estimate",
    "rake_groups", "weighted_share_estimate", "weighted_mean_estimate",
]

#: Confidence level of every interval: the conventional 95 %.
CONFIDENCE = 0.95
#: Cells a share splits respondents into (gave the answers / did not), for the minimum n.
_SHARE_CELLS = 2


def _hidden(kind, n, method, *, k):
    return {"value": None, "ci": None, "n": n, "suppressed": kind,
            "range": [1, k - 1] if kind == PRIMARY else None, "method": method}


def share_estimate(successes, answered, *, k=DEFAULT_K, confidence=CONFIDENCE):
    """The share of respondents who gave the counted answers, with its Wilson interval.

    Parameters
    ----------
    successes : int
        Respondents who gave one of the counted answers.
    answered : int
        Respondents who answered the question at all (skips excluded).
    k : int, optional (default 5)
        Small-cell threshold; ``k <= 1`` hides nothing.
    confidence : float, optional (default 0.95)

    Returns
    -------
    estimate : dict
        ``{"value", "ci", "n", "suppressed", "range", "method"}``; ``n`` is
        `answered`. Nothing is shown (``"too_few"``) below ``minimum_n(2, k)``
        answers; the value is hidden (``"primary"``) when those who gave the
        answers, or those who did not, number 1 to k-1; ``n`` stays shown.

    Notes
    -----
    METHOD: ``p = successes / answered``; the Wilson score interval
    (:func:`analysis._stats.wilson_interval`). The suppression is the
    representation tables' threshold rule applied to the two cells the share
    splits respondents into: "all but two gave this answer" singles out the
    two as much as "two gave it".

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession,
       and statistical inference. JASA 22(158):209-212.
    .. [2] Hundepool, A. et al. (2012). Statistical Disclosure Control.
       Wiley, section 5.2 (threshold rule).

    Examples
    --------
    >>> e = share_estimate(81, 263)
    >>> round(e["value"], 4), [round(b, 4) for b in e["ci"]], e["n"]
    (0.308, [0.2553, 0.3662], 263)
    >>> share_estimate(3, 40)["suppressed"]
    'primary'
    """
    method = {"code": "share_wilson", "params": {"confidence": confidence}}
    if answered == 0:
        return _hidden(None, 0, method, k=k)
    if answered < minimum_n(_SHARE_CELLS, k):
        return _hidden(TOO_FEW, answered, method, k=k)
    if 0 < successes < k or 0 < answered - successes < k:
        return _hidden(PRIMARY, answered, method, k=k)
    low, high = wilson_interval(int(successes), int(answered), confidence=confidence)
    return {"value": successes / answered, "ci": [low, high], "n": int(answered),
            "suppressed": None, "range": None, "method": method}


def mean_estimate(n, total, total_squares, *, k=DEFAULT_K, confidence=CONFIDENCE):
    """The mean of a number or rating over those who answered, with its t interval.

    Parameters
    ----------
    n : int
        Respondents who answered.
    total, total_squares : float
        ``Σx`` and ``Σx²`` over them (sums a database can add up).
    k : int, optional (default 5)
        Below `k` answers the mean is not shown (``"too_few"``).
    confidence : float, optional (default 0.95)

    Returns
    -------
    estimate : dict
        ``{"value", "ci", "n", "suppressed", "range", "method"}``; ``ci`` is
        None for a single answer.

    Notes
    -----
    METHOD: ``mean = Σx / n``; sample variance
    ``s² = (Σx² - n mean²) / (n - 1)``; interval
    ``mean ± t_{n-1, (1+confidence)/2} s / sqrt(n)`` (Student's t).

    References
    ----------
    .. [1] Student (1908). The probable error of a mean. Biometrika 6(1):1-25.

    Examples
    --------
    >>> e = mean_estimate(5, 15.0, 55.0)        # 1, 2, 3, 4, 5
    >>> e["value"], [round(b, 4) for b in e["ci"]]
    (3.0, [1.0368, 4.9632])
    """
    method = {"code": "mean_t", "params": {"confidence": confidence}}
    if n == 0:
        return _hidden(None, 0, method, k=k)
    if n < max(k, 1):
        return _hidden(TOO_FEW, n, method, k=k)
    mean = total / n
    ci = None
    if n > 1:
        variance = max(0.0, (total_squares - n * mean * mean) / (n - 1))
        half = float(stats.t.ppf((1 + confidence) / 2, n - 1)) * math.sqrt(variance / n)
        ci = [mean - half, mean + half]
    return {"value": mean, "ci": ci, "n": int(n), "suppressed": None, "range": None, "method": method}


def count_estimate(count, *, k=DEFAULT_K):
    """A count of respondents, hidden as "1 to k-1" when small.

    Returns
    -------
    estimate : dict
        ``{"value", "ci": None, "n", "suppressed", "range", "method"}``.

    Notes
    -----
    METHOD: the number of standing responses in the period; a count from 1
    to k-1 is a primary cell (threshold rule) published as the range
    ``[1, k-1]``. Zero is shown: it singles nobody out.

    Examples
    --------
    >>> count_estimate(12)["value"], count_estimate(3)["range"]
    (12, [1, 4])
    """
    method = {"code": "count", "params": {}}
    if 0 < count < k:
        return _hidden(PRIMARY, None, method, k=k)
    return {"value": int(count), "ci": None, "n": int(count), "suppressed": None, "range": None, "method": method}


def rake_groups(columns, counts, margins):
    """Raking weights for groups of respondents, or why there are none.

    Parameters
    ----------
    columns : mapping
        ``{dimension: [category of group 0, 1, ...]}``: each group's
        demographic answers (None or "prefer_not" when not stated).
    counts : sequence of int
        People in each group (frequency weights).
    margins : mapping
        ``{dimension: {category: population}}``, the population baseline.

    Returns
    -------
    result : dict
        ``{"weights": [float per group] or None, "weighting": None or the
        reason there are no weights: "unmet_margins" (a category with
        population but no respondent), "not_converged", "raking_failed"}``.

    Notes
    -----
    METHOD: :func:`analysis.representation.rake` (iterative proportional
    fitting, Deming and Stephan 1940). Raking factors depend only on a
    respondent's categories, so groups of (pattern, answer) rake as their
    people would; weights from the whole period also serve its domains
    (one category of a dimension), the usual domain estimation.

    Examples
    --------
    >>> rake_groups({"sex": ["m", "f"]}, [30, 10], {"sex": {"m": 1, "f": 1}})["weights"]
    [0.6666666666666666, 2.0]
    """
    if _unmet_margin(columns, counts, margins):
        # Raking would sweep to its iteration limit and report the same: settle it up front.
        return {"weights": None, "weighting": "unmet_margins"}
    try:
        result = rake(columns, margins, counts=counts)
    except RepresentationError:
        return {"weights": None, "weighting": "raking_failed"}
    if result.unmet:
        return {"weights": None, "weighting": "unmet_margins"}
    if not result.converged:
        return {"weights": None, "weighting": "not_converged"}
    return {"weights": result.weights, "weighting": None}


def _unmet_margin(columns, counts, margins):
    """True when a category with population has nobody in these groups."""
    for dimension, table in margins.items():
        present = {category for category, n in zip(columns.get(dimension, ()), counts) if n > 0}
        if any(population > 0 and category not in present for category, population in table.items()):
            return True
    return False


def _effective_n(weights, people):
    total = float((weights * people).sum())
    return total, total * total / float((weights * weights * people).sum())


def weighted_share_estimate(outcomes, counts, weights, *, k=DEFAULT_K, confidence=CONFIDENCE):
    """A weighted share with a design-effect-aware Wilson interval.

    Parameters
    ----------
    outcomes : sequence of bool
        Whether each group gave one of the counted answers.
    counts : sequence of int
        People in each group (frequency weights).
    weights : sequence of float
        Each group's weight per person (:func:`rake_groups`).
    k, confidence : as for :func:`share_estimate`.

    Returns
    -------
    estimate : dict
        As :func:`share_estimate`, plus ``"effective_n"``.

    Notes
    -----
    METHOD: weighted share ``p_w = Σ w f y / Σ w f``; Kish's effective
    sample size ``n_eff = (Σ w f)² / Σ w² f``; the interval is Wilson's with
    ``n_eff`` in place of n (Kish 1965; Korn and Graubard 1998), so unequal
    weights widen it by the design effect. Suppression is decided on the
    unweighted counts, as for :func:`share_estimate`; ``effective_n`` is
    rounded to whole people while suppression is on, since weights are
    functions of every count.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, section 11.7.
    .. [2] Korn, E. L. and Graubard, B. I. (1998). Confidence intervals for
       proportions with small expected number of positive counts estimated
       from survey data. Survey Methodology 24(2):193-201.
    .. [3] Dean, N. and Pagano, M. (2015). Evaluating confidence interval
       methods for binomial proportions in clustered surveys. Journal of
       Survey Statistics and Methodology 3(4):484-503.

    Examples
    --------
    Thirty men (ten counted) weighted 2/3 and ten women (all counted)
    weighted 2: the weighted share is (20/3 + 20) / 40 = 2/3.

    >>> e = weighted_share_estimate([True, False, True], [10, 20, 10], [2 / 3, 2 / 3, 2.0])
    >>> round(e["value"], 4), e["effective_n"], e["n"]
    (0.6667, 30.0, 40)
    """
    people = np.asarray(counts, dtype=float)
    hits = np.asarray(outcomes, dtype=bool)
    answered, successes = int(people.sum()), int(people[hits].sum())
    plain = share_estimate(successes, answered, k=k, confidence=confidence)
    plain["method"] = {"code": "share_weighted_wilson_kish", "params": {"confidence": confidence}}
    if not answered or plain["suppressed"]:
        return {**plain, "effective_n": None}
    w = np.asarray(weights, dtype=float)
    total, n_eff = _effective_n(w, people)
    share = float((w * people)[hits].sum()) / total
    z = z_critical(confidence)
    # Wilson's formula with n_eff trials (n_eff need not be whole).
    denominator = 1 + z * z / n_eff
    centre = (share + z * z / (2 * n_eff)) / denominator
    half = z * math.sqrt(share * (1 - share) / n_eff + z * z / (4 * n_eff * n_eff)) / denominator
    return {**plain, "value": share, "ci": [max(0.0, centre - half), min(1.0, centre + half)],
            "effective_n": float(round(n_eff)) if k > 1 else n_eff}


def weighted_mean_estimate(values, counts, weights, *, k=DEFAULT_K, confidence=CONFIDENCE):
    """A weighted mean with a t interval on the effective sample size.

    Parameters
    ----------
    values : sequence of float
        The answer of each group (groups are (pattern, value) pairs).
    counts : sequence of int
        People in each group.
    weights : sequence of float
        Each group's weight per person (:func:`rake_groups`).
    k, confidence : as for :func:`mean_estimate`.

    Returns
    -------
    estimate : dict
        As :func:`mean_estimate`, plus ``"effective_n"``.

    Notes
    -----
    METHOD: weighted mean ``m_w = Σ w f x / Σ w f``; weighted variance
    ``s_w² = Σ w f (x - m_w)² / Σ w f``, times ``n_eff / (n_eff - 1)``;
    interval ``m_w ± t_{n_eff - 1} s_w / sqrt(n_eff)`` with Kish's
    ``n_eff = (Σ w f)² / Σ w² f``: the design effect of unequal weights
    widens it (Kish 1965, section 11.7; Potthoff, Woodbury and Manton 1992).

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, section 11.7.
    .. [2] Potthoff, R. F., Woodbury, M. A. and Manton, K. G. (1992).
       "Equivalent sample size" and "equivalent degrees of freedom"
       refinements for inference using survey weights under superpopulation
       models. JASA 87(418):383-396.

    Examples
    --------
    >>> e = weighted_mean_estimate([2.0, 4.0], [30, 10], [2 / 3, 2.0])
    >>> round(e["value"], 4), e["effective_n"]
    (3.0, 30.0)
    """
    people = np.asarray(counts, dtype=float)
    x = np.asarray(values, dtype=float)
    n = int(people.sum())
    plain = mean_estimate(n, float((people * x).sum()), float((people * x * x).sum()), k=k, confidence=confidence)
    plain["method"] = {"code": "mean_weighted_t_kish", "params": {"confidence": confidence}}
    if not n or plain["suppressed"]:
        return {**plain, "effective_n": None}
    w = np.asarray(weights, dtype=float)
    total, n_eff = _effective_n(w, people)
    mean = float((w * people * x).sum()) / total
    ci = None
    if n_eff > 1:
        variance = float((w * people * (x - mean) ** 2).sum()) / total * n_eff / (n_eff - 1)
        half = float(stats.t.ppf((1 + confidence) / 2, n_eff - 1)) * math.sqrt(variance / n_eff)
        ci = [mean - half, mean + half]
    return {**plain, "value": mean, "ci": ci, "effective_n": float(round(n_eff)) if k > 1 else n_eff}
