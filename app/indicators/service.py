"""What the pages, the API and the exports call: indicators, one indicator's series, the scorecard.

`indicator_series(key)` returns exactly what `GET /api/v1/indicators/<key>` sends (the shapes
are written out in docs/api.md, "Indicators"). Texts are in the request's language; status and
method codes come with a sentence saying the rule.
"""
from __future__ import annotations

from flask_babel import gettext as _

from analysis.periods import PeriodError, format_hint, parse_period, period_label
from analysis.suppression import DEFAULT_K
from app.indicators.compute import Query, survey_values
from app.indicators.loader import definition_of, latest_indicator_versions
from app.indicators.model import IndicatorDef
from app.indicators.reported import Catalogue, reported_rows
from app.indicators.texts import localized
from app.models import IndicatorVersion

#: How far the "do nothing" forecast reaches past the last value when no target is further.
FORECAST_PERIODS = {"month": 12, "quarter": 4, "year": 3}
#: The longest forecast drawn, in periods (five years of months).
MAX_FORECAST = 60


class IndicatorQueryError(ValueError):
    """A request for an indicator that cannot be answered: `status` 404 or 400, a message."""

    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.message, self.status, self.field = message, status, field


def _versions() -> dict[str, IndicatorVersion]:
    return {definition_of(v).key: v for v in latest_indicator_versions()}


def describe(indicator: IndicatorDef, version: int) -> dict:
    """An indicator's definition as the API lists it, texts in the request's language."""
    texts = localized(indicator)
    source = indicator.source
    return {
        "key": indicator.key, "version": version, "title": texts["title"], "description": texts["description"],
        "unit": indicator.unit, "polarity": indicator.polarity, "frequency": indicator.frequency,
        "result": indicator.result, "result_title": texts["result_title"],
        "source": ({"kind": "reported"} if indicator.reported else
                   {"kind": "survey", "survey": source.survey, "question": source.question,
                    "statistic": source.statistic, "share_of": list(source.share_of), "weighted": source.weighted}),
        "disaggregate": list(indicator.disaggregate),
        "baseline": {"period": indicator.baseline.period, "value": indicator.baseline.value}
        if indicator.baseline else None,
        "targets": [{"period": t.period, "value": t.value} for t in indicator.targets],
        "reported_by": list(indicator.reported_by),
    }


def list_indicators() -> list[dict]:
    """Every loaded indicator's latest definition (describe()), by key."""
    return [describe(definition_of(v), v.number) for v in _versions().values()]


def indicator_definition(key: str) -> IndicatorDef | None:
    version = _versions().get(key)
    return definition_of(version) if version else None


def _check_filters(indicator: IndicatorDef, period, geography, dimension, category, catalogue: Catalogue) -> None:
    if period:
        try:
            parse_period(period, indicator.frequency)
        except PeriodError:
            raise IndicatorQueryError(_("period '%(period)s' is not a %(frequency)s written like %(example)s",
                                        period=period, frequency=indicator.frequency,
                                        example=format_hint(indicator.frequency)), field="period") from None
    if geography and geography not in catalogue.geographies:
        raise IndicatorQueryError(_("unknown geography '%(name)s'", name=geography), field="geography")
    if category and not dimension:
        raise IndicatorQueryError(_("a category needs its dimension"), field="category")
    if dimension and dimension not in indicator.disaggregate:
        raise IndicatorQueryError(_("indicator '%(key)s' is not broken down by '%(dimension)s' (it is by: %(known)s)",
                                    key=indicator.key, dimension=dimension,
                                    known=", ".join(indicator.disaggregate) or "-"), field="dimension")
    if category and category not in catalogue.categories.get(dimension, set()):
        raise IndicatorQueryError(_("unknown category '%(category)s' of %(dimension)s",
                                    category=category, dimension=dimension), field="category")


def indicator_series(key: str, *, period: str | None = None, geography: str | None = None,
                     dimension: str | None = None, category: str | None = None,
                     catalogue: Catalogue | None = None) -> dict:
    """One indicator's values per period, forecast, baseline, targets and status.

    `dimension` alone breaks the values down by that dimension's categories
    (`"disaggregation"`); with `category` it keeps only that category's people (a filter).
    `period` keeps one period in `periods` and the breakdown; the forecast and status always use
    the whole history. Raises IndicatorQueryError (404 unknown key, 400 bad filter)."""
    catalogue = catalogue or Catalogue.current()
    found = catalogue.indicators.get(key)
    if found is None:
        raise IndicatorQueryError(_("unknown indicator '%(key)s'", key=key), status=404)
    indicator_id, indicator, version = found
    _check_filters(indicator, period, geography, dimension, category, catalogue)
    breakdown = dimension if dimension and not category else None
    filter_by = (dimension, category) if category else None
    categories = sorted(catalogue.categories.get(breakdown, ())) if breakdown else []
    if indicator.reported:
        totals, by_category, weighting = _reported(indicator_id, geography, filter_by, breakdown)
    else:
        computed = survey_values(indicator, Query(geography=geography, filter_by=filter_by, breakdown=breakdown,
                                                  categories=categories, k=DEFAULT_K), catalogue.stamps, catalogue.shared)
        totals, by_category, weighting = computed.totals, computed.breakdown, computed.weighting
    result = describe(indicator, version)
    rows = [{"period": p, **_public(e)} for p, e in sorted(totals.items())]
    result.update(_trend(indicator, rows))
    result["filters"] = {"period": period, "geography": geography, "dimension": dimension, "category": category}
    result["periods"] = [r for r in rows if not period or r["period"] == period]
    result["weighting"] = weighting
    result["k"] = DEFAULT_K
    result["disaggregation"] = None
    if breakdown:
        result["disaggregation"] = {"dimension": breakdown, "categories": [
            {"category": c, "periods": [{"period": p, **_public(by_category[p][c])}
                                        for p in sorted(by_category) if c in by_category[p]
                                        and (not period or p == period)]}
            for c in (categories if not indicator.reported else sorted({c for p in by_category.values() for c in p}))]}
    return result


def _public(estimate: dict) -> dict:
    """The keys an API period carries (the estimate's method is said once, at the top)."""
    row = {name: estimate.get(name) for name in ("value", "ci", "n", "suppressed", "range")}
    row["weighted"] = estimate.get("weighted", False)
    row["effective_n"] = estimate.get("effective_n")
    if "provenance" in estimate:
        row["provenance"] = estimate["provenance"]
        row["partner_reported"] = estimate["partner_reported"]
    return row


def _reported(indicator_id: int, geography, filter_by, breakdown):
    def estimate(v) -> dict:
        return {"value": v.value, "ci": None, "n": None, "suppressed": None, "range": None, "weighted": False,
                "partner_reported": v.partner_reported,
                "provenance": {"source": v.source, "partner": v.partner_id, "via": v.via,
                               "numerator": v.numerator, "denominator": v.denominator,
                               "updated_at": v.updated_at.isoformat(timespec="seconds") if v.updated_at else None}}
    if filter_by:
        totals = {v.period: estimate(v) for v in reported_rows(indicator_id, geography, filter_by[0])
                  if v.category == filter_by[1]}
    else:
        totals = {v.period: estimate(v) for v in reported_rows(indicator_id, geography, None)}
    by_category: dict = {}
    if breakdown:
        for v in reported_rows(indicator_id, geography, breakdown):
            by_category.setdefault(v.period, {})[v.category] = estimate(v)
    return totals, by_category, None


#: What a unit's values can be: a share lies in 0..1 and a count is never negative, so a straight
#: line's forecast and its band are kept inside (the fit itself is not changed).
UNIT_BOUNDS = {"percent": (0.0, 1.0), "count": (0.0, None)}


def bounded(point: dict, unit: str) -> dict:
    """{"value", "lo", "hi"} of a forecast point, each kept within what `unit` allows."""
    low, high = UNIT_BOUNDS.get(unit, (None, None))

    def keep(x):
        if x is None:
            return None
        x = max(x, low) if low is not None else x
        return min(x, high) if high is not None else x
    return {"value": keep(point["value"]), "lo": keep(point["lo"]), "hi": keep(point["hi"])}


def _trend(indicator: IndicatorDef, rows: list[dict]) -> dict:
    """forecast, trend, status and the rule, from the periods that have a value."""
    frequency = indicator.frequency
    known = [(parse_period(r["period"], frequency), r["value"]) for r in rows if r["value"] is not None]
    targets = [(parse_period(t.period, frequency), t.value) for t in indicator.targets]
    baseline = (parse_period(indicator.baseline.period, frequency), indicator.baseline.value) \
        if indicator.baseline else None
    horizon: list[int] = []
    if known:
        last = known[-1][0]
        end = max([last + FORECAST_PERIODS[frequency]] + [t[0] for t in targets])
        horizon = list(range(last + 1, min(end, last + MAX_FORECAST) + 1))
    from analysis.trend import indicator_status, linear_forecast  # scipy: only when a trend is drawn
    fit = linear_forecast([x for x, _v in known], [v for _x, v in known], horizon)
    status = indicator_status(known[-1] if known else None, baseline, targets, indicator.polarity)
    target = status["target"]
    return {
        "forecast": [{"period": period_label(p["x"], frequency), **bounded(p, indicator.unit)} for p in fit["points"]],
        "trend": {"slope": fit["slope"], "residual_se": fit["residual_se"],
                  "n": fit["n"], "method": fit["method"], "method_text": forecast_method_text(fit["method"])},
        "latest": ({"period": period_label(known[-1][0], frequency), "value": known[-1][1]} if known else None),
        "status": status["status"],
        "status_detail": {
            "rule": status["rule"], "rule_text": status_rule_text(),
            "target": {"period": period_label(target[0], frequency), "value": target[1]} if target else None,
            "expected": status["expected"],
        },
    }


def status_rule_text() -> str:
    """The status rule in words, shown wherever a status is."""
    return _("On track when the latest value is at least as good as the straight line from the baseline (or the "
             "last target passed) to the next target, read at the latest period; off track otherwise; no data "
             "when there is no value yet or no target.")


def forecast_method_text(method: dict) -> str:
    return _("\"Do nothing\" forecast: a straight line fitted by least squares to every period with a value, "
             "extended; the band is its %(level)d%% prediction interval. It needs at least %(n)d values.",
             level=round(method["params"]["confidence"] * 100), n=method["params"]["min_points"])


def scorecard(*, geography: str | None = None, dimension: str | None = None, category: str | None = None) -> dict:
    """Every indicator grouped by result: `{"filters", "results": [{"result", "title",
    "indicators": [indicator_series(...) without "disaggregation"]}]}`. A dimension filter
    applies to the indicators broken down by that dimension; the others are listed unfiltered
    and say so (`"filtered": false`)."""
    catalogue = Catalogue.current()
    if geography and geography not in catalogue.geographies:
        raise IndicatorQueryError(_("unknown geography '%(name)s'", name=geography), field="geography")
    if category and category not in catalogue.categories.get(dimension or "", set()):
        raise IndicatorQueryError(_("unknown category '%(category)s' of %(dimension)s",
                                    category=category, dimension=dimension or "-"), field="category")
    results: dict[str, dict] = {}
    for key, (_id, indicator, _version) in sorted(catalogue.indicators.items()):
        applies = bool(category) and dimension in indicator.disaggregate
        series = indicator_series(key, geography=geography, dimension=dimension if applies else None,
                                  category=category if applies else None, catalogue=catalogue)
        series.pop("disaggregation", None)
        series["filtered"] = applies or not category
        group = results.setdefault(indicator.result, {"result": indicator.result, "title": series["result_title"],
                                                      "indicators": []})
        group["indicators"].append(series)
    return {"filters": {"geography": geography, "dimension": dimension, "category": category},
            "status_rule_text": status_rule_text(), "results": list(results.values())}
