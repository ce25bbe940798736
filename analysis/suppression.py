"""Small-cell suppression for published count tables (public module).

Two rules, used by every table the reports publish:

* **Minimum n** (:func:`minimum_n`): a table with fewer than ``k`` answers
  per category shows no breakdown at all; a filter that matches a handful of
  people must not turn a table into a list of those people's answers.
* **Cell suppression with interval publication** (:func:`suppress_cells`):
  a count ``c`` with ``0 < c < k`` is *primary*: hidden and published as
  "fewer than k" (the range ``[1, k-1]``). Zeros are shown: a zero singles
  nobody out, and hiding zeros would hide "nobody from this group answered".
  A group of cells whose total is published or derivable (the categories of a
  dimension; the not-stated answers) that holds a primary cell also hides one
  *complementary* cell, chosen by public information only (its population
  share), and publishes it as the range that the group total and the
  primaries' "fewer than k" already imply. So what is shown never says more
  about a small cell than "between 1 and k-1", and the protected cell is
  still a range an equity lead can read ("between 131 and 134"), not nothing.

What this does not cover: two reports whose filters overlap (two date ranges a
day apart, or a channel against all channels) can be subtracted from each
other. Cell suppression cannot stop that in general (arbitrary date ranges
form a tracker); it needs query auditing or noise, and is left to the caller.
Figures that are non-linear functions of every count (raking weights, the
score) must be published coarsely while a cell is hidden; see
:func:`analysis.representation.representation_report`.

:func:`protect_cells` is the older flag-only rule (complement = smallest
shown cell), kept for callers that publish no ranges.
"""

__all__ = ["DEFAULT_K", "PRIMARY", "COMPLEMENTARY", "TOO_FEW", "minimum_n", "protect_cells", "suppress_cells"]

#: Minimum publishable count. Five is the threshold most national statistical
#: offices use for frequency tables (e.g. Eurostat/ESSnet, Handbook on
#: Statistical Disclosure Control, 2010, section 5.2 "threshold rule").
DEFAULT_K = 5
#: Kinds of hidden cell: under the threshold; hidden to protect another; a
#: table below the minimum n, where no cell is shown.
PRIMARY = "primary"
COMPLEMENTARY = "complementary"
TOO_FEW = "too_few"


def protect_cells(counts, groups, *, k=DEFAULT_K):
    """Decide which cells of a count table to suppress.

    Parameters
    ----------
    counts : sequence of int
        Non-negative counts, one per cell.
    groups : iterable of iterable of int
        Indices into `counts`; each group is a set of cells whose total is
        published or can be derived from what is published.
    k : int, optional (default 5)
        Threshold: counts ``0 < c < k`` are suppressed. ``k <= 1`` turns
        suppression off.

    Returns
    -------
    suppressed : list of bool
        One flag per cell, True where the cell must not be shown.

    Notes
    -----
    METHOD: threshold rule (primary suppression of ``0 < c < k``) followed by
    the group rule for complementary suppression: while some group has
    exactly one suppressed cell, also suppress that group's smallest
    unsuppressed non-zero cell (ties: first in order; a zero cell only if no
    non-zero cell is left). Every group then hides none or at least two
    cells, so no hidden count equals a published total minus published
    counts. For one-way tables this is sufficient; for two-way tables it is
    the necessary condition that standard heuristics enforce, not a proof
    against every linear attack (audit with tau-ARGUS before publishing
    linked tables). A group with a single cell cannot be protected by
    complementary suppression at all; its count equals its total.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012). Statistical Disclosure Control.
       Wiley, chapter 5 (frequency tables, threshold rule, secondary
       suppression).
    .. [2] Cox, L. H. (1980). Suppression methodology and statistical
       disclosure control. JASA 75(370):377-385.

    Examples
    --------
    >>> protect_cells([3, 50, 7, 40], [[0, 1, 2, 3]], k=5)
    [True, False, True, False]
    >>> protect_cells([0, 50, 7, 40], [[0, 1, 2, 3]], k=5)
    [False, False, False, False]
    """
    counts = list(counts)
    groups = [list(group) for group in groups]
    suppressed = [0 < count < k for count in counts]
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [index for index in group if suppressed[index]]
            if len(hidden) != 1:
                continue
            partner = _smallest_shown(counts, suppressed, group)
            if partner is not None:
                suppressed[partner] = True
                changed = True
    return suppressed


def _smallest_shown(counts, suppressed, group):
    shown = [index for index in group if not suppressed[index]]
    nonzero = [index for index in shown if counts[index] > 0]
    candidates = nonzero or shown
    if not candidates:
        return None
    # min() keeps the first of equal counts, so the choice is deterministic.
    return min(candidates, key=lambda index: counts[index])


def minimum_n(categories, k=DEFAULT_K):
    """Fewest answers a table of `categories` cells needs to show a breakdown.

    Parameters
    ----------
    categories : int
        Number of cells the breakdown would show.
    k : int, optional (default 5)
        Small-cell threshold; ``k <= 1`` (suppression lifted) gives 0.

    Returns
    -------
    n : int
        ``k x categories``.

    Notes
    -----
    METHOD: a breakdown of fewer than ``k`` answers per cell is mostly small
    cells and zeros; with one or two respondents the zeros themselves give
    their answers away, whatever is suppressed. Requiring ``k`` answers per
    category (the rule of thumb behind the threshold rule, applied to the
    table rather than the cell) also guarantees a cell of at least ``k``
    (pigeonhole), so every small cell has a complement to hide with it.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012). Statistical Disclosure Control.
       Wiley, section 5.2 (threshold rule).

    Examples
    --------
    >>> minimum_n(8)
    40
    >>> minimum_n(8, k=1)
    0
    """
    return 0 if k <= 1 else k * int(categories)


def suppress_cells(counts, groups, *, k=DEFAULT_K, priority=None):
    """Which cells of a count table to hide, why, and the range each may show.

    Parameters
    ----------
    counts : sequence of int
        Non-negative counts, one per cell.
    groups : iterable of iterable of int
        Indices into `counts`; each group is a set of cells whose total is
        published or can be derived from what is published.
    k : int, optional (default 5)
        Threshold: counts ``0 < c < k`` are primary. ``k <= 1`` hides nothing.
    priority : sequence of float, optional
        Public figures (e.g. population shares), one per cell: complementary
        cells are chosen highest first. They must not depend on the counts, so
        the choice says nothing about them. Default: table order.

    Returns
    -------
    cells : list of dict
        ``{"kind": None | "primary" | "complementary", "range": [lo, hi] or
        None}`` per cell; ``range`` is the published interval of a hidden
        count (both ends included).

    Notes
    -----
    METHOD: primary suppression of ``0 < c < k`` (threshold rule). Every
    group with a primary cell and no complementary one then hides one more
    cell: the shown non-zero cell of highest `priority` (a shown zero only if
    the group has none), and a group left with exactly one hidden cell hides
    another the same way; this repeats until no group needs one. Ranges:
    a primary cell is ``[1, k-1]``; the complement of a group whose other
    hidden cells are its ``P`` primaries, with hidden total ``H`` (derivable
    from the group total), is ``[max(0, H - P(k-1)), H - P]``: exactly the
    values the published figures already allow it, so publishing the range
    adds nothing, and the primaries stay anywhere in ``[1, k-1]`` (a linear
    programme over everything published finds no narrower interval). A
    complement shared by overlapping groups (two-way tables) gets the wider
    ``[0, min(H_g - P_g)]``. Choosing by a public priority rather than by the
    counts (the usual "smallest cell") keeps the choice from telling which
    cells are small; with ranges, every complement costs the same ``k - 2``
    counts of precision, so the cheapest is the largest, which the population
    share predicts.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012). Statistical Disclosure Control.
       Wiley, sections 5.2-5.4 (threshold rule, secondary suppression,
       interval publication and the linear-programming audit).
    .. [2] Cox, L. H. (1980). Suppression methodology and statistical
       disclosure control. JASA 75(370):377-385.

    Examples
    --------
    Two non-binary people among 401 answers: the largest group by population
    share (women, 264) protects them and is published as a range.

    >>> cells = suppress_cells([264, 135, 2], [[0, 1, 2]], priority=[0.51, 0.48, 0.01])
    >>> [(cell["kind"], cell["range"]) for cell in cells]
    [('complementary', [262, 265]), (None, None), ('primary', [1, 4])]
    """
    counts = [int(count) for count in counts]
    groups = [list(group) for group in groups]
    rank = list(priority) if priority is not None else [0.0] * len(counts)
    kind = [PRIMARY if 0 < count < k else None for count in counts]
    changed = True
    while changed:
        changed = False
        for group in groups:
            hidden = [index for index in group if kind[index]]
            kinds = {kind[index] for index in hidden}
            needs = (PRIMARY in kinds and COMPLEMENTARY not in kinds) or len(hidden) == 1
            if not needs:
                continue
            chosen = _complement(counts, kind, group, rank)
            if chosen is not None:
                kind[chosen] = COMPLEMENTARY
                changed = True
    return [{"kind": cell_kind, "range": _range(index, counts, kind, groups, k)} for index, cell_kind in enumerate(kind)]


def _complement(counts, kind, group, rank):
    shown = [index for index in group if kind[index] is None]
    candidates = [index for index in shown if counts[index] > 0] or shown
    if not candidates:
        return None
    # Highest public priority first; equal priorities keep table order.
    return min(candidates, key=lambda index: (-rank[index], index))


def _range(index, counts, kind, groups, k):
    if kind[index] is None:
        return None
    if kind[index] == PRIMARY:
        return [1, k - 1]
    bounds = []
    for group in groups:
        if index not in group:
            continue
        hidden = [i for i in group if kind[i]]
        total = sum(counts[i] for i in hidden)
        primaries = sum(kind[i] == PRIMARY for i in hidden)
        alone = sum(kind[i] == COMPLEMENTARY for i in hidden) == 1
        bounds.append((max(0, total - primaries * (k - 1)) if alone else 0, total - primaries))
    if len(bounds) != 1:
        return [0, min(high for _low, high in bounds)] if bounds else [counts[index], counts[index]]
    return list(bounds[0])
