"""The R-indicator of representativeness, from propensities or raking weights.

Used by :mod:`analysis.representation`; import from there.
"""

import math
import numbers

import numpy as np

from ._representation_input import SampleError

__all__ = ["implied_propensities", "r_indicator", "r_indicator_from_propensities"]

#: Float slack allowed when checking that implied propensities stay <= 1.
_PROPENSITY_SLACK = 1e-12


def _positive_weights(weights):
    try:
        weights = np.array(weights, dtype=float)
    except (TypeError, ValueError):
        raise SampleError("weights must be a sequence of numbers") from None
    if weights.ndim != 1 or weights.size == 0:
        raise SampleError("weights must be a non-empty flat sequence")
    if not np.all(np.isfinite(weights)) or np.any(weights <= 0):
        raise SampleError(
            "weights must be finite and positive (a zero weight implies an infinite "
            "response propensity; drop zero-weight respondents first)"
        )
    return weights


def implied_propensities(weights, *, response_rate=None):
    """Response propensities implied by (raking) weights, ``ρ̂_i ∝ 1 / w_i``.

    Parameters
    ----------
    weights : sequence of float
        Positive respondent weights (e.g. ``rake(...).weights``).
    response_rate : float, optional
        Overall response rate in ``(0, 1]``. If given, propensities are scaled
        so their population-weighted mean equals it. If not, they are scaled
        so the largest equals 1.

    Returns
    -------
    propensities : list of float
        One propensity per respondent, in input order.

    Raises
    ------
    SampleError
        If a weight is not positive and finite, or the response rate is not in
        ``(0, 1]`` or implies a propensity above 1.

    Notes
    -----
    METHOD: a weight that restores population margins is, for its cell, the
    inverse of the share of that cell's population who responded, so
    ``ρ̂_i = c / w_i``. Each respondent stands for ``w_i`` people, so the
    population mean propensity is ``Σ w_i ρ̂_i / Σ w_i = c / mean(w)``.
    With a known response rate ``r``: ``c = r · mean(w)``, i.e.
    ``ρ̂_i = r · mean(w) / w_i``. Without one (open-call participation has no
    frame to count non-respondents in), ``c = min(w)`` so the most
    responsive group has propensity 1: the largest scaling consistent with
    the weights.

    References
    ----------
    .. [1] Schouten, B., Cobben, F. and Bethlehem, J. (2009). Indicators for
       the representativeness of survey response. Survey Methodology
       35(1):101-113.

    Examples
    --------
    >>> implied_propensities([1, 1, 2])
    [1.0, 1.0, 0.5]
    >>> [round(p, 10) for p in implied_propensities([1, 1, 2], response_rate=0.3)]
    [0.4, 0.4, 0.2]
    """
    return _propensities(_positive_weights(weights), response_rate).tolist()


def _propensities(weights, response_rate, people=None):
    if response_rate is None:
        return weights.min() / weights
    if (
        isinstance(response_rate, bool)
        or not isinstance(response_rate, numbers.Real)
        or not 0 < response_rate <= 1
    ):
        raise SampleError(f"response_rate must be a number in (0, 1], got {response_rate!r}")
    mean = weights.mean() if people is None else float((people * weights).sum() / people.sum())
    propensities = float(response_rate) * mean / weights
    if propensities.max() > 1 + _PROPENSITY_SLACK:
        raise SampleError(
            f"a response rate of {response_rate} with these weights implies a propensity of "
            f"{propensities.max():.3f} > 1; the rate is too high for this spread of weights"
        )
    return np.minimum(propensities, 1.0)


def r_indicator_from_propensities(propensities, *, weights=None):
    """R-indicator ``R = 1 - 2 S(ρ̂)`` from response propensities.

    Parameters
    ----------
    propensities : sequence of float
        Estimated response propensities in ``[0, 1]``.
    weights : sequence of float, optional
        Weights that make the propensities represent the population (design
        weights over a full sample, or raking weights over respondents).
        Default: all equal.

    Returns
    -------
    r : float
        In ``[0, 1]``; 1 when every propensity is equal.

    Raises
    ------
    SampleError
        If propensities are empty, not finite or outside ``[0, 1]``, or the
        weights are unusable.

    Notes
    -----
    METHOD: ``S(ρ̂) = sqrt(Σ w_i (ρ̂_i - ρ̄)² / Σ w_i)`` with
    ``ρ̄ = Σ w_i ρ̂_i / Σ w_i``; ``R = 1 - 2 S``. Schouten et al. divide by
    ``N - 1``; with weights on an arbitrary scale ``N`` is unknown, and the
    factor ``N / (N - 1)`` is negligible at survey sizes, so the population
    (``Σ w``) form is used. Because ``S <= 1/2`` for values in [0, 1],
    ``R`` lies in [0, 1].

    References
    ----------
    .. [1] Schouten, B., Cobben, F. and Bethlehem, J. (2009). Indicators for
       the representativeness of survey response. Survey Methodology
       35(1):101-113, equations (4)-(5).

    Examples
    --------
    >>> r_indicator_from_propensities([0.2, 0.2, 0.2])
    1.0
    >>> round(r_indicator_from_propensities([0.1, 0.3]), 10)
    0.8
    """
    try:
        rho = np.array(propensities, dtype=float)
    except (TypeError, ValueError):
        raise SampleError("propensities must be a sequence of numbers") from None
    if rho.ndim != 1 or rho.size == 0:
        raise SampleError("propensities must be a non-empty flat sequence")
    if not np.all(np.isfinite(rho)) or np.any(rho < 0) or np.any(rho > 1):
        raise SampleError("propensities must be numbers between 0 and 1")
    w = np.ones(rho.size) if weights is None else _positive_weights(weights)
    if w.size != rho.size:
        raise SampleError(f"{w.size} weights for {rho.size} propensities")
    return _one_minus_twice_spread(rho, w)


def _one_minus_twice_spread(rho, w):
    # Multiply-and-sum rather than np.dot: BLAS threads stall on a busy shared
    # machine and cost more than they save at these sizes.
    total = w.sum()
    mean = float((w * rho).sum() / total)
    deviation = rho - mean
    spread = math.sqrt(float((w * deviation * deviation).sum() / total))
    return 1.0 - 2.0 * spread


def r_indicator(weights, *, counts=None, response_rate=None):
    """Representativeness score: the R-indicator implied by raking weights.

    Parameters
    ----------
    weights : sequence of float
        Positive weights that rake the respondents to the population margins
        (``rake(...).weights``; drop zero weights first).
    counts : sequence of int, optional
        Frequency weights: how many people carry each weight (a pattern
        table raked with ``rake(..., counts=...)``). Default: one each; the
        result equals that of the expanded one-per-person weights.
    response_rate : float, optional
        Overall response rate, if the initiative knows how many people were
        invited. See :func:`implied_propensities` for the scaling without it.

    Returns
    -------
    r : float
        ``R = 1 - 2 S(ρ̂)`` in [0, 1]; 1 for equal weights (a sample that
        already matches every margin).

    Raises
    ------
    SampleError
        As :func:`implied_propensities`.

    Notes
    -----
    METHOD: propensities ``ρ̂_i = c / w_i`` (:func:`implied_propensities`),
    then ``R = 1 - 2 S(ρ̂)`` with ``S`` the standard deviation of ``ρ̂`` over
    the population, estimated by weighting each respondent by ``w_i``
    (:func:`r_indicator_from_propensities`).

    Caveats, to be stated wherever the score is shown:

    * R depends on the auxiliary variables chosen: it measures how evenly
      people responded *across the categories of the raking margins* and is
      blind to any imbalance those margins do not capture (and to
      interactions when only one-way margins are raked).
    * It is not a measure of bias on any particular question: a survey with
      R = 1 can still be biased on a question whose answers relate to
      something the margins do not capture.
    * R scales with the response rate: ``S`` is proportional to ``c``.
      Without a response rate the most responsive group is taken to have
      propensity 1, so the score is the *lowest* R consistent with the
      weights; with a low true response rate R is close to 1 whatever the
      imbalance, so compare scores only at the same scaling.

    References
    ----------
    .. [1] Schouten, B., Cobben, F. and Bethlehem, J. (2009). Indicators for
       the representativeness of survey response. Survey Methodology
       35(1):101-113.

    Examples
    --------
    Weights 1, 1, 2 imply propensities 1, 1, 0.5; their population mean is
    ``(1 + 1 + 2 x 0.5) / 4 = 0.75`` and their spread ``S = 0.25``:

    >>> r_indicator([1, 1, 2])
    0.5
    >>> r_indicator([1.0, 1.0, 1.0, 1.0])
    1.0
    """
    weights = _positive_weights(weights)
    if counts is None:
        return _one_minus_twice_spread(_propensities(weights, response_rate), weights)
    people = np.asarray(counts, dtype=float)
    if people.shape != weights.shape or not np.all(np.isfinite(people)) or np.any(people <= 0):
        raise SampleError("counts must be one positive number per weight")
    return _one_minus_twice_spread(_propensities(weights, response_rate, people), weights * people)
