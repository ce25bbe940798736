"""Where priorities line up: agreement among raters and between groups.

Rankings in (one per resident, partner or focus group; full, top-N, or dot
votes converted with :func:`dot_votes_to_ranking`), plain results out:
Kendall's W, rank correlations between raters or groups, and per-priority
consensus / divisive / mixed labels, assembled by :func:`alignment_report`
into DESIGN.md's alignment JSON.

Examples
--------
>>> report = alignment_report({
...     "residents": [["housing", "jobs", "youth"], ["housing", "youth", "jobs"]],
...     "partners": [["housing", "jobs", "youth"], ["jobs", "housing", "youth"]],
... })
>>> report["priorities"][0]["key"], report["kendalls_w"]["w"]
('housing', 0.5625)
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import chi2, kendalltau

from analysis._alignment_priorities import (
    CONSENSUS_MAX_DISPERSION,
    DIVISIVE_GROUP_GAP,
    DIVISIVE_MIN_DISPERSION,
    TOP_K,
    _summarise,
    largest_differences,
    priority_summary,
)
from analysis._alignment_ranks import (
    AlignmentInputError,
    dot_votes_to_ranking,
    rank_matrix,
    ranks_from_scores,
)

__all__ = [
    "CONSENSUS_MAX_DISPERSION",
    "DIVISIVE_GROUP_GAP",
    "DIVISIVE_MIN_DISPERSION",
    "TOP_K",
    "AlignmentInputError",
    "KendallW",
    "alignment_report",
    "dot_votes_to_ranking",
    "kendalls_w",
    "priority_summary",
    "rank_correlation_matrix",
    "ranks_from_scores",
]


@dataclass(frozen=True)
class KendallW:
    """Kendall's coefficient of concordance and its chi-square test.

    Attributes
    ----------
    w : float
        Concordance, 0 (no agreement) to 1 (identical rankings).
    chi_square : float
        ``m (n - 1) W``.
    df : int
        ``n - 1``.
    p : float
        Upper-tail chi-square probability of ``chi_square``.
    s : float
        Sum of squared deviations of the items' rank sums from their mean.
    m : int
        Raters.
    n : int
        Items.
    tie_correction : float
        ``sum over raters of sum (t**3 - t)`` over groups of ``t`` tied ranks.
    """

    w: float
    chi_square: float
    df: int
    p: float
    s: float
    m: int
    n: int
    tie_correction: float

    def to_dict(self):
        """Plain ``dict`` of the fields (JSON-serialisable)."""
        return asdict(self)


#: Cells compared at once by :func:`_tie_totals` (rows x items x items), to bound its memory.
_TIE_CHUNK_CELLS = 4_000_000


def _tie_totals(ranks):
    """``sum (t**3 - t)`` over each row's groups of tied ranks.

    Each of a group's ``t`` members equals ``t`` values of its row, so summing ``c**2 - 1`` over
    the row's cells, ``c`` the number of values equal to the cell's, gives ``t (t**2 - 1)`` per
    group: one comparison of every row with itself, in chunks, instead of a sort and a grouping
    (three times faster on a million raters ranking six items).
    """
    ranks = np.asarray(ranks)
    m, n = ranks.shape
    totals = np.empty(m, dtype=float)
    step = max(1, _TIE_CHUNK_CELLS // max(1, n * n))
    for start in range(0, m, step):
        block = ranks[start:start + step]
        equal = (block[:, :, None] == block[:, None, :]).sum(axis=2)
        totals[start:start + step] = (equal * equal - 1).sum(axis=1)
    return totals


def _concordance(ranks):
    """Kendall's W from a (raters x items) matrix of mean ranks."""
    m, n = ranks.shape
    if m < 2:
        raise AlignmentInputError(f"at least 2 raters are needed for Kendall's W, got {m}")
    rank_sums = ranks.sum(axis=0)
    s = float(((rank_sums - m * (n + 1) / 2) ** 2).sum())
    ties = float(_tie_totals(ranks).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    if denominator == 0:
        raise AlignmentInputError("Kendall's W is undefined: every rater tied all items")
    w = 12 * s / denominator
    chi_square = m * (n - 1) * w
    return KendallW(
        w=w,
        chi_square=chi_square,
        df=n - 1,
        p=float(chi2.sf(chi_square, n - 1)),
        s=s,
        m=m,
        n=n,
        tie_correction=ties,
    )


def kendalls_w(rankings, *, items=None):
    """Kendall's coefficient of concordance W with the correction for ties.

    Parameters
    ----------
    rankings : sequence of (mapping or sequence)
        One ranking per rater: ``{item: rank}`` (1 = most important; ties
        allowed) or a list of items, most important first. Partial rankings
        (top N) are allowed.
    items : sequence, optional
        Every item that could be ranked. Default: every item ranked by anyone.

    Returns
    -------
    KendallW
        ``w``, ``chi_square``, ``df``, ``p``, ``s``, ``m``, ``n``,
        ``tie_correction``; ``to_dict()`` for JSON.

    Raises
    ------
    AlignmentInputError
        Fewer than 2 raters or 2 items, ranks outside ``1..n``, an item
        listed twice, an empty ranking, or every rater tying every item.

    Notes
    -----
    With ``R_j`` the sum of item j's ranks over ``m`` raters and ``n`` items,
    ``S = sum_j (R_j - m (n + 1) / 2) ** 2`` and

    ``W = 12 S / (m**2 (n**3 - n) - m sum T)``, ``T = sum (t**3 - t)``

    over each rater's groups of ``t`` tied ranks (Kendall and Babington Smith
    1939; tie correction as Siegel and Castellan 1988, eq. 9.16). The test
    statistic ``m (n - 1) W`` is referred to chi-square with ``n - 1`` degrees
    of freedom (the Friedman statistic; a large-sample approximation, best
    for ``n > 7``). Items a rater did not rank share the mean of the
    remaining ranks (tied for last) and enter ``T`` (see
    :func:`analysis._alignment_ranks.rank_matrix`).

    References
    ----------
    .. [1] Kendall, M. G. and Babington Smith, B. (1939). The problem of m
       rankings. Annals of Mathematical Statistics 10(3), 275-287.
    .. [2] Siegel, S. and Castellan, N. J. (1988). Nonparametric Statistics
       for the Behavioral Sciences, 2nd ed., sec. 9.4. McGraw-Hill.
    .. [3] Legendre, P. (2005). Species associations: the Kendall coefficient
       of concordance revisited. JABES 10(2), 226-245.

    Examples
    --------
    Four raters rank eight farms' strawberries (InfluentialPoints, "Kendall
    coefficient of concordance"): S = 500, W = 0.744, chi-square 20.83.

    >>> rows = ["84235167", "73145268", "82567143", "83425167"]
    >>> result = kendalls_w([{farm: int(r) for farm, r in enumerate(row)} for row in rows])
    >>> result.s, round(result.w, 3), round(result.chi_square, 2), result.df
    (500.0, 0.744, 20.83, 7)
    """
    rankings = list(rankings)
    if len(rankings) < 2:
        raise AlignmentInputError(
            f"at least 2 raters are needed for Kendall's W, got {len(rankings)}"
        )
    _, ranks = rank_matrix(rankings, items=items)
    return _concordance(ranks)


def _is_group(value):
    """Whether ``value`` is a list of rankings rather than one ranking."""
    if isinstance(value, (Mapping, str, bytes)) or not isinstance(value, Iterable):
        return False
    value = list(value)
    return bool(value) and all(
        isinstance(v, Mapping) or (isinstance(v, Iterable) and not isinstance(v, (str, bytes)))
        for v in value
    )


def _kendall_tau(x, y):
    """Tau-b and its p-value; (None, None) when either ranking is constant."""
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return None, None
    result = kendalltau(x, y, variant="b")
    return float(result.statistic), float(result.pvalue)


def rank_correlation_matrix(rankings, *, items=None):
    """Kendall's tau-b between every pair of raters or groups.

    Parameters
    ----------
    rankings : mapping or sequence
        ``{label: ranking}`` to compare raters, ``{label: [rankings]}`` to
        compare groups (a group's consensus is its raters' mean ranks), or a
        plain sequence of rankings (labelled 0, 1, ...). Rankings as in
        :func:`kendalls_w`.
    items : sequence, optional
        Every item that could be ranked (default: every item ranked by anyone).

    Returns
    -------
    dict
        ``{"labels": [...], "matrix": [[tau]], "p_values": [[p]], "n_items"}``;
        the diagonal is 1 with p None; tau and p are None where a ranking
        (or a group's consensus) ranks every item the same.

    Raises
    ------
    AlignmentInputError
        Fewer than two labels, an empty group, or a bad ranking.

    Notes
    -----
    Tau-b (Kendall 1945) counts concordant minus discordant pairs of items,
    corrected for ties, which mean ranks and unranked items produce; p-values
    from ``scipy.stats.kendalltau`` (exact for small untied samples, normal
    approximation otherwise). Every ranking is placed on the same item list
    first, so unranked items are tied for last everywhere.

    References
    ----------
    .. [1] Kendall, M. G. (1945). The treatment of ties in ranking problems.
       Biometrika 33(3), 239-251.

    Examples
    --------
    >>> result = rank_correlation_matrix({"ana": ["a", "b", "c", "d"], "ben": ["d", "c", "b", "a"]})
    >>> result["labels"], result["matrix"]
    (['ana', 'ben'], [[1.0, -1.0], [-1.0, 1.0]])
    """
    if isinstance(rankings, Mapping):
        labels = list(rankings)
        members = [rankings[label] for label in labels]
    else:
        members = list(rankings)
        labels = list(range(len(members)))
    if len(labels) < 2:
        raise AlignmentInputError(f"at least 2 raters or groups are needed, got {len(labels)}")
    for label, member in zip(labels, members):
        if isinstance(member, (list, tuple)) and not member:
            raise AlignmentInputError(f"{label!r} has no rankings")
    groups = [list(m) if _is_group(m) else [m] for m in members]
    flat = [ranking for group in groups for ranking in group]
    items, ranks = rank_matrix(flat, items=items)
    bounds = np.cumsum([0] + [len(group) for group in groups])
    consensus = [ranks[a:b].mean(axis=0) for a, b in zip(bounds[:-1], bounds[1:])]
    return _tau_matrix(labels, consensus)


def _tau_matrix(labels, consensus):
    """Symmetric tau-b and p-value matrices between consensus rank vectors."""
    size = len(labels)
    tau = [[None] * size for _ in range(size)]
    p = [[None] * size for _ in range(size)]
    for i in range(size):
        tau[i][i] = None if np.ptp(consensus[i]) == 0 else 1.0
        for j in range(i + 1, size):
            tau[i][j], p[i][j] = _kendall_tau(consensus[i], consensus[j])
            tau[j][i], p[j][i] = tau[i][j], p[i][j]
    return {"labels": labels, "matrix": tau, "p_values": p, "n_items": len(consensus[0])}


def alignment_report(rankings_by_group, *, items=None, labels=None):
    """Build the alignment report JSON (DESIGN.md "alignment").

    Parameters
    ----------
    rankings_by_group : mapping
        ``{group: [ranking, ...]}``, e.g. ``{"residents": [...], "partners":
        [...]}``; rankings as in :func:`kendalls_w`.
    items : sequence, optional
        Every priority that could be ranked, e.g. all choices of the survey
        question, so priorities nobody ranked still appear (tied last).
    labels : mapping, optional
        ``{key: display name}``, copied into each priority as ``"name"``
        (``"label"`` is the consensus / divisive / mixed classification).

    Returns
    -------
    dict
        JSON-serialisable::

            {"n_raters", "n_items",
             "kendalls_w": {"w", "chi_square", "df", "p", "s", "m", "n",
                            "tie_correction"},          # over all raters
             "priorities": [{"key", "name"?, "mean_rank", "sd", "iqr",
                             "share_top3", "dispersion", "label",
                             "by_group": {group: mean_rank}}],
             "groups": {group: {"n", "kendalls_w": {...} or None,
                                "priorities": [{"key", "mean_rank"}]}},
             "group_correlation": {"labels", "matrix", "p_values", "n_items"}
                                  or None,
             "largest_differences": [{"key", "groups": [a, b], "difference"}],
             "rules": {thresholds used for the labels}}

        Priorities and each group's priorities run from most to least
        important (mean rank, then key). A group's ``kendalls_w`` is None when
        it has fewer than 2 raters or its raters tie every item;
        ``group_correlation`` is None with a single group.

    Raises
    ------
    AlignmentInputError
        No groups, an empty group, fewer than 2 raters overall, a bad
        ranking, or every rater tying every item (W undefined).

    Notes
    -----
    See :func:`kendalls_w`, :func:`rank_correlation_matrix` and
    :func:`priority_summary` (labels and their thresholds).
    ``largest_differences`` lists, for the priorities where groups differ
    most, the group ranking it highest first and the gap in mean rank.

    Examples
    --------
    >>> report = alignment_report({"residents": [["a", "b"], ["a", "b"]], "partners": [["b", "a"]]})
    >>> for row in report["largest_differences"]:
    ...     print(row)
    {'key': 'a', 'groups': ['residents', 'partners'], 'difference': 1.0}
    {'key': 'b', 'groups': ['partners', 'residents'], 'difference': 1.0}
    """
    if not isinstance(rankings_by_group, Mapping) or not rankings_by_group:
        raise AlignmentInputError("rankings_by_group must map at least one group to its rankings")
    names = list(rankings_by_group)
    groups = [list(rankings_by_group[name]) for name in names]
    for name, group in zip(names, groups):
        if not group:
            raise AlignmentInputError(f"group {name!r} has no rankings")
    item_list, ranks = rank_matrix([r for group in groups for r in group], items=items)
    bounds = np.cumsum([0] + [len(group) for group in groups])
    by_group = {name: ranks[a:b] for name, a, b in zip(names, bounds[:-1], bounds[1:])}
    overall = _concordance(ranks)
    priorities = _summarise(ranks, item_list, by_group)
    if labels is not None:
        for row in priorities:
            row["name"] = labels.get(row["key"])
    report_groups = {}
    for name, group_ranks in by_group.items():
        try:
            w = _concordance(group_ranks).to_dict()
        except AlignmentInputError:
            w = None  # one rater, or all ties: agreement is undefined, not an error
        means = group_ranks.mean(axis=0)
        order = sorted(range(len(item_list)), key=lambda j: (means[j], j))
        report_groups[name] = {
            "n": len(group_ranks),
            "kendalls_w": w,
            "priorities": [{"key": item_list[j], "mean_rank": float(means[j])} for j in order],
        }
    correlation = None
    if len(names) > 1:
        correlation = _tau_matrix(names, [by_group[name].mean(axis=0) for name in names])
    return {
        "n_raters": int(ranks.shape[0]),
        "n_items": len(item_list),
        "kendalls_w": overall.to_dict(),
        "priorities": priorities,
        "groups": report_groups,
        "group_correlation": correlation,
        "largest_differences": largest_differences(item_list, by_group),
        "rules": {
            "top_k": TOP_K,
            "consensus_max_dispersion": CONSENSUS_MAX_DISPERSION,
            "divisive_min_dispersion": DIVISIVE_MIN_DISPERSION,
            "divisive_group_gap": DIVISIVE_GROUP_GAP,
        },
    }
