"""Small textbook statistics shared by the analysis modules.

Plain floats in, plain floats out; no Flask, no database. Each helper is the
published formula, named after its source, so callers can cite it.
"""

import functools
import math
from typing import NamedTuple

import numpy as np
from scipy import special, stats

__all__ = [
    "StatisticsInputError",
    "ChiSquare",
    "z_critical",
    "wilson_interval",
    "chi_square_goodness_of_fit",
    "kish_design_effect",
]


class StatisticsInputError(ValueError):
    """Raised when a statistic is asked for on input it is not defined for."""


class ChiSquare(NamedTuple):
    """Result of a chi-square test: statistic, degrees of freedom, p-value."""

    statistic: float
    df: int
    p: float


def z_critical(confidence=0.95):
    """Two-sided standard normal critical value for a confidence level.

    Parameters
    ----------
    confidence : float, optional (default 0.95)
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    z : float
        The ``1 - (1 - confidence) / 2`` quantile of the standard normal.

    Raises
    ------
    StatisticsInputError
        If `confidence` is not a number strictly between 0 and 1.

    Notes
    -----
    METHOD: inverse of the standard normal distribution function
    (``scipy.special.ndtri``, the routine behind ``scipy.stats.norm.ppf``).

    References
    ----------
    .. [1] Abramowitz, M. and Stegun, I. A. (1964). Handbook of Mathematical
       Functions, section 26.2.

    Examples
    --------
    >>> round(z_critical(0.95), 4)
    1.96
    """
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)):
        raise StatisticsInputError(f"confidence must be a number, got {confidence!r}")
    if not 0 < confidence < 1:
        raise StatisticsInputError(
            f"confidence must be strictly between 0 and 1 (e.g. 0.95), got {confidence!r}"
        )
    return _two_sided_z(float(confidence))


@functools.lru_cache(maxsize=16)
def _two_sided_z(confidence):
    # Cached: tables ask for the same level once per cell, and the quantile
    # costs far more than the interval itself.
    return float(special.ndtri(1 - (1 - confidence) / 2))


def wilson_interval(successes, trials, *, confidence=0.95):
    """Wilson score confidence interval for a binomial proportion.

    Parameters
    ----------
    successes : int
        Number of successes, ``0 <= successes <= trials``.
    trials : int
        Number of trials, at least 1.
    confidence : float, optional (default 0.95)
        Confidence level.

    Returns
    -------
    (low, high) : tuple of float
        Interval bounds, both within ``[0, 1]``.

    Raises
    ------
    StatisticsInputError
        If the counts are negative, not whole numbers, or ``trials`` is 0.

    Notes
    -----
    METHOD: the interval is the set of proportions ``p`` for which the score
    test does not reject, i.e. the roots of
    ``(p_hat - p)**2 = z**2 p (1 - p) / n``:

    ``(p_hat + z²/2n ± z sqrt(p_hat (1 - p_hat)/n + z²/4n²)) / (1 + z²/n)``.

    Unlike the Wald interval it stays inside [0, 1] and keeps close to its
    nominal coverage for small counts and proportions near 0 or 1, which is
    exactly where under-represented groups sit.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession,
       and statistical inference. JASA 22(158):209-212.
    .. [2] Newcombe, R. G. (1998). Two-sided confidence intervals for the
       single proportion: comparison of seven methods. Statistics in
       Medicine 17(8):857-872 (Table I gives 81/263 -> 0.2553 to 0.3662).

    Examples
    --------
    >>> low, high = wilson_interval(81, 263)
    >>> round(low, 4), round(high, 4)
    (0.2553, 0.3662)
    """
    for name, value in (("successes", successes), ("trials", trials)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise StatisticsInputError(f"{name} must be a non-negative whole number, got {value!r}")
    if trials == 0:
        raise StatisticsInputError("a proportion needs at least one trial (trials == 0)")
    if successes > trials:
        raise StatisticsInputError(f"successes ({successes}) cannot exceed trials ({trials})")
    z = z_critical(confidence)
    n = float(trials)
    p_hat = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p_hat + z2 / (2 * n)) / denominator
    half_width = z * math.sqrt(p_hat * (1 - p_hat) / n + z2 / (4 * n * n)) / denominator
    # Rounding can push a bound a hair outside [0, 1] when p_hat is 0 or 1.
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


def chi_square_goodness_of_fit(observed, expected):
    """Pearson chi-square goodness-of-fit test of counts against expectations.

    Parameters
    ----------
    observed : sequence of float
        Observed counts, one per cell.
    expected : sequence of float
        Expected counts, same length, all strictly positive, with the same
        total as `observed`.

    Returns
    -------
    ChiSquare
        ``(statistic, df, p)`` with ``df = cells - 1``.

    Raises
    ------
    StatisticsInputError
        If fewer than two cells, lengths differ, an expected count is not
        positive, or the totals differ.

    Notes
    -----
    METHOD: ``X² = Σ (O - E)² / E`` referred to the chi-square distribution
    with ``cells - 1`` degrees of freedom; ``p = chi2.sf(X², df)``. The
    approximation wants expected counts of about 5 or more in most cells
    (Cochran 1954); callers report the smallest expected count.

    References
    ----------
    .. [1] Pearson, K. (1900). On the criterion that a given system of
       deviations ... Philosophical Magazine 50(302):157-175.
    .. [2] Cochran, W. G. (1954). Some methods for strengthening the common
       chi-square tests. Biometrics 10(4):417-451.

    Examples
    --------
    Mendel's peas against 9:3:3:1 (X² = 0.470, p = 0.925):

    >>> total = 315 + 108 + 101 + 32
    >>> result = chi_square_goodness_of_fit(
    ...     [315, 108, 101, 32], [total * 9 / 16, total * 3 / 16, total * 3 / 16, total / 16])
    >>> round(result.statistic, 3), result.df, round(result.p, 3)
    (0.47, 3, 0.925)
    """
    observed = np.asarray(observed, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if observed.ndim != 1 or observed.shape != expected.shape:
        raise StatisticsInputError("observed and expected must be flat sequences of equal length")
    if observed.size < 2:
        raise StatisticsInputError("a goodness-of-fit test needs at least two cells")
    if not np.all(np.isfinite(expected)) or np.any(expected <= 0):
        raise StatisticsInputError("every expected count must be a positive number")
    if not math.isclose(observed.sum(), expected.sum(), rel_tol=1e-8):
        raise StatisticsInputError(
            f"observed total {observed.sum()} differs from expected total {expected.sum()}"
        )
    statistic = float(np.sum((observed - expected) ** 2 / expected))
    df = int(observed.size - 1)
    return ChiSquare(statistic, df, float(stats.chi2.sf(statistic, df)))


def kish_design_effect(weights, *, counts=None):
    """Kish's design effect due to unequal weighting.

    Parameters
    ----------
    weights : sequence of float
        Non-negative weights, not all zero.
    counts : sequence of float, optional
        Frequency weights: how many people carry each weight (a pattern
        table). Default: one each.

    Returns
    -------
    deff : float
        ``n Σw² / (Σw)²`` over people (``N Σ f w² / (Σ f w)²`` with
        ``N = Σ f``); 1 for equal weights, larger as weights vary.

    Raises
    ------
    StatisticsInputError
        If there are no weights, a weight is negative or not finite, or all
        are zero.

    Notes
    -----
    METHOD: ``deff = n Σ w_i² / (Σ w_i)² = 1 + CV²(w)``; the effective sample
    size is ``n / deff``.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, section 11.7.
    .. [2] Kish, L. (1992). Weighting for unequal P_i. Journal of Official
       Statistics 8(2):183-200.

    Examples
    --------
    >>> kish_design_effect([1, 1, 2])
    1.125
    >>> kish_design_effect([1, 2], counts=[2, 1])  # the same three people
    1.125
    """
    weights = np.asarray(weights, dtype=float)
    if weights.ndim != 1 or weights.size == 0:
        raise StatisticsInputError("weights must be a non-empty flat sequence")
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise StatisticsInputError("weights must be finite and non-negative")
    people = np.ones(weights.size) if counts is None else np.asarray(counts, dtype=float)
    if people.shape != weights.shape or not np.all(np.isfinite(people)) or np.any(people < 0):
        raise StatisticsInputError("counts must be one non-negative number per weight")
    total = float((people * weights).sum())
    if total == 0:
        raise StatisticsInputError("weights are all zero")
    return float(people.sum() * (people * weights * weights).sum() / (total * total))
