"""Reporting periods of partner measures (2025, 2025-Q3, 2025-07) and when each is due.

A period is due a fixed time after it ends (REPORTING_GRACE): a report first made after that
day is late. The grace periods are the backbone's convention, shown on the page that uses them.
"""
from __future__ import annotations

import datetime as dt
import re

#: Days after a period ends by which its figure is due.
REPORTING_GRACE = {"month": 15, "quarter": 30, "year": 60}
_PATTERNS = {"year": re.compile(r"^(\d{4})$"), "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
             "month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")}
EXAMPLES = {"year": "2025", "quarter": "2025-Q3", "month": "2025-07"}


def is_period(text: str, frequency: str) -> bool:
    """True when `text` is a period written the way `frequency` writes them."""
    return bool(_PATTERNS[frequency].match(text or ""))


def period_end(period: str, frequency: str) -> dt.date:
    """The last day of `period` (which must pass is_period)."""
    match = _PATTERNS[frequency].match(period)
    year = int(match.group(1))
    if frequency == "year":
        return dt.date(year, 12, 31)
    last_month = int(match.group(2)) * 3 if frequency == "quarter" else int(match.group(2))
    first_of_next = dt.date(year + last_month // 12, last_month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def period_start(period: str, frequency: str) -> dt.date:
    """The first day of `period` (which must pass is_period)."""
    end = period_end(period, frequency)
    months = {"year": 12, "quarter": 3, "month": 1}[frequency]
    first_month = end.month - months + 1
    return dt.date(end.year, first_month, 1)


def due_date(period: str, frequency: str) -> dt.date:
    """The day `period`'s figure is due: its end plus the frequency's grace."""
    return period_end(period, frequency) + dt.timedelta(days=REPORTING_GRACE[frequency])


def period_of(day: dt.date, frequency: str) -> str:
    """The period `day` falls in."""
    if frequency == "year":
        return f"{day.year}"
    if frequency == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def previous(period: str, frequency: str, count: int) -> list[str]:
    """`count` periods ending with `period`, oldest first."""
    found, day = [], period_end(period, frequency)
    for _ in range(count):
        found.append(period_of(day, frequency))
        day = dt.date(day.year, day.month, 1) - dt.timedelta(days=1)
        while period_of(day, frequency) == found[-1]:
            day = dt.date(day.year, day.month, 1) - dt.timedelta(days=1)
    return found[::-1]


def reportable(today: dt.date, frequency: str, count: int = 4) -> list[str]:
    """The last `count` periods that have ended by `today`, oldest first: the ones a partner can report."""
    current = period_of(today, frequency)
    return previous(current, frequency, count + 1)[:-1]
