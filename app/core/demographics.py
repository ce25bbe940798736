"""A response's demographic answers as one canonical value, stored on the response itself.

The representation report counts whole people by the combination of their demographic answers.
Pivoting the answers table for that on every report costs a GROUP BY over six rows a person;
keeping the combination on the response row, written once with the answers, makes it a GROUP BY
over one column of one table. Responses never change after they are stored (withdrawal only sets
`withdrawn_at`), so the stored value cannot drift from the answers.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache

#: Distinct (pattern, dimensions) pairs kept parsed: a survey with six demographic questions has
#: at most tens of thousands of distinct patterns, whatever the number of responses.
PARSED_PATTERNS_KEPT = 1 << 17


def canonical_pattern(pattern: dict[str, str]) -> str:
    """`{dimension: category}` as compact JSON with sorted keys, so equal patterns are equal text."""
    return json.dumps(pattern, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def pattern_from_answers(dimension_of: dict[str, str], answers: Iterable[tuple[str, str | None]]) -> str:
    """The canonical pattern of one response.

    `dimension_of` maps the version's demographic question keys to their dimension; `answers`
    are (question key, choice) pairs. Should two questions name one dimension, the greater value
    wins, as it did when reports pivoted the answers with MAX().
    """
    pattern: dict[str, str] = {}
    for key, choice in answers:
        dimension = dimension_of.get(key)
        if dimension is None or choice is None:
            continue
        pattern[dimension] = max(pattern.get(dimension, choice), choice)
    return canonical_pattern(pattern)


def parse_pattern(text: str | None) -> dict[str, str]:
    """The inverse of canonical_pattern; a missing value is no answers."""
    return json.loads(text) if text else {}


@lru_cache(maxsize=PARSED_PATTERNS_KEPT)
def pattern_values(text: str | None, dimensions: tuple[str, ...]) -> tuple[str | None, ...]:
    """The stored pattern's category on each of `dimensions` (None where not answered).

    Stored patterns never change, so their parse is kept: a warm report reads the distinct
    patterns without parsing them again."""
    return tuple(map(parse_pattern(text).get, dimensions))
