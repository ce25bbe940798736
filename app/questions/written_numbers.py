"""Numbers as residents write them: read with their locale's rules, never silently changed.

"2.5" and "2,5" are both two and a half, whatever the locale: a single separator that cannot be
a thousands separator is a decimal mark. "1.000" or "1,000" could be one or a thousand, so the
resident is asked again, as is anything that reads differently under the locale's own grouping
and decimal rules ("1,234.5" in Spanish). The text is bounded before any arithmetic, so a long
or exponent-laden input costs nothing. The locale's symbols come from Babel (CLDR).
"""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal

from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from flask_babel import lazy_gettext as _l

from app.questions.base import MAX_NUMBER, AnswerError, too_large

#: Longer than any number a survey asks for (15 digits, separators, sign, decimals), and short
#: enough that reading it is free.
MAX_NUMBER_CHARS = 40
#: Spaces of any kind (French groups with a narrow no-break space) and the apostrophe (Swiss).
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’]+")
_MINUS = "-\u2212\u2012\u2013"
#: Arabic decimal and thousands separators, typed with Arabic-Indic digits.
_ARABIC = {"\u066b": ".", "\u066c": ","}
_SHAPE = re.compile(r"^[+-]?[0-9.,]*[0-9][0-9.,]*$")


def separators_message(locale: str):
    """Asks again for a number that could be read two ways, with examples in the locale's format."""
    return _l("Write the number without thousands separators, for example %(whole)s or %(decimal)s.",
              whole=format_number(1500, locale), decimal=format_number(2.5, locale))


def parse_number(text: str | None, locale: str) -> int | float | None:
    """The number `text` means in `locale`: None for blank, the text itself when it is no number
    (the validator gives its usual message); AnswerError when it is ambiguous or too large."""
    if text is None or not text.strip():
        return None
    if len(text) > MAX_NUMBER_CHARS:
        raise AnswerError(too_large())
    cleaned = _ascii_digits(text.strip())
    spaced = bool(_SPACES.search(cleaned))
    cleaned = _SPACES.sub("", cleaned)
    if cleaned and cleaned[0] in _MINUS:
        cleaned = "-" + cleaned[1:]
    if not _SHAPE.match(cleaned):
        return text
    sign = "-" if cleaned[0] == "-" else ""
    body = cleaned[1:] if cleaned[0] in "+-" else cleaned
    plain = _plain(body, locale, spaced)
    if len(plain.replace(".", "").lstrip("0")) > 20:
        raise AnswerError(too_large())
    value = Decimal(sign + plain)
    if abs(value) > MAX_NUMBER:
        raise AnswerError(too_large())
    return int(value) if value == value.to_integral_value() else float(value)


def _ascii_digits(text: str) -> str:
    """Arabic-Indic, Persian and other decimal digits → 0-9; Arabic separators → . and ,."""
    out = []
    for ch in text:
        if ch in _ARABIC:
            out.append(_ARABIC[ch])
        elif ch.isdecimal() and not "0" <= ch <= "9":
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


def _plain(body: str, locale: str, spaced: bool) -> str:
    """`body` (digits, '.' and ',') as digits with at most one '.' decimal point."""
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    marks = [ch for ch in body if ch in ".,"]
    if not marks:
        return body
    if len(set(marks)) == 2:
        # Both kinds: only the locale's own way (groups, then one decimal mark) reads one way.
        whole, _, fraction = body.rpartition(decimal)
        if marks[-1] != decimal or marks.count(decimal) != 1 or not _grouped(whole, group):
            raise AnswerError(separators_message(locale))
        return whole.replace(group, "") + "." + fraction
    mark = marks[0]
    if len(marks) > 1:  # "1.000.000": only grouping repeats; the locale must group that way
        if mark != group or not _grouped(body, mark):
            raise AnswerError(separators_message(locale))
        return body.replace(mark, "")
    whole, _, fraction = body.partition(mark)
    if not spaced and _grouped(body, mark):  # "1.000", "12,500": a thousand, or one?
        raise AnswerError(separators_message(locale))
    return (whole or "0") + "." + fraction if fraction else whole


def _grouped(text: str, sep: str) -> bool:
    """Whether `text` is digits grouped in threes by `sep` (the first group not a bare 0)."""
    if sep not in ".,":  # a locale grouping with spaces: those were removed already
        return text.isdigit()
    grouped = re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+", text)
    return bool(grouped) and not text.startswith("0")


def format_number(value, locale: str) -> str:
    """A stored number as the resident's locale writes it, without grouping (so it reads back)."""
    return format_decimal(value, format="0.##########", locale=locale)
