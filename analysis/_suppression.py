"""Small-cell suppression for published count tables.

One rule, used by every table the representation report publishes:

* **Primary suppression**: a count ``c`` with ``0 < c < k`` is hidden.
  Zero counts are shown: in common statistical-disclosure-control practice a
  zero does not single anyone out (it says nobody is in the cell), and hiding
  zeros would hide the very "nobody from this group answered" finding the
  report exists to show.
* **Complementary suppression**: cells are published in *groups* whose total
  is known or derivable (the categories of a dimension sum to the answers in
  population categories; "prefer not to say" and "missing" sum to the rest).
  A group with exactly one hidden cell would give it away by subtraction, so
  the smallest shown non-zero cell of that group is hidden too (a zero only
  when the group has no shown non-zero cell: a hidden zero partner still
  leaves it unknown which of the two cells holds the count). This repeats
  until no group has exactly one hidden cell, since hiding a cell can leave
  another group (e.g. a column of a two-way table) with one.
"""

__all__ = ["DEFAULT_K", "protect_cells"]

#: Minimum publishable count. Five is the threshold most national statistical
#: offices use for frequency tables (e.g. Eurostat/ESSnet, Handbook on
#: Statistical Disclosure Control, 2010, section 5.2 "threshold rule").
DEFAULT_K = 5


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
