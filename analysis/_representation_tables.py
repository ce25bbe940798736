"""Building blocks of representation tables: rows, chi-square, suppression.

Used by :mod:`analysis.representation`; import from there.
"""

from ._stats import chi_square_goodness_of_fit, wilson_interval
from ._suppression import protect_cells

__all__ = ["COCHRAN_MIN_EXPECTED", "build_table"]

#: Expected count below which the chi-square approximation is doubtful
#: (Cochran, W. G. 1954, Biometrics 10(4):417-451: "no more than 20% of cells
#: below 5"); the table reports how many cells fall below it.
COCHRAN_MIN_EXPECTED = 5


def build_table(categories, counts, shares, not_stated, *, line_groups, k, confidence):
    """Return the categories, chi-square and not_stated parts of a table.

    ``categories`` are the output labels, ``counts`` and ``shares`` (population
    shares, summing to 1) go with them; ``line_groups`` are extra groups of
    category indices whose totals are derivable (rows and columns of a two-way
    table), on top of the whole set of categories.
    """
    cells = len(counts)
    not_stated_keys = list(not_stated)
    all_counts = list(counts) + [not_stated[key] for key in not_stated_keys]
    groups = [list(range(cells)), list(range(cells, len(all_counts)))]
    groups.extend(line_groups)
    hidden = protect_cells(all_counts, groups, k=k)
    answered = sum(counts)
    rows = [
        _category_row(category, count, share, answered, hidden[index], confidence)
        for index, (category, count, share) in enumerate(zip(categories, counts, shares))
    ]
    shown_not_stated = {
        key: (None if hidden[cells + position] else not_stated[key])
        for position, key in enumerate(not_stated_keys)
    }
    chi_square = _chi_square(counts, shares, hidden[:cells], answered)
    return rows, chi_square, shown_not_stated


def _category_row(category, count, population_share, answered, suppressed, confidence):
    row = {
        "category": category,
        "n": None,
        "share": None,
        "population_share": population_share,
        "index": None,
        "ci": None,
        "index_ci": None,
        "gap": None,
        "suppressed": suppressed,
    }
    if suppressed:
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
