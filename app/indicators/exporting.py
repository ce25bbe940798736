"""The scorecard as tables for CSV and XLSX (app.reporting.exporting: formula injection neutralised)."""
from __future__ import annotations

from flask_babel import gettext as _

from app.reporting.exporting import Table

SCORECARD_COLUMNS = ("result", "indicator", "title", "unit", "polarity", "frequency", "latest_period",
                     "latest_value", "baseline_period", "baseline_value", "target_period", "target_value",
                     "status", "filtered")
VALUE_COLUMNS = ("indicator", "period", "value", "ci_low", "ci_high", "n", "suppressed", "weighted",
                 "effective_n", "partner_reported", "source")
FORECAST_COLUMNS = ("indicator", "period", "value", "low", "high")


def scorecard_tables(card: dict) -> list[Table]:
    """Three tables: one row per indicator, every period's value, and the forecasts."""
    summary, values, forecasts = [], [], []
    for group in card["results"]:
        for item in group["indicators"]:
            latest, baseline = item["latest"] or {}, item["baseline"] or {}
            target = item["status_detail"]["target"] or {}
            summary.append([group["result"], item["key"], item["title"], item["unit"], item["polarity"],
                            item["frequency"], latest.get("period"), latest.get("value"), baseline.get("period"),
                            baseline.get("value"), target.get("period"), target.get("value"), item["status"],
                            item["filtered"]])
            for row in item["periods"]:
                ci = row["ci"] or [None, None]
                provenance = row.get("provenance") or {}
                values.append([item["key"], row["period"], row["value"], ci[0], ci[1], row["n"], row["suppressed"],
                               row["weighted"], row["effective_n"], row.get("partner_reported", False),
                               provenance.get("source")])
            forecasts.extend([item["key"], p["period"], p["value"], p["lo"], p["hi"]] for p in item["forecast"])
    return [
        Table(_("Scorecard"), list(SCORECARD_COLUMNS), summary, note=card["status_rule_text"]),
        Table(_("Values"), list(VALUE_COLUMNS), values,
              note=_("Suppressed values (fewer than %(k)d people) are left blank.", k=5)),
        Table(_("Forecasts"), list(FORECAST_COLUMNS), forecasts),
    ]
