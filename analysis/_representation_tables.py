"""Building blocks of representation tables: rows, chi-square, suppression.

Used by :mod:`analysis.representation`; import from there.
"""

from ._representation_input import check_k, population_shares, split_sample
from ._stats import chi_square_goodness_of_fit, wilson_interval, z_critical
from .suppression import DEFAULT_K, TOO_FEW, minimum_n, suppress_cells

__all__ = ["COCHRAN_MIN_EXPECTED", "build_table", "representation_table"]

#: Expected count below which the chi-square approximation is doubtful
#: (Cochran, W. G. 1954, Biometrics 10(4):417-451: "no more than 20% of cells
#: below 5"); the table reports how many cells fall below it.
COCHRAN_MIN_EXPECTED = 5


def build_table(categories, counts, shares, not_stated, *, line_groups, k, confidence):
    """Return the categories, chi-square and not_stated parts of a table, and whether it is
    below its minimum n (then no category is shown at all).

    ``categories`` are the output labels, ``counts`` and ``shares`` (population
    shares, summing to 1) go with them; ``line_groups`` are extra groups of
    category indices whose totals are derivable (rows and columns of a two-way
    table), on top of the whole set of categories. Complementary cells are
    chosen by population share (public), never by count.
    """
    cells = len(counts)
    not_stated_keys = list(not_stated)
    all_counts = list(counts) + [not_stated[key] for key in not_stated_keys]
    answered = sum(counts)
    too_few = answered < minimum_n(cells, k)
    if too_few:
        hidden = [{"kind": TOO_FEW, "range": None}] * len(all_counts)
    else:
        groups = [list(range(cells)), list(range(cells, len(all_counts)))]
        groups.extend(line_groups)
        hidden = suppress_cells(all_counts, groups, k=k, priority=list(shares) + [0.0] * len(not_stated_keys))
    rows = [
        _category_row(category, count, share, answered, hidden[index], confidence)
        for index, (category, count, share) in enumerate(zip(categories, counts, shares))
    ]
    shown_not_stated = {
        key: (None if hidden[cells + position]["kind"] else not_stated[key])
        for position, key in enumerate(not_stated_keys)
    }
    chi_square = _chi_square(counts, shares, [cell["kind"] is not None for cell in hidden[:cells]], answered)
    if too_few:
        chi_square.update(reason="too_few", pooled_cells=None)
    return rows, chi_square, shown_not_stated, too_few


def _category_row(category, count, population_share, answered, cell, confidence):
    row = {
        "category": category,
        "n": None,
        "share": None,
        "population_share": population_share,
        "index": None,
        "ci": None,
        "index_ci": None,
        "gap": None,
        "suppressed": cell["kind"] is not None,
        "suppression": cell["kind"],
        "range": cell["range"],
        "share_range": None,
    }
    if cell["range"] is not None and answered > 0:
        return _range_row(row, cell["range"], answered, population_share, confidence)
    if cell["kind"] is not None:
        return row
    row["n"] = count
    if answered == 0:
        return row
    share = count / answered
    low, high = wilson_interval(count, answered, confidence=confidence)
    row["share"] = share
    row["ci"] = [low, high]
    if population_share > 0:
        row["index"] = share / population_share
        row["index_ci"] = [low / population_share, high / population_share]
    # Comparing the share's interval with the population share is the same as
    # asking whether the index interval excludes parity, and still works when
    # the population share is 0 (index undefined).
    if high < population_share:
        row["gap"] = "under"
    elif low > population_share:
        row["gap"] = "over"
    return row


def _range_row(row, count_range, answered, population_share, confidence):
    """A hidden cell published as a range: its share range, and a gap only when every count in
    the range gives it (so the flag says nothing the range does not)."""
    low, high = count_range
    row["share_range"] = [low / answered, high / answered]
    if wilson_interval(high, answered, confidence=confidence)[1] < population_share:
        row["gap"] = "under"
    elif wilson_interval(low, answered, confidence=confidence)[0] > population_share:
        row["gap"] = "over"
    return row


def _chi_square(counts, shares, hidden, answered):
    """Goodness of fit with suppressed cells pooled, so it reveals only their sum."""
    result = {
        "statistic": None,
        "df": None,
        "p": None,
        "min_expected": None,
        "small_expected": None,
        "pooled_cells": sum(hidden),
        "reason": None,
    }
    if answered == 0:
        result["reason"] = "no_answers"
        return result
    observed, expected = [], []
    pooled_observed = pooled_expected = 0.0
    for count, share, is_hidden in zip(counts, shares, hidden):
        if is_hidden:
            pooled_observed += count
            pooled_expected += answered * share
        else:
            observed.append(count)
            expected.append(answered * share)
    if any(hidden):
        observed.append(pooled_observed)
        expected.append(pooled_expected)
    # A cell the population says is empty adds nothing when it is empty too,
    # and makes the statistic infinite when it is not.
    if any(o > 0 and e <= 0 for o, e in zip(observed, expected)):
        result["reason"] = "answers_in_zero_population_category"
        return result
    pairs = [(o, e) for o, e in zip(observed, expected) if e > 0]
    if len(pairs) < 2:
        result["reason"] = "fewer_than_two_cells"
        return result
    observed, expected = zip(*pairs)
    statistic, df, p = chi_square_goodness_of_fit(observed, expected)
    result.update(
        statistic=statistic,
        df=df,
        p=p,
        min_expected=min(expected),
        small_expected=sum(e < COCHRAN_MIN_EXPECTED for e in expected),
    )
    return result


def representation_table(sample_counts, population, *, k=DEFAULT_K, confidence=0.95, dimension=None):
    """Compare one dimension's sample counts with its population.

    Parameters
    ----------
    sample_counts : mapping
        ``{category: count}`` of answers, including ``"prefer_not"``,
        ``None``/``"missing"`` and any other key (all reported as not stated).
    population : mapping
        ``{category: count or share}``; normalised to shares.
    k : int, optional (default 5)
        Small-cell threshold: counts ``0 < n < k`` are suppressed.
    confidence : float, optional (default 0.95)
        Confidence level of the intervals.
    dimension : str, optional
        Name written into the result's ``"dimension"``.

    Returns
    -------
    table : dict
        ``{"dimension", "n", "n_substantive", "chi_square": {"statistic", "df",
        "p", "min_expected", "small_expected", "pooled_cells", "reason"},
        "categories": [{"category", "n", "share", "population_share", "index",
        "ci", "index_ci", "gap", "suppressed", "suppression", "range",
        "share_range"}], "not_stated": {"prefer_not", "missing", ...}, "k",
        "confidence", "minimum_n", "too_few", "method": {"code", "params"}}``.
        A hidden category has n, share, index and intervals None,
        ``suppression`` ``"primary"`` (fewer than k), ``"complementary"``
        (hidden to protect another) or ``"too_few"`` (the table is below its
        minimum n: nothing is shown), and ``range``/``share_range`` the
        interval it is published as; its ``gap`` is set only when every value
        in that range gives it. ``not_stated`` values are None when hidden;
        ``n`` and ``n_substantive`` are None when from 1 to k-1.

    Raises
    ------
    PopulationError
        If the population is empty, has a not-stated key, or a value is
        negative, non-numeric, not finite, or all are zero.
    SampleError
        If a count is not a non-negative whole number.

    Notes
    -----
    METHOD: ``share = n / n_substantive``; 95% Wilson score interval for the
    share; representation index ``share / population share`` and its
    interval the Wilson bounds divided by the population share (the
    population share is treated as known). ``gap`` is ``"under"``/``"over"``
    when the share's interval lies wholly below/above the population share
    (the index interval excludes 1). Pearson chi-square goodness of fit with
    expected ``n_substantive x population share`` over substantive categories,
    ``p = chi2.sf``; suppressed cells are pooled into one cell so the
    statistic reveals only their sum. Suppression: see
    :func:`analysis.suppression.suppress_cells` (zeros shown; the substantive
    categories and the not-stated answers are each a group whose total can be
    derived; complements chosen by population share and published as ranges)
    and :func:`analysis.suppression.minimum_n` (fewer than k answers in
    population categories per category: no breakdown).

    References
    ----------
    .. [1] Wilson, E. B. (1927). JASA 22(158):209-212.
    .. [2] Pearson, K. (1900). Philosophical Magazine 50(302):157-175.
    .. [3] Hundepool, A. et al. (2012). Statistical Disclosure Control.
       Wiley, chapter 5.

    Examples
    --------
    >>> table = representation_table(
    ...     {"young": 20, "old": 80, "prefer_not": 10}, {"young": 40, "old": 60},
    ...     dimension="age_band")
    >>> table["n"], table["n_substantive"], table["not_stated"]
    (110, 100, {'prefer_not': 10, 'missing': 0})
    >>> young = table["categories"][0]
    >>> young["share"], young["index"], young["gap"]
    (0.2, 0.5, 'under')
    >>> round(table["chi_square"]["statistic"], 4)  # (20-40)²/40 + (80-60)²/60
    16.6667
    """
    check_k(k)
    z_critical(confidence)  # validates the level before any work
    label = "" if dimension is None else f" for {dimension!r}"
    shares = population_shares(population, name=f"population{label}")
    substantive, not_stated = split_sample(sample_counts, shares, name=f"sample_counts{label}")
    rows, chi_square, shown_not_stated, too_few = build_table(
        list(substantive),
        list(substantive.values()),
        list(shares.values()),
        not_stated,
        line_groups=[],
        k=k,
        confidence=confidence,
    )
    answered = sum(substantive.values())
    total = answered + sum(not_stated.values())
    return {
        "dimension": dimension,
        "n": None if 0 < total < k else total,
        "n_substantive": None if 0 < total < k else answered,
        "chi_square": chi_square,
        "categories": rows,
        "not_stated": shown_not_stated,
        "k": k,
        "confidence": confidence,
        "minimum_n": minimum_n(len(rows), k),
        "too_few": too_few,
        "method": {
            "code": "representation_table",
            "params": {"k": k, "confidence": confidence, "minimum_n": minimum_n(len(rows), k)},
        },
    }
