"""Per-priority statistics and the consensus / divisive / mixed label.

Public names are re-exported by :mod:`analysis.alignment`; import them from there.
"""

import math
from collections.abc import Mapping

import numpy as np

from analysis._alignment_ranks import AlignmentInputError, rank_matrix

__all__ = ["largest_differences", "priority_summary"]

#: "Top" for share_top3: the DESIGN.md example survey asks for the top 3.
TOP_K = 3
#: Consensus needs every group's dispersion (SD of ranks relative to the SD
#: of uniformly random ranks) at or below this: raters at most half as spread
#: as if they had ranked at random.
CONSENSUS_MAX_DISPERSION = 0.5
#: Divisive when the dispersion reaches this: more spread than random ranking
#: (1.0), which only happens when raters pile up at both ends. The ceiling is
#: sqrt(3 (n - 1) / (n + 1)): 1.22 for 3 items, 1.46 for 6, 1.57 for 10; with
#: 2 items it is 1, so two items are never divisive by spread alone.
DIVISIVE_MIN_DISPERSION = 1.15
#: Divisive when groups' mean ranks are at least this share of the rank range
#: (n - 1) apart, on whichever side of the middle rank they sit: a gap is a
#: divide whether it runs across the middle or not, so a wider gap is never
#: labelled less divisive than a narrower one.
DIVISIVE_GROUP_GAP = 1 / 3
#: Mean ranks closer than this count as equal (floating-point noise).
SAME_RANK_TOLERANCE = 1e-9
#: How many priorities ``largest_differences`` lists.
LARGEST_DIFFERENCES_SHOWN = 5


def _random_rank_sd(n):
    """SD of a rank drawn uniformly from 1..n: sqrt((n**2 - 1) / 12)."""
    return math.sqrt((n * n - 1) / 12)


def _label(dispersion, group_dispersions, group_means, n):
    """Apply the rule documented in :func:`priority_summary`."""
    middle = (n + 1) / 2
    sides = {
        0 if abs(mean - middle) <= SAME_RANK_TOLERANCE else (1 if mean > middle else -1)
        for mean in group_means
    }
    several = len(group_means) > 1
    gap = max(group_means) - min(group_means)
    # The gap alone decides, not which side of the middle the groups sit on: with the sides
    # required, partners at 1.0 and residents at 3.4 of 6 (both above the middle) were "mixed"
    # while a smaller gap across the middle was "divisive".
    far_apart = several and gap >= DIVISIVE_GROUP_GAP * (n - 1) - SAME_RANK_TOLERANCE
    if dispersion >= DIVISIVE_MIN_DISPERSION or far_apart:
        return "divisive"
    same_side = not several or (len(sides) == 1 and 0 not in sides)
    if same_side and max(group_dispersions) <= CONSENSUS_MAX_DISPERSION:
        return "consensus"
    return "mixed"


def _summarise(ranks, items, by_group):
    """Priority rows from a rank matrix and ``{group: its rows of ranks}``."""
    n = len(items)
    baseline = _random_rank_sd(n)
    sd = ranks.std(axis=0)
    q75, q25 = np.percentile(ranks, [75, 25], axis=0)
    top = (ranks <= TOP_K).mean(axis=0)
    group_means = {g: r.mean(axis=0) for g, r in by_group.items()}
    group_dispersion = {g: r.std(axis=0) / baseline for g, r in by_group.items()}
    mean = ranks.mean(axis=0)
    rows = []
    for j in sorted(range(n), key=lambda j: (mean[j], j)):
        means = [float(group_means[g][j]) for g in by_group]
        rows.append(
            {
                "key": items[j],
                "mean_rank": float(mean[j]),
                "sd": float(sd[j]),
                "iqr": float(q75[j] - q25[j]),
                f"share_top{TOP_K}": float(top[j]),
                "dispersion": float(sd[j] / baseline),
                "label": _label(
                    sd[j] / baseline, [group_dispersion[g][j] for g in by_group], means, n
                ),
                "by_group": dict(zip(by_group, means)),
            }
        )
    return rows


def priority_summary(rankings_by_group, *, items=None):
    """Mean rank, spread and a consensus / divisive / mixed label per priority.

    Parameters
    ----------
    rankings_by_group : mapping
        ``{group: [ranking, ...]}``; rankings as in
        :func:`analysis.alignment.kendalls_w`. One group is fine.
    items : sequence, optional
        Every priority that could be ranked (default: every one ranked).

    Returns
    -------
    list of dict
        ``[{"key", "mean_rank", "sd", "iqr", "share_top3", "dispersion",
        "label", "by_group": {group: mean_rank}}]`` from most to least
        important (mean rank, then item order).

    Raises
    ------
    AlignmentInputError
        No groups, an empty group, or a bad ranking.

    Notes
    -----
    ``sd`` is the standard deviation of the raters' ranks (ddof=0, these
    raters), ``iqr`` the interquartile range (linear interpolation),
    ``share_top3`` the share ranking it 1-3. ``dispersion`` is ``sd`` divided
    by ``sqrt((n**2 - 1) / 12)``, the SD of uniformly random ranks of ``n``
    items: 0 means everyone gave the same rank, 1 is no more agreement than
    chance, above 1 raters are pulled to both ends.

    The label follows Pol.is' group-informed consensus [1]_: a priority is a
    consensus only if *every* group agrees, not just the majority.

    * **divisive**: overall dispersion >= ``DIVISIVE_MIN_DISPERSION`` (1.15),
      or two groups' mean ranks at least ``DIVISIVE_GROUP_GAP`` (a third) of
      the rank range ``n - 1`` apart, on whichever side of the middle rank
      they lie (so the label is monotone in the gap: a wider gap between the
      groups is never less divisive);
    * **consensus**: otherwise, when every group's dispersion is at most
      ``CONSENSUS_MAX_DISPERSION`` (0.5) and, with several groups, every
      group's mean rank lies on the same side of the middle rank;
    * **mixed**: everything else (e.g. spread as wide as random ranking).

    References
    ----------
    .. [1] Small, C., Bjorkegren, M., Erkkila, T., Shaw, L. and Megill, C.
       (2021). Polis: Scaling deliberation by mapping high dimensional opinion
       spaces. Recerca 26(2).

    Examples
    --------
    >>> rows = priority_summary({"all": [["a", "b", "c"], ["a", "c", "b"], ["a", "b", "c"]]})
    >>> [(row["key"], round(row["mean_rank"], 2), row["label"]) for row in rows]
    [('a', 1.0, 'consensus'), ('b', 2.33, 'mixed'), ('c', 2.67, 'mixed')]
    """
    if not isinstance(rankings_by_group, Mapping) or not rankings_by_group:
        raise AlignmentInputError("rankings_by_group must map at least one group to its rankings")
    groups = {name: list(rankings) for name, rankings in rankings_by_group.items()}
    for name, rankings in groups.items():
        if not rankings:
            raise AlignmentInputError(f"group {name!r} has no rankings")
    items, ranks = rank_matrix([r for rankings in groups.values() for r in rankings], items=items)
    bounds = np.cumsum([0] + [len(r) for r in groups.values()])
    by_group = {name: ranks[a:b] for name, a, b in zip(groups, bounds[:-1], bounds[1:])}
    return _summarise(ranks, items, by_group)


def largest_differences(items, by_group):
    """Priorities on which groups' mean ranks differ most.

    Parameters
    ----------
    items : list
        Item per column of the rank matrices.
    by_group : mapping
        ``{group: (raters x items) rank matrix}``.

    Returns
    -------
    list of dict
        Up to ``LARGEST_DIFFERENCES_SHOWN`` rows ``{"key", "groups": [a, b],
        "difference"}``, ``a`` the group ranking the priority highest, ``b``
        the lowest, ``difference`` their gap in mean rank (> 0); largest gap
        first, ties in item order. Empty with fewer than two groups.

    Examples
    --------
    >>> import numpy as np
    >>> by_group = {"x": np.array([[1.0, 2.0]]), "y": np.array([[1.5, 1.5]])}
    >>> for row in largest_differences(["a", "b"], by_group):
    ...     print(row)
    {'key': 'a', 'groups': ['x', 'y'], 'difference': 0.5}
    {'key': 'b', 'groups': ['y', 'x'], 'difference': 0.5}
    """
    if len(by_group) < 2:
        return []
    names = list(by_group)
    means = np.array([by_group[name].mean(axis=0) for name in names])
    rows = []
    for j, item in enumerate(items):
        high, low = int(np.argmin(means[:, j])), int(np.argmax(means[:, j]))
        difference = float(means[low, j] - means[high, j])
        if difference > SAME_RANK_TOLERANCE:
            row = {"key": item, "groups": [names[high], names[low]], "difference": difference}
            rows.append((difference, j, row))
    rows.sort(key=lambda row: (-row[0], row[1]))
    return [row for _, _, row in rows[:LARGEST_DIFFERENCES_SHOWN]]
