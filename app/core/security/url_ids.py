"""Integer ids in URLs bounded to what an id column can hold.

Flask's `int` converter takes any run of digits; `/admin/users/99999999999999999999` then
reached PostgreSQL as an out-of-range integer (a 500). This converter replaces `int` for every
route of the app, so an id no row can have is a plain 404 before any query runs.
"""
from __future__ import annotations

import builtins

from werkzeug.routing import IntegerConverter, ValidationError

#: The largest id a row can have: every id column is INTEGER, which PostgreSQL keeps in 32 bits
#: (SQLite's are 64-bit, so this is the smaller of the two). Beyond 64 bits SQLite fails too.
MAX_ID = 2**31 - 1


class Int64Converter(IntegerConverter):
    """`<int:…>` with 0 ≤ value ≤ MAX_ID; longer digit runs are refused before int() parses them."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=MAX_ID if max is None else builtins.min(max, MAX_ID), signed=signed)

    def to_python(self, value: str) -> int:
        if len(value.lstrip("-")) > len(str(MAX_ID)):
            raise ValidationError()
        return super().to_python(value)


def init_app(app) -> None:
    """Call before any blueprint is registered: rules pick their converter when they are added."""
    app.url_map.converters["int"] = Int64Converter
