"""Rankings in, a rank matrix out: validation, ties, partial rankings, dot votes.

Public names are re-exported by :mod:`analysis.alignment`; import them from there.
"""

import math
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np
from scipy.stats import rankdata

__all__ = [
    "AlignmentInputError",
    "dot_votes_to_ranking",
    "rank_matrix",
    "ranks_from_scores",
]


class AlignmentInputError(ValueError):
    """Rankings, scores or votes that cannot be compared."""


def _is_number_type(kind):
    return issubclass(kind, (int, float, np.integer, np.floating)) and not issubclass(
        kind, (bool, np.bool_)
    )


def _is_number(value):
    return _is_number_type(type(value))


def _item_order_key(item):
    return (type(item).__name__, item)


def _as_mapping(ranking, where):
    """A ranking as ``{item: rank}``; a sequence lists items, most important first."""
    kind = type(ranking)
    if kind is dict:  # the common case, checked first: ABC checks are slow
        return ranking
    if kind is not list:
        if isinstance(ranking, Mapping):
            return dict(ranking)
        if isinstance(ranking, (str, bytes)) or not isinstance(ranking, Iterable):
            raise AlignmentInputError(
                f"{where} is neither a mapping of item to rank nor a list of items"
            )
    ordered = list(ranking)
    mapping = dict(zip(ordered, range(1, len(ordered) + 1)))
    if len(mapping) != len(ordered):
        repeated = next(item for item, count in Counter(ordered).items() if count > 1)
        raise AlignmentInputError(f"{where} lists {repeated!r} more than once")
    return mapping


def rank_matrix(rankings, *, items=None):
    """Return the item list and an (raters x items) matrix of mean ranks.

    Parameters
    ----------
    rankings : sequence of (mapping or sequence)
        One ranking per rater: a mapping ``{item: rank}`` (1 = most important;
        ties allowed) or a sequence of items, most important first. A rater
        may rank only some items (e.g. their top 3).
    items : sequence, optional
        Every item that could be ranked, in report order. Default: every item
        any rater ranked, sorted.

    Returns
    -------
    items : list
        The items, one per column.
    ranks : numpy.ndarray, shape (raters, items)
        Each rater's ranks 1..n with ties at their mean rank; items a rater did
        not rank share the mean of the remaining ranks (tied for last).

    Raises
    ------
    AlignmentInputError
        A ranking that is neither a mapping nor a sequence, lists an item
        twice, ranks nothing, gives a rank that is not a number in ``1..n``,
        or names an item outside ``items``; duplicate ``items``; fewer than
        two items.

    Notes
    -----
    Only the order of a rater's values matters: they are re-ranked among the
    items that rater ranked, ties sharing the mean rank, so ``{a: 1, b: 1,
    c: 3}`` becomes ``{a: 1.5, b: 1.5, c: 3}``. Unranked items are treated
    as tied for last, the standard treatment of ties in rank data (Siegel and
    Castellan 1988, sec. 9.4; Legendre 2005); a rater who ranked their top
    ``N`` of ``n`` gives every other item ``(N + 1 + n) / 2``.

    References
    ----------
    .. [1] Siegel, S. and Castellan, N. J. (1988). Nonparametric Statistics for
       the Behavioral Sciences, 2nd ed. McGraw-Hill.
    .. [2] Legendre, P. (2005). Species associations: the Kendall coefficient
       of concordance revisited. Journal of Agricultural, Biological, and
       Environmental Statistics 10(2), 226-245.

    Examples
    --------
    >>> items, ranks = rank_matrix([["jobs", "housing"], {"housing": 1, "jobs": 2, "youth": 3}])
    >>> items, ranks.tolist()
    (['housing', 'jobs', 'youth'], [[2.0, 1.0, 3.0], [1.0, 2.0, 3.0]])
    """
    # Many raters give the same ranking (3 of 6 priorities allow 120): each distinct ranking
    # is validated and ranked once, and its row repeated for every rater who gave it.
    distinct, first, inverse = _distinct(rankings)
    mappings = [_as_mapping(ranking, f"ranking #{i + 1}") for ranking, i in zip(distinct, first)]
    if items is None:
        items = sorted({item for m in mappings for item in m}, key=_item_order_key)
    else:
        items = list(items)
        repeated = [item for item, count in Counter(items).items() if count > 1]
        if repeated:
            raise AlignmentInputError(f"items lists {repeated[0]!r} more than once")
    n = len(items)
    if n < 2:
        raise AlignmentInputError(f"at least 2 items are needed to compare rankings, got {n}")
    column = {item: j for j, item in enumerate(items)}
    # Gather every (rater, item, value) first and validate in bulk: per-value
    # Python checks cost more than the statistics at 20,000 raters.
    columns, given, counts = [], [], []
    for mapping, i in zip(mappings, first):
        if not mapping:
            raise AlignmentInputError(f"ranking #{i + 1} ranks no items")
        unknown = [item for item in mapping if item not in column]
        if unknown:
            raise AlignmentInputError(
                f"ranking #{i + 1} ranks {unknown[0]!r}, which is not one of the items"
            )
        columns.extend(map(column.__getitem__, mapping))
        given.extend(mapping.values())
        counts.append(len(mapping))
    if not all(_is_number_type(kind) for kind in set(map(type, given))):
        bad = next(k for k, value in enumerate(given) if not _is_number(value))
        _raise_bad_rank(bad, counts, columns, given, items, first)
    flat = np.asarray(given, dtype=float)
    outside = ~np.isfinite(flat) | (flat < 1) | (flat > n)
    if outside.any():
        _raise_bad_rank(int(np.argmax(outside)), counts, columns, given, items, first)
    # Unranked items stay +inf so that re-ranking ties them for last.
    values = np.full((len(mappings), n), np.inf)
    values[np.repeat(np.arange(len(mappings)), counts), columns] = flat
    ranks = rankdata(values, method="average", axis=1) if len(mappings) else values
    return items, ranks[inverse] if len(inverse) != len(distinct) else ranks


def _distinct(rankings):
    """(distinct rankings, index of each one's first rater, index into the distinct ones of every
    rater's ranking). Rankings are the same when they list the same items in the same order, or
    map the same items to the same ranks; one that cannot be compared stays apart."""
    distinct, first, inverse, seen = [], [], [], {}
    previous, previous_index = None, -1
    for i, ranking in enumerate(rankings):
        if ranking is previous:  # the same object again, as when raters are repeated by count
            inverse.append(previous_index)
            continue
        kind = type(ranking)
        try:
            key = (kind, tuple(ranking.items()) if kind is dict else tuple(ranking)) if kind in (list, tuple, dict) else None
            index = seen.get(key) if key is not None else None
        except TypeError:  # unhashable items: compared on their own
            key = index = None
        if index is None:
            index = len(distinct)
            distinct.append(ranking)
            first.append(i)
            if key is not None:
                seen[key] = index
        inverse.append(index)
        previous, previous_index = ranking, index
    return distinct, first, np.asarray(inverse, dtype=np.intp)


def _raise_bad_rank(position, counts, columns, given, items, first):
    """Name the rater, item and value at ``position`` of the flattened input (of the distinct
    rankings; ``first`` gives each one's first rater)."""
    rater = first[int(np.searchsorted(np.cumsum(counts), position, side="right"))]
    item, rank = items[columns[position]], given[position]
    raise AlignmentInputError(
        f"ranking #{rater + 1} gives {item!r} rank {rank!r}; "
        f"ranks must be numbers from 1 to {len(items)}"
    )


def ranks_from_scores(scores):
    """Turn scores (higher is better) into ranks (1 is best, ties share the mean).

    Parameters
    ----------
    scores : mapping
        ``{item: score}``, e.g. mean ratings or totals of points.

    Returns
    -------
    dict
        ``{item: rank}`` as floats, in the input's order.

    Raises
    ------
    AlignmentInputError
        No scores, or a score that is not a finite number.

    Notes
    -----
    Mean ranks for ties (Siegel and Castellan 1988) keep the ranks' sum at
    ``n(n + 1) / 2``, so converted ratings combine with ordinary rankings in
    :func:`kendalls_w`.

    Examples
    --------
    >>> ranks_from_scores({"housing": 4.5, "jobs": 3.0, "youth": 4.5, "transport": 1})
    {'housing': 1.5, 'jobs': 3.0, 'youth': 1.5, 'transport': 4.0}
    """
    if not isinstance(scores, Mapping) or not scores:
        raise AlignmentInputError("scores must be a non-empty mapping of item to score")
    for item, score in scores.items():
        if not _is_number(score) or not math.isfinite(score):
            raise AlignmentInputError(f"score of {item!r} is {score!r}, not a finite number")
    values = np.array([float(score) for score in scores.values()])
    return dict(zip(scores, rankdata(-values, method="average").tolist()))


def dot_votes_to_ranking(votes, *, items=None):
    """Turn dot votes into a ranking: most dots first, ties share the mean rank.

    Parameters
    ----------
    votes : mapping or iterable
        ``{item: number of dots}`` or one entry per dot (``["housing",
        "housing", "jobs"]``).
    items : iterable, optional
        Every item on the board, so items that got no dots are ranked (tied
        for last) instead of left out.

    Returns
    -------
    dict
        ``{item: rank}`` as floats, for every voted item and every item in
        ``items``.

    Raises
    ------
    AlignmentInputError
        A count that is not a whole number of zero or more, an item outside
        ``items``, or nothing to rank.

    Notes
    -----
    A focus group's dot vote is a rating (count of dots); ranking it with mean
    ranks for ties, as :func:`ranks_from_scores` does, lets the group's
    priorities join individual survey rankings.

    Examples
    --------
    >>> dots = ["housing", "jobs", "housing", "youth"]
    >>> dot_votes_to_ranking(dots, items=["housing", "jobs", "youth", "transport"])
    {'housing': 1.0, 'jobs': 2.5, 'youth': 2.5, 'transport': 4.0}
    """
    if isinstance(votes, Mapping):
        counts = dict(votes)
    elif isinstance(votes, (str, bytes)) or not isinstance(votes, Iterable):
        raise AlignmentInputError("votes must be a mapping of item to count or a list of dots")
    else:
        counts = dict(Counter(votes))
    for item, count in counts.items():
        if not _is_number(count) or count < 0 or count != int(count):
            raise AlignmentInputError(
                f"dot count of {item!r} is {count!r}, not a whole number >= 0"
            )
    if items is not None:
        board = list(items)
        unknown = [item for item in counts if item not in set(board)]
        if unknown:
            raise AlignmentInputError(f"{unknown[0]!r} got votes but is not one of the items")
        for item in board:
            counts.setdefault(item, 0)
    if not counts:
        raise AlignmentInputError("there are no votes and no items to rank")
    return ranks_from_scores(counts)
