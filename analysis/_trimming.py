"""Trimming bounds for raking weights (trim-and-rake), relative to the mean positive weight.

Used by :mod:`analysis._raking`; import :func:`analysis.representation.rake`.
"""

import numpy as np

__all__ = ["bound_violation", "clip_to_bounds", "count_on_bounds"]

#: Relative slack when counting weights that sit on a trimming bound.
_AT_BOUND_RTOL = 1e-9
#: Passes of clip-to-bounds per sweep; each pass shrinks the overshoot that
#: the move of the mean causes, and a handful is ample.
_MAX_CLIP_PASSES = 20


def _positive_mean(weights, people):
    """Mean weight of the people whose weight is positive (0 if none).

    People in zero-population categories carry weight 0; counting them would
    pull the trimming bounds down until a feasible trim cannot converge."""
    positive = (weights > 0) & (people > 0)
    mass = float(people[positive].sum())
    return float((weights[positive] * people[positive]).sum()) / mass if mass > 0 else 0.0


def clip_to_bounds(weights, people, bounds, tol):
    lo, hi = bounds
    positive = weights > 0  # zero weights (zero-population cells) stay zero
    # Clipping moves the mean, so one pass can leave weights just outside the
    # bounds relative to the new mean; a few passes settle it.
    for _ in range(_MAX_CLIP_PASSES):
        mean = _positive_mean(weights, people)
        weights[positive] = np.clip(weights[positive], lo * mean, hi * mean)
        if bound_violation(weights, people, bounds) <= tol:
            return


def bound_violation(weights, people, bounds):
    if bounds is None:
        return 0.0
    lo, hi = bounds
    mean = _positive_mean(weights, people)
    if mean <= 0:
        return 0.0
    ratio = weights[(weights > 0) & (people > 0)] / mean
    return max(0.0, lo - float(ratio.min()), float(ratio.max()) - hi)


def count_on_bounds(weights, people, bounds):
    if bounds is None:
        return 0
    lo, hi = bounds
    mean = _positive_mean(weights, people)
    if mean <= 0:
        return 0
    ratio = weights / mean
    positive = ratio > 0
    on_low = ratio <= lo * (1 + _AT_BOUND_RTOL)
    on_high = ratio >= hi * (1 - _AT_BOUND_RTOL)
    return int(people[positive & (on_low | on_high)].sum())
