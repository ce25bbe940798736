"""Reading a request's JSON body the same way everywhere: what cannot be read or stored is a 400.

Malformed JSON, nesting too deep for the parser (RecursionError), numbers that are not finite
(`NaN`, `Infinity`, `1e400`, which Python reads as inf and which no column holds) and text with
a NUL character or a lone surrogate (`"\\ud800"`) are all refused here, before any view sees the
body, with a message that says which (400; 422 naming the field for text, which is valid JSON
that no column can hold). Nothing is stored.
"""
from __future__ import annotations

import json
import math

from flask import abort, request
from flask_babel import lazy_gettext as _l

from app.core.security.safe_input import ClearBadRequest, UnstorableText, has_unstorable


class NotFiniteNumber(ClearBadRequest):
    description = _l("Numbers must be finite: NaN, Infinity and numbers too large to store are not accepted.")


class TooDeep(ClearBadRequest):
    description = _l("The JSON is nested too deeply to read.")


#: Deeper than any body the API takes (an answer is at most an object in a list in an object).
MAX_DEPTH = 32
#: Digits of the largest integer a float (the answers' number column) can hold, about 1.8e308.
MAX_INT_DIGITS = 308


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotFiniteNumber()
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:  # past any float: float() of it overflows
        raise NotFiniteNumber()
    return int(text)


def _no_constants(name: str):
    raise NotFiniteNumber()


class UnstorableValue(ClearBadRequest):
    """A JSON string with NUL or a lone surrogate: valid JSON, so 422, naming where it was."""

    code = 422
    description = UnstorableText.description

    def __init__(self, path: list):
        super().__init__()
        message = str(self.description)
        if path and isinstance(path[0], int):  # an array of rows (stakeholder and relationship imports)
            self.errors = [{"row": path[0], "field": next((p for p in path[1:] if isinstance(p, str)), None),
                            "message": message}]
        else:
            self.errors = {str(path[0]) if path else "": message}


def _check(value) -> None:
    """Walk the parsed value without recursion of its own: refuse deep nesting and text that
    cannot be stored (saying where: the top-level field, or the row and its field)."""
    stack = [(value, [])]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise TooDeep()
        if isinstance(item, str):
            if has_unstorable(item):
                raise UnstorableValue(path)
        elif isinstance(item, dict):
            for key, child in item.items():
                if has_unstorable(key):
                    raise UnstorableValue(path + [key])
                stack.append((child, path + [key]))
        elif isinstance(item, list):
            stack.extend((child, path + [index]) for index, child in enumerate(item))


def parse_json(data: bytes | str):
    """The JSON value of `data`; raises a BadRequest (400) that says what is wrong."""
    try:
        value = json.loads(data or b"", parse_float=_finite_float, parse_int=_bounded_int,
                           parse_constant=_no_constants)
    except RecursionError:
        raise TooDeep() from None
    except (ValueError, UnicodeDecodeError):
        abort(400)
    _check(value)
    return value


def json_body():
    """The parsed body (any JSON value). Not request.get_json(): that wants a JSON content type,
    which offline queues and shell scripts do not always send."""
    return parse_json(request.get_data(cache=False))


def json_object_body() -> dict:
    """The parsed body, which must be a JSON object (400 otherwise)."""
    body = json_body()
    if not isinstance(body, dict):
        abort(400)
    return body
