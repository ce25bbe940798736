"""When a partner measure's period (2025, 2025-Q3, 2025-07; written as analysis.periods says) is due.

A period is due a fixed time after it ends (REPORTING_GRACE): a report first made after that
day is late. The grace periods are the backbone's convention, shown on the pages that use them.
"""
from __future__ import annotations

import datetime as dt

from analysis.periods import PeriodError, format_hint, month_to_period, parse_period, period_label

#: Days after a period ends by which its figure is due.
REPORTING_GRACE = {"month": 15, "quarter": 30, "year": 60}
EXAMPLES = {frequency: format_hint(frequency) for frequency in REPORTING_GRACE}
_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def is_period(text: str, frequency: str) -> bool:
    """True when `text` is a period written the way `frequency` writes them."""
    try:
        parse_period(text, frequency)
    except PeriodError:
        return False
    return True


def period_start(period: str, frequency: str) -> dt.date:
    """The first day of `period` (which must pass is_period)."""
    months = parse_period(period, frequency) * _MONTHS[frequency]  # months since year 0
    return dt.date(months // 12, months % 12 + 1, 1)


def period_end(period: str, frequency: str) -> dt.date:
    """The last day of `period` (which must pass is_period)."""
    following = period_label(parse_period(period, frequency) + 1, frequency)
    return period_start(following, frequency) - dt.timedelta(days=1)


def due_date(period: str, frequency: str) -> dt.date:
    """The day `period`'s figure is due: its end plus the frequency's grace."""
    return period_end(period, frequency) + dt.timedelta(days=REPORTING_GRACE[frequency])


def previous(period: str, frequency: str, count: int) -> list[str]:
    """`count` periods ending with `period`, oldest first."""
    last = parse_period(period, frequency)
    return [period_label(o, frequency) for o in range(last - count + 1, last + 1)]


def reportable(today: dt.date, frequency: str, count: int = 4) -> list[str]:
    """The last `count` periods that have ended by `today`, oldest first: the ones a partner can report."""
    current = month_to_period(f"{today.year:04d}-{today.month:02d}", frequency)
    return previous(current, frequency, count + 1)[:-1]
