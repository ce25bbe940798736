"""Geometry for the server-drawn SVG charts: a scorecard row's small trend line, and the indicator
page's history with its forecast and target bands. Plain numbers in, coordinates out; the
templates (scorecard/_charts.html) draw them, so no JavaScript or chart library is needed and the
charts print as they look.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from analysis.periods import parse_period, period_label

#: Share of the value range added above and below, so a line never touches the frame.
PADDING = 0.08
#: Gridlines on the big chart's value axis.
TICKS = 4
#: Half the target band's thickness, as a share of the plot's height: a visible path, not a claim of precision.
TARGET_BAND = 0.04


@dataclass
class Scale:
    """Maps periods (by position) and values onto a box of `width` × `height` inside `margin`."""
    periods: list[str]
    low: float
    high: float
    width: float
    height: float
    left: float = 0.0
    top: float = 0.0

    def x(self, period: str) -> float:
        if len(self.periods) == 1:
            return round(self.left + self.width / 2, 1)
        return round(self.left + self.width * self.periods.index(period) / (len(self.periods) - 1), 1)

    def y(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return round(self.top + self.height * (1 - (value - self.low) / span), 1)


def _bounds(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    pad = (high - low) * PADDING or abs(high) * PADDING or 1.0
    return low - pad, high + pad


def nice_step(span: float, count: int = TICKS) -> float:
    """A round gridline step (1, 2, 2.5 or 5 times a power of ten) giving about `count` lines over `span`."""
    raw = span / count if span > 0 else 1.0
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _path(points: list[tuple[float, float] | None]) -> str:
    """An SVG path through `points`, lifting the pen at each None (a period with no value)."""
    parts, pen_down = [], False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point[0]},{point[1]}")
        pen_down = True
    return " ".join(parts)


def sparkline(series: list[tuple[str, float | None]], *, width: float = 120, height: float = 28) -> dict | None:
    """A small trend line: {"width", "height", "path", "last": (x, y)}; None with fewer than two values.

    `series` is [(period, value or None)], oldest first; gaps lift the pen.
    """
    known = [v for _p, v in series if v is not None]
    if len(known) < 2:
        return None
    low, high = _bounds(known)
    scale = Scale([p for p, _v in series], low, high, width - 4, height - 4, left=2, top=2)
    points = [(scale.x(p), scale.y(v)) if v is not None else None for p, v in series]
    last = next(point for point in reversed(points) if point is not None)
    return {"width": width, "height": height, "path": _path(points), "last": last}


@dataclass
class CurveChart:
    """Everything the indicator page's chart draws, in SVG user units."""
    width: float
    height: float
    plot: tuple[float, float, float, float]  # left, top, right, bottom of the plotting area
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    y_ticks: list[tuple[float, float]] = field(default_factory=list)
    history: str = ""
    points: list[tuple[float, float, str, float]] = field(default_factory=list)  # x, y, period, value
    ci_band: str = ""
    whiskers: list[tuple[float, float, float]] = field(default_factory=list)  # x, y of the upper and lower ends
    forecast: str = ""
    forecast_band: str = ""
    targets: list[tuple[float, float, str, float]] = field(default_factory=list)
    target_band: str = ""
    baseline: tuple[float, float] | None = None  # y and the value


def _polygon(upper: list[tuple[float, float]], lower: list[tuple[float, float]]) -> str:
    """A closed band: along the upper edge, back along the lower one."""
    if len(upper) < 2:
        return ""
    return " ".join(f"{x},{y}" for x, y in upper + lower[::-1])


def every_period(periods: set[str], frequency: str) -> list[str]:
    """Every period from the first to the last of `periods`, so time runs evenly along the axis
    even where a period has no figure."""
    if not periods:
        return []
    ordinals = [parse_period(p, frequency) for p in periods]
    return [period_label(o, frequency) for o in range(min(ordinals), max(ordinals) + 1)]


def _clipped(rows: list[dict], names: tuple[str, ...], limits: tuple[float | None, float | None]) -> list[dict]:
    """`rows` with the values of `names` (and a "ci" pair) held inside `limits`, for drawing only."""
    low, high = limits

    def clip(v):
        if v is None:
            return None
        return min(max(v, low if low is not None else v), high if high is not None else v)
    out = []
    for row in rows:
        row = {**row, **{n: clip(row.get(n)) for n in names if n in row}}
        if row.get("ci"):
            row["ci"] = [clip(c) for c in row["ci"]]
        out.append(row)
    return out


#: What a unit's values can be: a band drawn past them would stretch the axis over the impossible.
UNIT_LIMITS = {"percent": (0.0, 1.0), "count": (0.0, None), "rate": (0.0, None)}


def curve_chart(history: list[dict], forecast: list[dict], targets: list[dict], baseline: dict | None,
                frequency: str, *, unit: str = "number", width: float = 640, height: float = 280) -> CurveChart | None:
    """The turn-the-curve chart: history (with its interval band), the do-nothing forecast (with its
    band), targets (points joined by a band from the baseline), the baseline as a line.

    history: [{"period", "value" (or None), "ci": [lo, hi] or None}]; forecast: [{"period", "value",
    "lo", "hi"}]; targets: [{"period", "value"}]; baseline: {"period", "value"} or None.
    Bands are drawn inside what `unit` allows (a share between 0 and 1, a count from 0): the
    figures themselves are shown unchanged in the table beside the chart. None when there is
    nothing to draw.
    """
    limits = UNIT_LIMITS.get(unit, (None, None))
    history, forecast = _clipped(history, ("value",), limits), _clipped(forecast, ("value", "lo", "hi"), limits)
    periods = every_period({h["period"] for h in history} | {f["period"] for f in forecast}
                           | {t["period"] for t in targets} | ({baseline["period"]} if baseline else set()), frequency)
    values = [h["value"] for h in history if h.get("value") is not None]
    values += [c for h in history if h.get("ci") for c in h["ci"] if c is not None]
    values += [v for f in forecast for v in (f.get("lo"), f.get("hi"), f.get("value")) if v is not None]
    values += [t["value"] for t in targets] + ([baseline["value"]] if baseline else [])
    if not periods or not values:
        return None
    left, top, right, bottom = 56.0, 12.0, width - 28, height - 36  # room for the last period's label
    low, high = _bounds(values)
    scale = Scale(periods, low, high, right - left, bottom - top, left=left, top=top)
    chart = CurveChart(width, height, (left, top, right, bottom))
    every = -(-len(periods) // 8)  # at most 8 labels, so they never overlap
    chart.x_labels = [(scale.x(p), p) for i, p in enumerate(periods) if i % every == 0]
    step = nice_step(high - low)
    first = math.ceil(low / step) * step
    chart.y_ticks = [(scale.y(first + step * i), round(first + step * i, 10))
                     for i in range(int((high - first) / step + 1e-9) + 1)]
    chart.history = _path([(scale.x(h["period"]), scale.y(h["value"])) if h.get("value") is not None else None
                           for h in history])
    chart.points = [(scale.x(h["period"]), scale.y(h["value"]), h["period"], h["value"])
                    for h in history if h.get("value") is not None]
    with_ci = [h for h in history if h.get("ci") and None not in h["ci"]]
    chart.ci_band = _polygon([(scale.x(h["period"]), scale.y(h["ci"][1])) for h in with_ci],
                             [(scale.x(h["period"]), scale.y(h["ci"][0])) for h in with_ci])
    chart.whiskers = [(scale.x(h["period"]), scale.y(h["ci"][1]), scale.y(h["ci"][0])) for h in with_ci]
    last = chart.points[-1] if chart.points else None
    ahead = [(scale.x(f["period"]), scale.y(f["value"])) for f in forecast if f.get("value") is not None]
    chart.forecast = _path(([(last[0], last[1])] if last and ahead else []) + ahead)
    banded = [f for f in forecast if f.get("lo") is not None and f.get("hi") is not None]
    chart.forecast_band = _polygon([(scale.x(f["period"]), scale.y(f["hi"])) for f in banded],
                                   [(scale.x(f["period"]), scale.y(f["lo"])) for f in banded])
    chart.targets = [(scale.x(t["period"]), scale.y(t["value"]), t["period"], t["value"]) for t in targets]
    if baseline:
        chart.baseline = (scale.y(baseline["value"]), baseline["value"])
        # The target band: from the baseline to each target in turn, the path the partners agreed to.
        steps = [(scale.x(baseline["period"]), scale.y(baseline["value"]))] + [(x, y) for x, y, _p, _v in chart.targets]
        if len(steps) > 1:
            half = round((bottom - top) * TARGET_BAND, 1)
            upper = [(x, round(y - half, 1)) for x, y in steps]
            lower = [(x, round(y + half, 1)) for x, y in steps]
            chart.target_band = _polygon(upper, lower)
    return chart
