"""The SVG geometry: points placed by hand-computed scales, gaps lift the pen, bands close."""
from app.scorecard.charts import curve_chart, sparkline


def test_sparkline_places_points_and_lifts_the_pen_over_a_gap():
    # Values 0.5..0.7 padded by 8% of the range (0.016) each side: 0.484..0.716 over 24 px from y=2.
    s = sparkline([("2024", 0.5), ("2025", None), ("2026", 0.7)], width=120, height=28)
    assert s["path"] == "M2.0,24.3 M118.0,3.7"
    assert s["last"] == (118.0, 3.7)
    s = sparkline([("2024", 0.5), ("2025", 0.6), ("2026", 0.7)], width=120, height=28)
    assert s["path"] == "M2.0,24.3 L60.0,14.0 L118.0,3.7"


def test_sparkline_needs_two_values():
    assert sparkline([("2024", 0.5), ("2025", None)]) is None


def test_curve_chart_history_forecast_targets_and_baseline():
    chart = curve_chart(
        [{"period": "2024", "value": 0.50, "ci": [0.45, 0.55]}, {"period": "2025", "value": 0.55, "ci": [0.50, 0.60]}],
        [{"period": "2026", "value": 0.60, "lo": 0.52, "hi": 0.68}],
        [{"period": "2027", "value": 0.70}], {"period": "2024", "value": 0.50}, "year", width=640, height=280)
    left, top, right, bottom = chart.plot
    assert (left, top, right, bottom) == (56.0, 12.0, 612.0, 244.0)
    # Periods 2024..2027 spread over 556 px; values 0.45..0.70 padded by 0.02 each side: 0.43..0.72 over 232 px.
    assert [x for x, _label in chart.x_labels] == [56.0, 241.3, 426.7, 612.0]
    y = lambda v: round(12 + 232 * (1 - (v - 0.43) / 0.29), 1)  # noqa: E731
    assert chart.history == f"M56.0,{y(0.50)} L241.3,{y(0.55)}"
    assert chart.forecast == f"M241.3,{y(0.55)} L426.7,{y(0.60)}"  # continues from the last known value
    assert chart.targets == [(612.0, y(0.70), "2027", 0.70)]
    assert chart.baseline == (y(0.50), 0.50)
    assert [v for _y, v in chart.y_ticks] == [0.5, 0.6, 0.7]  # round steps of 0.1 inside 0.43..0.72
    assert chart.whiskers == [(56.0, y(0.55), y(0.45)), (241.3, y(0.60), y(0.50))]
    band = chart.ci_band.split()
    assert band[0] == f"56.0,{y(0.55)}" and band[-1] == f"56.0,{y(0.45)}" and len(band) == 4
    assert chart.target_band.split()[0] == f"56.0,{round(y(0.50) - 9.3, 1)}"  # 4% of the plot's height


def test_curve_chart_with_nothing_to_draw():
    assert curve_chart([], [], [], None, "year") is None


def test_time_runs_evenly_over_periods_with_no_figure():
    chart = curve_chart([{"period": "2024-Q3", "value": 1.0, "ci": None}, {"period": "2025-Q2", "value": 2.0, "ci": None}],
                        [], [{"period": "2025-Q4", "value": 3.0}], None, "quarter", width=640, height=280)
    # 2024-Q3 … 2025-Q4 is six quarters: 2025-Q2 sits at 3/5 of the 556 px axis, not halfway.
    assert [x for x, _y, _p, _v in chart.points] == [56.0, round(56 + 556 * 3 / 5, 1)]
    assert [label for _x, label in chart.x_labels] == ["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]


def test_nice_steps():
    from app.scorecard.charts import nice_step
    assert [nice_step(span) for span in (0.29, 397, 1.0, 7)] == [0.1, 100, 0.25, 2]


def test_a_share_s_band_is_drawn_between_0_and_100_percent():
    chart = curve_chart([{"period": "2024", "value": 0.3, "ci": [0.25, 0.35]}, {"period": "2025", "value": 0.3, "ci": None}],
                        [{"period": "2026", "value": 0.3, "lo": -0.6, "hi": 1.4}, {"period": "2027", "value": 0.3, "lo": -0.9, "hi": 1.7}],
                        [], None, "year", unit="percent")
    assert [v for _y, v in chart.y_ticks] == [0.0, 0.5, 1.0]  # the axis spans 0..1 (padded), no more
    assert max(float(p.split(",")[1]) for p in chart.forecast_band.split()) == 244.0 - round(232 * 0.08 / 1.16, 1)
