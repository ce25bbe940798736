"""Hypothesis strategies from the JSON Schemas of our OpenAPI document.

hypothesis-jsonschema reaches into Hypothesis internals that current releases no longer have, so
this covers the subset the document uses: objects (properties, required, additionalProperties),
arrays (items, minItems, maxItems, uniqueItems), enum, const, oneOf, integer and number bounds,
strings with a pattern, maxLength or the date format, and booleans. Anything else is an error,
so a schema the fuzz tests cannot honour is noticed rather than skipped.
"""
from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

#: Free-form values where a schema says only "object" or gives no type.
ANY_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                        max_leaves=6)
#: Keys of free-form objects.
KEYS = st.text(max_size=12)


def from_schema(schema: dict):
    """A strategy for values valid under `schema`."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "oneOf" in schema:
        return st.one_of(*(from_schema(s) for s in schema["oneOf"]))
    kind = schema.get("type")
    if kind == "object":
        return _object(schema)
    if kind == "array":
        return _array(schema)
    if kind == "string":
        return _string(schema)
    if kind in ("integer", "number"):
        return _number(schema, kind)
    if kind == "boolean":
        return st.booleans()
    if kind is None and not set(schema) - {"description"}:
        return ANY_JSON
    raise ValueError(f"no strategy for schema {schema}")


def _object(schema: dict):
    properties = schema.get("properties", {})
    required = set(schema.get("required", ()))
    for key in required - set(properties):
        properties = {**properties, key: {}}
    base = st.fixed_dictionaries({k: from_schema(v) for k, v in properties.items() if k in required},
                                 optional={k: from_schema(v) for k, v in properties.items() if k not in required})
    if schema.get("additionalProperties", True) is False or properties:
        return base
    return st.dictionaries(KEYS, ANY_JSON, max_size=4)


def _array(schema: dict):
    items = schema.get("items")
    low, high = schema.get("minItems", 0), schema.get("maxItems")
    if high == 0 or items is None and high is not None and high <= 0:
        return st.just([])
    elements = from_schema(items) if items is not None else ANY_JSON
    if schema.get("uniqueItems"):
        if "enum" in (items or {}):
            high = len(items["enum"]) if high is None else min(high, len(items["enum"]))
        return st.lists(elements, min_size=low, max_size=high, unique_by=lambda v: repr(v))
    return st.lists(elements, min_size=low, max_size=high if high is not None else 5)


def _string(schema: dict):
    if schema.get("format") == "date":
        return st.dates(min_value=dt.date(1, 1, 2), max_value=dt.date(9999, 12, 30)).map(dt.date.isoformat)
    high = schema.get("maxLength")
    strategy = st.from_regex(schema["pattern"], fullmatch=True) if "pattern" in schema else st.text(max_size=high or 50)
    return strategy.filter(lambda s: high is None or len(s) <= high)


def _number(schema: dict, kind: str):
    low, high = schema.get("minimum"), schema.get("maximum")
    if kind == "integer":
        return st.integers(min_value=None if low is None else int(low), max_value=None if high is None else int(high))
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
