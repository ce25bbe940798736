"""Partner measures' periods: their first and last days, due dates and the periods open to report."""
import datetime as dt

from app.scorecard.periods import due_date, is_period, period_end, period_start, previous, reportable


def test_period_bounds_and_due_dates():
    assert (period_start("2024-02", "month"), period_end("2024-02", "month")) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert (period_start("2025-Q4", "quarter"), period_end("2025-Q4", "quarter")) == (dt.date(2025, 10, 1), dt.date(2025, 12, 31))
    assert period_end("2025", "year") == dt.date(2025, 12, 31)
    assert due_date("2025-Q4", "quarter") == dt.date(2026, 1, 30)  # 30 days' grace
    assert due_date("2025-12", "month") == dt.date(2026, 1, 15)    # 15 days'
    assert due_date("2025", "year") == dt.date(2026, 3, 1)         # 60 days'


def test_which_periods_a_partner_can_report():
    today = dt.date(2026, 2, 10)
    assert reportable(today, "quarter") == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert reportable(today, "month") == ["2025-10", "2025-11", "2025-12", "2026-01"]
    assert reportable(today, "year", 3) == ["2023", "2024", "2025"]
    assert previous("2024-02", "month", 3) == ["2023-12", "2024-01", "2024-02"]


def test_period_formats():
    assert is_period("2025-Q3", "quarter") and not is_period("2025-07", "quarter") and not is_period("", "year")
