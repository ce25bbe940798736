"""Weighted against unweighted answer shares for any question.

Used by :mod:`analysis.representation`; import from there.
"""

from collections.abc import Mapping, Sequence

import numpy as np

from ._representation_input import MISSING, PREFER_NOT, SampleError, check_k, frequency_weights
from .suppression import DEFAULT_K, PRIMARY, TOO_FEW, minimum_n, suppress_cells

__all__ = ["weighted_shares"]

_MULTIPLE_TYPES = (list, tuple, set, frozenset)
#: Codes of the vectorised tally: not-stated slots first, then answer values.
_MISSING_CODE = 0
_PREFER_NOT_CODE = 1
_FIRST_VALUE_CODE = 2


def weighted_shares(values, weights, *, counts=None, choices=None, k=DEFAULT_K):
    """Unweighted and weighted shares of each answer to one question.

    Parameters
    ----------
    values : sequence
        One answer per respondent: a choice value, or a list of values for
        multiple-choice/ranking questions. ``None``/``"missing"`` is no answer
        and ``"prefer_not"`` is prefer-not-to-say.
    weights : sequence of float, or None
        One non-negative weight per respondent (e.g. ``rake(...).weights``);
        with `counts`, the weight of each person in the row. None when there
        are no usable weights (the raking failed): weighted shares and the
        effective n are then None, never a number that looks weighted.
    counts : sequence of int, optional
        Frequency weights: how many people gave each row's answer with that
        weight (a table of (pattern, answer) groups). Default: one per row.
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
        "n", "share", "weighted_share", "suppressed", "suppression",
        "range"}], "not_stated": {"prefer_not", "missing"}, "k",
        "minimum_n", "too_few", "method": {"code", "params"}}``. Shares are
        over the respondents who answered; for multiple answers they need not
        sum to 1. A hidden value has n and shares None, ``suppression`` its
        kind and ``range`` its published count interval; ``n`` and
        ``n_answered`` are None when from 1 to k-1. ``weighted`` is False
        when `weights` is None.

    Raises
    ------
    SampleError
        If lengths differ, a weight is negative or not finite, or an answer
        is unhashable.

    Notes
    -----
    METHOD: ``share = n_v / n_answered``; ``weighted share = Σ_{i: v} w_i /
    Σ_{i answered} w_i``; ``effective_n`` is Kish's ``(Σw)² / Σw²`` over
    those who answered, the sample size the weighted shares are worth (whole
    while suppression is on: it is a function of every count). An
    empty list (nothing ticked) counts as answered. Suppression as for
    representation tables (:mod:`analysis.suppression`): below
    ``minimum_n(values)`` answers nothing is broken down; single answers form
    one group (they sum to ``n_answered``) and the not-stated answers
    another; for multiple answers each value is its own pair (ticked, not
    ticked) summing to ``n_answered``, so a value is hidden when either side
    is from 1 to k-1 ("all but two ticked it" singles out the two). With
    `counts`, every sum runs over people (frequency weights); the result
    equals that of the expanded one-row-per-person input.

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
    weight_array = np.ones(len(values)) if weights is None else _weights(weights, len(values))
    people = frequency_weights(counts, len(values)) if len(values) else np.ones(0)
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
        tally = _tally_single(values, weight_array, people, distinct, positions)
    else:
        tally = _tally_multiple(values, weight_array.tolist(), people.tolist(), positions)
    result = _result(positions, *tally, k)
    if weights is None:
        result["effective_n"] = None
        for row in result["values"]:
            row["weighted_share"] = None
    result["weighted"] = weights is not None
    return result


def _tally_single(values, weights, people, distinct, positions):
    """Vectorised tally for one answer per respondent."""
    code_of = {MISSING: _MISSING_CODE, None: _MISSING_CODE, PREFER_NOT: _PREFER_NOT_CODE}
    for value in distinct:
        if value not in code_of:
            _add_value(positions, value)
    code_of.update((value, position + _FIRST_VALUE_CODE) for value, position in positions.items())
    codes = np.fromiter(map(code_of.__getitem__, values), dtype=np.intp, count=len(values))
    size = len(positions) + _FIRST_VALUE_CODE
    counts = np.rint(np.bincount(codes, weights=people, minlength=size)).astype(int)
    sums = np.bincount(codes, weights=weights * people, minlength=size)
    answered = codes >= _FIRST_VALUE_CODE
    answered_weights, answered_people = weights[answered], people[answered]
    not_stated = {PREFER_NOT: int(counts[_PREFER_NOT_CODE]), MISSING: int(counts[_MISSING_CODE])}
    return (
        counts[_FIRST_VALUE_CODE:].tolist(),
        sums[_FIRST_VALUE_CODE:].tolist(),
        not_stated,
        int(round(float(answered_people.sum()))),
        float((answered_weights * answered_people).sum()),
        float((answered_people * answered_weights * answered_weights).sum()),
        False,
    )


def _tally_multiple(values, weights, people, positions):
    """Plain loop for list answers (each row may count for several values); one pass per row,
    so a table of (pattern, answer) groups costs its groups, not its people."""
    counts = [0] * len(positions)
    sums = [0.0] * len(positions)
    not_stated = {PREFER_NOT: 0, MISSING: 0}
    answered = 0
    weight_sum = square_sum = 0.0
    for value, weight, many in zip(values, weights, people):
        many = int(many)
        if value is None or (isinstance(value, str) and value in not_stated):
            not_stated[MISSING if value is None else value] += many
            continue
        answered += many
        weight_sum += weight * many
        square_sum += weight * weight * many
        items = dict.fromkeys(value) if isinstance(value, _MULTIPLE_TYPES) else (value,)
        for item in items:  # a value ticked twice counts once
            position = _add_value(positions, item)
            if position == len(counts):
                counts.append(0)
                sums.append(0.0)
            counts[position] += many
            sums[position] += weight * many
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
    too_few = answered < minimum_n(max(len(counts), 2), k)
    cells = _hidden(counts, not_stated, answered, multiple, k, too_few)
    rows = []
    for value, position in positions.items():
        cell = cells[position]
        count = counts[position]
        shown = cell["kind"] is None
        rows.append(
            {
                "value": value,
                "n": count if shown else None,
                "share": count / answered if shown and answered else None,
                "weighted_share": sums[position] / weight_sum if shown and weight_sum > 0 else None,
                "suppressed": not shown,
                "suppression": cell["kind"],
                "range": cell["range"],
            }
        )
    everyone = answered + sum(not_stated.values())
    return {
        "n": None if 0 < everyone < k else everyone,
        "n_answered": None if 0 < answered < k else answered,
        # Kish: n / deff = (Σw)² / Σw² over those who answered.
        "effective_n": _effective_n(weight_sum, square_sum, k) if square_sum > 0 and not too_few else None,
        "multiple": multiple,
        "values": rows,
        "not_stated": {
            key: (count if cells[len(counts) + offset]["kind"] is None else None)
            for offset, (key, count) in enumerate(not_stated.items())
        },
        "k": k,
        "minimum_n": minimum_n(max(len(counts), 2), k),
        "too_few": too_few,
        "method": {"code": "weighted_shares", "params": {"k": k, "multiple": multiple}},
    }


def _effective_n(weight_sum, square_sum, k):
    """Kish's (Σw)² / Σw²; whole while suppression is on, since raking weights are functions of
    every demographic count (hidden ones too) and 16 digits of them would give those away."""
    value = weight_sum * weight_sum / square_sum
    return float(round(value)) if k > 1 else value


def _hidden(counts, not_stated, answered, multiple, k, too_few):
    """One {"kind", "range"} per value, then per not-stated key."""
    extra = list(not_stated.values())
    if too_few:
        return [{"kind": TOO_FEW, "range": None}] * (len(counts) + len(extra))
    if not multiple:
        every = counts + extra
        groups = [list(range(len(counts))), list(range(len(counts), len(every)))]
        return suppress_cells(every, groups, k=k)
    cells = [_ticked_cell(count, answered, k) for count in counts]
    return cells + suppress_cells(extra, [list(range(len(extra)))], k=k)


def _ticked_cell(count, answered, k):
    """A multiple-choice value: hidden when the tickers or the others are from 1 to k-1."""
    if 0 < count < k:
        return {"kind": PRIMARY, "range": [1, k - 1]}
    if 0 < answered - count < k:
        return {"kind": PRIMARY, "range": [answered - (k - 1), answered - 1]}
    return {"kind": None, "range": None}
