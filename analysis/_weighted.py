"""Weighted against unweighted answer shares for any question.

Used by :mod:`analysis.representation`; import from there.
"""

from collections.abc import Mapping, Sequence

import numpy as np

from ._representation_input import MISSING, PREFER_NOT, SampleError, check_k
from ._suppression import DEFAULT_K, protect_cells

__all__ = ["weighted_shares"]

_MULTIPLE_TYPES = (list, tuple, set, frozenset)
#: Codes of the vectorised tally: not-stated slots first, then answer values.
_MISSING_CODE = 0
_PREFER_NOT_CODE = 1
_FIRST_VALUE_CODE = 2


def weighted_shares(values, weights, *, choices=None, k=DEFAULT_K):
    """Unweighted and weighted shares of each answer to one question.

    Parameters
    ----------
    values : sequence
        One answer per respondent: a choice value, or a list of values for
        multiple-choice/ranking questions. ``None``/``"missing"`` is no answer
        and ``"prefer_not"`` is prefer-not-to-say.
    weights : sequence of float
        One non-negative weight per respondent (e.g. ``rake(...).weights``).
    choices : sequence, optional
        Answer values to list first, in this order, even when nobody chose
        them (``"prefer_not"`` among them is still reported as not stated);
        values not listed follow in order of first appearance.
    k : int, optional (default 5)
        Small-cell threshold (counts ``0 < n < k`` suppressed).

    Returns
    -------
    result : dict
        ``{"n", "n_answered", "effective_n", "multiple", "values": [{"value",
        "n", "share", "weighted_share", "suppressed"}], "not_stated":
        {"prefer_not", "missing"}, "k", "method"}``. Shares are over the
        respondents who answered; for multiple answers they need not sum to 1.

    Raises
    ------
    SampleError
        If lengths differ, a weight is negative or not finite, or an answer
        is unhashable.

    Notes
    -----
    METHOD: ``share = n_v / n_answered``; ``weighted share = Σ_{i: v} w_i /
    Σ_{i answered} w_i``; ``effective_n`` is Kish's ``(Σw)² / Σw²`` over
    those who answered, the sample size the weighted shares are worth. An
    empty list (nothing ticked) counts as answered. Suppression as for
    representation tables; single answers form one group (they sum to
    ``n_answered``), multiple answers do not, so only the threshold applies.

    References
    ----------
    .. [1] Kish, L. (1965). Survey Sampling. Wiley, section 11.7.

    Examples
    --------
    >>> result = weighted_shares(["yes", "yes", "no", None], [0.5, 0.5, 2.0, 1.0], k=0)
    >>> [(row["value"], row["share"], row["weighted_share"]) for row in result["values"]]
    [('yes', 0.6666666666666666, 0.3333333333333333), ('no', 0.3333333333333333, 0.6666666666666666)]
    """
    check_k(k)
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Sequence):
        raise SampleError("values must be a sequence with one answer per respondent")
    weight_array = _weights(weights, len(values))
    positions = {}
    for choice in choices or ():
        # Survey choice lists include "prefer_not"; it is reported under not_stated.
        if choice is not None and not (isinstance(choice, str) and choice in (MISSING, PREFER_NOT)):
            _add_value(positions, choice)
    try:
        distinct = dict.fromkeys(values)
    except TypeError:  # a list answer: multiple choice
        distinct = None
    if distinct is not None and not any(isinstance(value, _MULTIPLE_TYPES) for value in distinct):
        tally = _tally_single(values, weight_array, distinct, positions)
    else:
        tally = _tally_multiple(values, weight_array.tolist(), positions)
    return _result(positions, *tally, k)


def _tally_single(values, weights, distinct, positions):
    """Vectorised tally for one answer per respondent."""
    code_of = {MISSING: _MISSING_CODE, None: _MISSING_CODE, PREFER_NOT: _PREFER_NOT_CODE}
    for value in distinct:
        if value not in code_of:
            _add_value(positions, value)
    code_of.update((value, position + _FIRST_VALUE_CODE) for value, position in positions.items())
    codes = np.fromiter(map(code_of.__getitem__, values), dtype=np.intp, count=len(values))
    size = len(positions) + _FIRST_VALUE_CODE
    counts = np.bincount(codes, minlength=size)
    sums = np.bincount(codes, weights=weights, minlength=size)
    answered = codes >= _FIRST_VALUE_CODE
    answered_weights = weights[answered]
    not_stated = {PREFER_NOT: int(counts[_PREFER_NOT_CODE]), MISSING: int(counts[_MISSING_CODE])}
    return (
        counts[_FIRST_VALUE_CODE:].tolist(),
        sums[_FIRST_VALUE_CODE:].tolist(),
        not_stated,
        int(np.count_nonzero(answered)),
        float(answered_weights.sum()),
        float((answered_weights * answered_weights).sum()),
        False,
    )


def _tally_multiple(values, weights, positions):
    """Plain loop for list answers (each respondent may count for several values)."""
    counts = [0] * len(positions)
    sums = [0.0] * len(positions)
    not_stated = {PREFER_NOT: 0, MISSING: 0}
    answered = 0
    weight_sum = square_sum = 0.0
    for value, weight in zip(values, weights):
        if value is None or (isinstance(value, str) and value in not_stated):
            not_stated[MISSING if value is None else value] += 1
            continue
        answered += 1
        weight_sum += weight
        square_sum += weight * weight
        items = dict.fromkeys(value) if isinstance(value, _MULTIPLE_TYPES) else (value,)
        for item in items:  # a value ticked twice counts once
            position = _add_value(positions, item)
            if position == len(counts):
                counts.append(0)
                sums.append(0.0)
            counts[position] += 1
            sums[position] += weight
    return counts, sums, not_stated, answered, weight_sum, square_sum, True


def _weights(weights, n):
    try:
        array = np.array(weights, dtype=float)
    except (TypeError, ValueError):
        raise SampleError("weights must be a sequence of numbers") from None
    if array.shape != (n,):
        raise SampleError(f"{array.size} weights for {n} answers")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise SampleError("weights must be finite and non-negative")
    return array


def _add_value(positions, value):
    try:
        return positions.setdefault(value, len(positions))
    except TypeError:
        raise SampleError(f"answer {value!r} is not a usable value (unhashable)") from None


def _result(positions, counts, sums, not_stated, answered, weight_sum, square_sum, multiple, k):
    all_counts = counts + list(not_stated.values())
    groups = [list(range(len(counts), len(all_counts)))]
    if not multiple:
        groups.append(list(range(len(counts))))
    hidden = protect_cells(all_counts, groups, k=k)
    rows = []
    for value, position in positions.items():
        suppressed = hidden[position]
        count = counts[position]
        rows.append(
            {
                "value": value,
                "n": None if suppressed else count,
                "share": None if suppressed or not answered else count / answered,
                "weighted_share": None if suppressed or weight_sum <= 0 else sums[position] / weight_sum,
                "suppressed": suppressed,
            }
        )
    return {
        "n": answered + sum(not_stated.values()),
        "n_answered": answered,
        # Kish: n / deff = (Σw)² / Σw² over those who answered.
        "effective_n": weight_sum * weight_sum / square_sum if square_sum > 0 else None,
        "multiple": multiple,
        "values": rows,
        "not_stated": {
            key: (None if hidden[len(counts) + offset] else count)
            for offset, (key, count) in enumerate(not_stated.items())
        },
        "k": k,
        "method": (
            "Shares are of the respondents who answered (prefer-not-to-say and missing counted "
            "separately); the weighted share sums their weights instead of counting them; "
            "effective n is Kish's (sum of weights)^2 / sum of squared weights; small counts "
            "are suppressed."
        ),
    }
