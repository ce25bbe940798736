"""Two-way representation tables (intersections of two dimensions).

Used by :mod:`analysis.representation`; import from there.
"""

from collections.abc import Mapping

from ._representation_input import (
    MISSING,
    PREFER_NOT,
    PopulationError,
    SampleError,
    check_k,
    count_value,
    population_shares,
)
from ._representation_tables import build_table
from ._stats import z_critical
from .suppression import DEFAULT_K, minimum_n

__all__ = ["NOT_IN_POPULATION", "intersection_table"]

#: not_stated label for a pair of substantive-looking answers that the
#: population table has no cell for.
NOT_IN_POPULATION = "not_in_population"


def intersection_table(
    sample_pairs_counts, population_pairs, *, k=DEFAULT_K, confidence=0.95, dimensions=None
):
    """Representation of the intersections of two dimensions.

    Parameters
    ----------
    sample_pairs_counts : mapping
        ``{(cat_a, cat_b): count}``.
    population_pairs : mapping
        ``{(cat_a, cat_b): count or share}``, the joint population table;
        normalised to shares.
    k : int, optional (default 5)
        Small-cell threshold.
    confidence : float, optional (default 0.95)
        Confidence level.
    dimensions : (str, str), optional
        Names of the two dimensions, written into ``"dimension"``.

    Returns
    -------
    table : dict
        As :func:`analysis.representation.representation_table`, with
        ``"dimension": [a, b]`` (or None) and each ``"category"`` a pair
        ``[cat_a, cat_b]``. ``not_stated`` has ``prefer_not`` (either answer
        was prefer-not and neither missing), ``missing`` (either answer
        missing) and ``not_in_population`` (a pair with no population cell).

    Raises
    ------
    PopulationError
        If a population key is not a pair, contains a not-stated answer, or
        the values are unusable.
    SampleError
        If a sample key is not a pair or a count is not a whole number.

    Notes
    -----
    METHOD: as the one-way table, over the joint population shares (shares
    of the answers that fall in a population cell; Wilson intervals; index;
    chi-square goodness of fit with ``cells - 1`` df). Suppression treats
    every row and every column as a group whose total can be derived (the
    one-way tables publish them), so no row or column has exactly one hidden
    cell; hiding repeats until that holds. This is the usual heuristic, not a
    proof against every linear attack on linked tables.

    References
    ----------
    .. [1] Hundepool, A. et al. (2012). Statistical Disclosure Control.
       Wiley, section 5.4 (secondary suppression in two-way tables).
    .. [2] Wilson, E. B. (1927). JASA 22(158):209-212.

    Examples
    --------
    >>> table = intersection_table(
    ...     {("young", "f"): 10, ("young", "m"): 10, ("old", "f"): 40, ("old", "m"): 40},
    ...     {("young", "f"): 1, ("young", "m"): 1, ("old", "f"): 1, ("old", "m"): 1},
    ...     dimensions=("age", "sex"))
    >>> [(row["category"], row["index"]) for row in table["categories"]]
    [(['young', 'f'], 0.4), (['young', 'm'], 0.4), (['old', 'f'], 1.6), (['old', 'm'], 1.6)]
    """
    check_k(k)
    z_critical(confidence)
    _check_pairs(population_pairs, "population_pairs", PopulationError)
    for pair in population_pairs:
        if any(part in (None, MISSING, PREFER_NOT) for part in pair):
            raise PopulationError(
                f"population_pairs key {pair!r} contains a not-stated answer; population "
                "tables hold substantive categories only"
            )
    shares = population_shares(population_pairs, name="population_pairs")
    _check_pairs(sample_pairs_counts, "sample_pairs_counts", SampleError)
    substantive = dict.fromkeys(shares, 0)
    not_stated = {PREFER_NOT: 0, MISSING: 0, NOT_IN_POPULATION: 0}
    for pair, value in sample_pairs_counts.items():
        count = count_value(value, f"sample_pairs_counts[{pair!r}]")
        if pair in substantive:
            substantive[pair] += count
        else:
            not_stated[_not_stated_label(pair)] += count
    pairs = list(substantive)
    rows, chi_square, shown_not_stated, too_few = build_table(
        [list(pair) for pair in pairs],
        list(substantive.values()),
        list(shares.values()),
        not_stated,
        line_groups=_rows_and_columns(pairs),
        k=k,
        confidence=confidence,
    )
    answered = sum(substantive.values())
    return {
        "dimension": None if dimensions is None else list(dimensions),
        "n": answered + sum(not_stated.values()),
        "n_substantive": answered,
        "chi_square": chi_square,
        "categories": rows,
        "not_stated": shown_not_stated,
        "k": k,
        "confidence": confidence,
        "too_few": too_few,
        "minimum_n": minimum_n(len(pairs), k),
        "method": {"code": "intersection_table", "params": {"k": k, "confidence": confidence}},
    }


def _check_pairs(table, name, error):
    if not isinstance(table, Mapping):
        raise error(f"{name} must be a mapping of (category_a, category_b) to a number")
    for key in table:
        if not (isinstance(key, tuple) and len(key) == 2):
            raise error(f"{name} keys must be (category_a, category_b) pairs, got {key!r}")


def _not_stated_label(pair):
    if any(part is None or part == MISSING for part in pair):
        return MISSING
    if PREFER_NOT in pair:
        return PREFER_NOT
    return NOT_IN_POPULATION


def _rows_and_columns(pairs):
    rows, columns = {}, {}
    for index, (first, second) in enumerate(pairs):
        rows.setdefault(first, []).append(index)
        columns.setdefault(second, []).append(index)
    return list(rows.values()) + list(columns.values())
