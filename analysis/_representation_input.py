"""Input checks and the category conventions shared by the representation code.

Conventions of this project (DESIGN.md, "dimension" questions):

* the key ``"prefer_not"`` is the "Prefer not to say" answer;
* the key ``None`` or the string ``"missing"`` is "no answer";
* any other key not in the population table is an answer the population
  cannot be compared with (e.g. a write-in). All three are *not stated*:
  counted and reported, never dropped or spread over categories.
"""

import math
import numbers
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = [
    "PREFER_NOT",
    "MISSING",
    "RepresentationError",
    "PopulationError",
    "SampleError",
    "RakingError",
    "population_shares",
    "count_value",
    "not_stated_key",
    "split_sample",
    "check_k",
    "respondent_columns",
    "frequency_weights",
]

PREFER_NOT = "prefer_not"
MISSING = "missing"
_NOT_STATED_KEYS = (PREFER_NOT, MISSING, None)


class RepresentationError(ValueError):
    """Base class for bad input to the representation analysis."""


class PopulationError(RepresentationError):
    """A population table or raking margin is unusable."""


class SampleError(RepresentationError):
    """Sample counts, respondents, answers or weights are unusable."""


class RakingError(RepresentationError):
    """Raking options are invalid or the margins cannot be applied."""


def population_shares(population, *, name="population"):
    """Return ``{category: share}`` in the table's order, shares summing to 1.

    Accepts counts or shares (both are normalised). Raises PopulationError for
    a non-mapping, an empty table, a not-stated key, or values that are
    negative, non-numeric, not finite or all zero.
    """
    if not isinstance(population, Mapping):
        raise PopulationError(f"{name} must be a mapping of category to count or share")
    if not population:
        raise PopulationError(f"{name} has no categories")
    values = {}
    for category, value in population.items():
        if category in _NOT_STATED_KEYS:
            raise PopulationError(
                f"{name} contains the not-stated key {category!r}; population tables "
                "hold substantive categories only"
            )
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise PopulationError(f"{name}[{category!r}] must be a number, got {value!r}")
        value = float(value)
        if not math.isfinite(value) or value < 0:
            raise PopulationError(
                f"{name}[{category!r}] must be a finite non-negative number, got {value!r}"
            )
        values[category] = value
    total = math.fsum(values.values())
    if total <= 0:
        raise PopulationError(f"{name} is all zero; give population counts or shares")
    return {category: value / total for category, value in values.items()}


def count_value(value, label):
    """Return `value` as an int if it is a non-negative whole number, else raise SampleError."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SampleError(f"{label} must be a whole number, got {value!r}")
    if isinstance(value, numbers.Integral):
        count = int(value)
    elif math.isfinite(value) and float(value).is_integer():
        count = int(value)
    else:
        raise SampleError(f"{label} must be a whole number, got {value!r}")
    if count < 0:
        raise SampleError(f"{label} must not be negative, got {count}")
    return count


def not_stated_key(key):
    """Map an answer key outside the population table to its not_stated label."""
    if key is None or key == MISSING:
        return MISSING
    return key if isinstance(key, str) else str(key)


def split_sample(sample_counts, categories, *, name="sample"):
    """Split sample counts into substantive counts and not-stated counts.

    Returns ``(substantive, not_stated)``: ``substantive`` is ``{category:
    count}`` for every population category in order (0 when absent);
    ``not_stated`` always has ``prefer_not`` and ``missing`` first (0 when
    absent), then any other key in the sample's order.
    """
    if not isinstance(sample_counts, Mapping):
        raise SampleError(f"{name} must be a mapping of category to count")
    substantive = dict.fromkeys(categories, 0)
    not_stated = {PREFER_NOT: 0, MISSING: 0}
    for key, value in sample_counts.items():
        count = count_value(value, f"{name}[{key!r}]")
        if key in substantive and key not in _NOT_STATED_KEYS:
            substantive[key] += count
        else:
            label = not_stated_key(key)
            not_stated[label] = not_stated.get(label, 0) + count
    return substantive, not_stated


def check_k(k):
    """Raise RepresentationError unless `k` is a non-negative whole number."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise RepresentationError(f"k must be a non-negative whole number (e.g. 5), got {k!r}")


def respondent_columns(respondents):
    """``(n, answers_on)`` for respondents given as rows or as columns.

    Rows are one ``{dimension: category}`` mapping per respondent; columns
    are ``{dimension: sequence}`` with one answer per respondent each.
    ``answers_on(dimension)`` is the list of every respondent's answer on it,
    None where a row lacks the key or no column names the dimension.
    """
    if isinstance(respondents, Mapping):
        columns = {dimension: list(column) for dimension, column in _columns(respondents)}
        lengths = {len(column) for column in columns.values()}
        if len(lengths) > 1:
            raise SampleError(f"respondent columns differ in length: {sorted(lengths)}")
        n = lengths.pop() if lengths else 0
        if n == 0:
            raise SampleError("there are no respondents to rake")
        return n, lambda dimension: columns.get(dimension) or [None] * n
    if isinstance(respondents, (str, bytes)) or not isinstance(respondents, Sequence):
        raise SampleError("respondents must be a list of {dimension: category} dicts, or a dict of columns")
    if not respondents:
        raise SampleError("there are no respondents to rake")
    if not all(type(respondent) is dict for respondent in respondents):  # skip ABC checks in the common case
        for position, respondent in enumerate(respondents):
            if not isinstance(respondent, Mapping):
                raise SampleError(f"respondent {position} is not a mapping: {respondent!r}")
    return len(respondents), lambda dimension: [respondent.get(dimension) for respondent in respondents]


def _columns(respondents):
    for dimension, column in respondents.items():
        if isinstance(column, (str, bytes)) or not isinstance(column, Sequence):
            raise SampleError(f"respondents[{dimension!r}] must be a list with one answer per respondent")
        yield dimension, column


def frequency_weights(counts, rows):
    """`counts` as a float array of `rows` non-negative whole numbers (ones when None)."""
    if counts is None:
        return np.ones(rows)
    try:
        people = np.array(counts, dtype=float)
    except (TypeError, ValueError):
        raise SampleError("counts must be a sequence of whole numbers") from None
    if people.shape != (rows,):
        raise SampleError(f"{people.size} counts for {rows} rows")
    if not np.all(np.isfinite(people)) or np.any(people < 0) or np.any(people != np.round(people)):
        raise SampleError("counts must be non-negative whole numbers")
    if people.sum() <= 0:
        raise SampleError("there are no respondents to rake (every count is 0)")
    return people
