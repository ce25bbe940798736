"""Inter-coder agreement: percent agreement, Cohen's kappa, Krippendorff's alpha.

Used to check a codebook: two people (or a person and the automatic
tagger) code the same comments, and these numbers say how far their codes
agree beyond what chance would produce.
"""

import math
from collections import Counter
from collections.abc import Mapping

__all__ = [
    "AgreementError",
    "LengthMismatchError",
    "InsufficientDataError",
    "percent_agreement",
    "cohens_kappa",
    "kappa_by_theme",
    "krippendorff_alpha",
]


class AgreementError(ValueError):
    """Input that agreement cannot be computed from."""


class LengthMismatchError(AgreementError):
    """Two coders' sequences cover a different number of units."""


class InsufficientDataError(AgreementError):
    """Nothing to compare: no units, or no unit coded twice."""


def _paired(a, b):
    a, b = list(a), list(b)
    if len(a) != len(b):
        raise LengthMismatchError(
            f"coder A has {len(a)} labels and coder B has {len(b)}; "
            "give one label per unit for each coder, in the same unit order"
        )
    if not a:
        raise InsufficientDataError("no units to compare; give at least one label per coder")
    for position, (x, y) in enumerate(zip(a, b)):
        if _missing(x) or _missing(y):
            raise AgreementError(
                f"unit {position} has a missing label; Cohen's kappa needs every unit "
                "coded by both coders (use krippendorff_alpha for missing data)"
            )
    return a, b


def _missing(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def percent_agreement(a, b):
    """Return the share of units on which two coders gave the same label.

    Parameters
    ----------
    a, b : sequence of hashable
        One label per unit for each coder, in the same unit order.

    Returns
    -------
    float
        ``p_o`` in [0, 1].

    Raises
    ------
    LengthMismatchError, InsufficientDataError, AgreementError
        Unequal lengths, no units, or a missing (None/NaN) label.

    Notes
    -----
    Simple agreement, p_o = (units with equal labels) / (units). It does not
    correct for chance; report it next to :func:`cohens_kappa`.

    Examples
    --------
    >>> percent_agreement(["x", "y", "y", "x"], ["x", "y", "x", "x"])
    0.75
    """
    a, b = _paired(a, b)
    return sum(x == y for x, y in zip(a, b)) / len(a)


def cohens_kappa(a, b):
    """Return Cohen's kappa for two coders who labelled the same units.

    Parameters
    ----------
    a, b : sequence of hashable
        One label per unit for each coder, in the same unit order; labels
        may be any hashable values (strings, numbers, booleans).

    Returns
    -------
    float or None
        kappa in [-1, 1]; None when it is undefined (see Notes).

    Raises
    ------
    LengthMismatchError, InsufficientDataError, AgreementError
        Unequal lengths, no units, or a missing (None/NaN) label.

    Notes
    -----
    kappa = (p_o - p_e) / (1 - p_e), with observed agreement p_o and the
    agreement expected by chance from **each coder's own marginals**,
    p_e = sum_k p_a(k) p_b(k) (Cohen 1960). Pooling both coders' marginals
    instead gives Scott's pi, a different statistic.

    Computed in integers as (N*agree - S) / (N^2 - S) with
    S = sum_k n_a(k) n_b(k), so there is no rounding before the division.

    kappa is 0/0 when p_e = 1, which happens only when both coders gave every
    unit one and the same label (then p_o = 1 too). Chance alone predicts that
    agreement, so it carries no evidence of reliability: we return None
    rather than 1.0 (percent agreement still reports 1.0).

    References
    ----------
    .. [1] Cohen, J. (1960). "A coefficient of agreement for nominal scales".
       Educational and Psychological Measurement 20(1), 37-46.

    Examples
    --------
    >>> cohens_kappa(["y", "y", "n", "n"], ["y", "n", "n", "n"])
    0.5
    >>> cohens_kappa(["y", "y"], ["y", "y"]) is None
    True
    """
    a, b = _paired(a, b)
    n = len(a)
    agree = sum(x == y for x, y in zip(a, b))
    counts_a, counts_b = Counter(a), Counter(b)
    chance = sum(count * counts_b[label] for label, count in counts_a.items())
    denominator = n * n - chance
    if denominator == 0:
        return None
    return (n * agree - chance) / denominator


def kappa_by_theme(coder_a_sets, coder_b_sets, themes):
    """Return Cohen's kappa per theme from two coders' theme sets per unit.

    Parameters
    ----------
    coder_a_sets, coder_b_sets : sequence of iterable
        For each unit, the themes each coder assigned (sets, lists...).
    themes : iterable of str
        The themes to evaluate.

    Returns
    -------
    dict
        ``{theme: kappa or None}``; each theme is treated as a yes/no code
        per unit (present in the coder's set or not).

    Raises
    ------
    LengthMismatchError, InsufficientDataError

    Notes
    -----
    Multi-label coding is reduced to one binary decision per theme, the
    usual way to report per-code reliability in qualitative analysis
    (O'Connor and Joffe 2020). A theme that neither coder used has p_e = 1
    and kappa None.

    References
    ----------
    .. [1] O'Connor, C. and Joffe, H. (2020). "Intercoder Reliability in
       Qualitative Research: Debates and Practical Guidelines".
       International Journal of Qualitative Methods 19.

    Examples
    --------
    >>> kappa_by_theme([{"rent"}, {"rent", "bus"}, set(), {"bus"}],
    ...                [{"rent"}, {"bus"}, set(), {"bus"}], ["rent", "bus"])
    {'rent': 0.5, 'bus': 1.0}
    """
    sets_a = [frozenset(s) for s in coder_a_sets]
    sets_b = [frozenset(s) for s in coder_b_sets]
    _paired(sets_a, sets_b)
    return {
        theme: cohens_kappa([theme in s for s in sets_a], [theme in s for s in sets_b])
        for theme in themes
    }


def krippendorff_alpha(data, *, level_of_measurement="nominal"):
    """Return Krippendorff's alpha for nominal data, missing values allowed.

    Parameters
    ----------
    data : sequence of sequence
        Reliability data, coders x units: ``data[c][u]`` is coder c's label
        for unit u, or None (or NaN) when coder c did not code unit u.
    level_of_measurement : {"nominal"}
        Only the nominal metric is implemented.

    Returns
    -------
    float or None
        alpha (1 = perfect agreement, 0 = chance level); None when every
        pairable value is the same, so expected disagreement is 0 (0/0).

    Raises
    ------
    AgreementError
        Ragged rows or an unsupported level of measurement.
    InsufficientDataError
        No unit has values from two or more coders.

    Notes
    -----
    From the coincidence matrix (Krippendorff 2011): each unit u with
    m_u >= 2 values contributes, for every ordered pair of its values
    (c, k) from different coders, 1/(m_u - 1) to o_ck. With n_c = sum_k o_ck
    and n = sum_c n_c, the nominal alpha is

        alpha = [(n - 1) sum_c o_cc - sum_c n_c (n_c - 1)]
                / [n (n - 1) - sum_c n_c (n_c - 1)]

    Units coded by fewer than two coders are not pairable and drop out.

    References
    ----------
    .. [1] Krippendorff, K. (2011). "Computing Krippendorff's
       Alpha-Reliability". University of Pennsylvania, Annenberg School
       for Communication, Departmental Papers 43.

    Examples
    --------
    >>> round(krippendorff_alpha([["a", "a", "b", None], ["a", "b", "b", "b"]]), 4)
    0.4444
    """
    if level_of_measurement != "nominal":
        raise AgreementError(
            f"level_of_measurement {level_of_measurement!r} is not supported; use 'nominal'"
        )
    try:
        if isinstance(data, (str, bytes, Mapping)) or any(
                isinstance(row, (str, bytes)) for row in data):
            raise TypeError
        rows = [list(row) for row in data]
    except TypeError:
        raise AgreementError(
            "give reliability data as a list of coders, each a list of units"
        ) from None
    if not rows or len({len(row) for row in rows}) != 1:
        raise AgreementError(
            "every coder's row must have one entry per unit (use None where a coder "
            f"did not code a unit); got row lengths {[len(row) for row in rows]}"
        )
    agreeing = 0.0          # sum_c o_cc
    totals = Counter()      # n_c
    for unit in zip(*rows):
        values = Counter(value for value in unit if not _missing(value))
        pairable = sum(values.values())
        if pairable < 2:
            continue
        for value, count in values.items():
            totals[value] += count
            agreeing += count * (count - 1) / (pairable - 1)
    n = sum(totals.values())
    if n == 0:
        raise InsufficientDataError(
            "no unit was coded by two or more coders, so there is nothing to compare"
        )
    chance_pairs = sum(count * (count - 1) for count in totals.values())
    denominator = n * (n - 1) - chance_pairs
    if denominator == 0:
        return None
    return ((n - 1) * agreeing - chance_pairs) / denominator

