"""Reporting periods of indicators: years, quarters and months (public module).

A period is written ``2025`` (year), ``2025-Q3`` (quarter) or ``2025-07`` (month).
Each has an *ordinal*, a whole number counting periods of its frequency from
year 0, so consecutive periods differ by one and a trend can be fitted on them.
Plain strings and ints in and out; no Flask, no database.
"""

import re

__all__ = [
    "FREQUENCIES", "PeriodError", "parse_period", "period_label", "month_to_period",
    "format_hint",
]

#: Reporting frequencies, finest first.
FREQUENCIES = ("month", "quarter", "year")
#: Periods per year of each frequency.
_PER_YEAR = {"month": 12, "quarter": 4, "year": 1}
_PATTERNS = {
    "year": re.compile(r"(\d{4})"),
    "quarter": re.compile(r"(\d{4})-Q([1-4])"),
    "month": re.compile(r"(\d{4})-(0[1-9]|1[0-2])"),
}
_HINTS = {"year": "2025", "quarter": "2025-Q3", "month": "2025-07"}


class PeriodError(ValueError):
    """A period that is not written the way its frequency asks."""


def format_hint(frequency):
    """An example period of `frequency` (``"2025-Q3"`` for quarters), for error messages."""
    return _HINTS[frequency]


def parse_period(text, frequency):
    """The ordinal of a period written for `frequency`.

    Parameters
    ----------
    text : str
        ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``, matching `frequency`.
    frequency : {"month", "quarter", "year"}

    Returns
    -------
    ordinal : int
        ``year * periods_per_year + (index in year - 1)``: consecutive
        periods have consecutive ordinals.

    Raises
    ------
    PeriodError
        If `frequency` is unknown or `text` is not a period of that frequency.

    Examples
    --------
    >>> parse_period("2025-Q3", "quarter") - parse_period("2024-Q4", "quarter")
    3
    >>> parse_period("2025", "year")
    2025
    """
    if frequency not in _PATTERNS:
        raise PeriodError(f"frequency '{frequency}' is not one of {', '.join(FREQUENCIES)}")
    match = _PATTERNS[frequency].fullmatch(str(text)) if isinstance(text, (str, int)) else None
    if match is None:
        raise PeriodError(f"period '{text}' is not a {frequency} written like {_HINTS[frequency]}")
    year = int(match.group(1))
    index = int(match.group(2)) if frequency != "year" else 1
    return year * _PER_YEAR[frequency] + index - 1


def period_label(ordinal, frequency):
    """The written form of a period ordinal (the inverse of :func:`parse_period`).

    >>> period_label(parse_period("2025-07", "month") + 6, "month")
    '2026-01'
    """
    year, index = divmod(int(ordinal), _PER_YEAR[frequency])
    if frequency == "year":
        return f"{year:04d}"
    if frequency == "quarter":
        return f"{year:04d}-Q{index + 1}"
    return f"{year:04d}-{index + 1:02d}"


def month_to_period(month, frequency):
    """The period of `frequency` holding the month ``YYYY-MM``.

    >>> month_to_period("2025-08", "quarter"), month_to_period("2025-08", "year")
    ('2025-Q3', '2025')
    """
    year, number = int(month[:4]), int(month[5:7])
    if frequency == "month":
        return month[:7]
    if frequency == "quarter":
        return f"{year:04d}-Q{(number - 1) // 3 + 1}"
    return f"{year:04d}"

