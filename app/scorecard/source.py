"""The indicators' figures, from app.indicators.service, in the shape these pages use.

A card (one scorecard row): {"key", "title", "description", "result", "result_title", "unit",
"frequency", "reported" (partner-reported source), "latest": {"period", "value", "n", "ci",
"suppressed", "k"} or None, "baseline", "target" (the next one), "status", "status_rule",
"series": [(period, value)]}. An indicator's detail adds "periods", "forecast", "targets",
"method", "dimensions" [{"key", "label"}], "tab" and "disaggregation".
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from app.core.extensions import db
from app.models import Stakeholder, Survey
from app.reporting.labels import category_labels, dimension_name, geography_name


@dataclass
class Filters:
    """The scorecard's filters: a geography, and one dimension's category ("language:somali")."""
    geography: str | None = None
    dimension: str | None = None
    category: str | None = None
    label: str = ""

    @property
    def group(self) -> str | None:
        return f"{self.dimension}:{self.category}" if self.dimension else None

    def args(self) -> dict:
        """The query parameters that reproduce these filters in a link."""
        return {k: v for k, v in (("geography", self.geography), ("group", self.group)) if v}


def filter_options() -> dict:
    """{"geographies": [(key, label)], "groups": [(dimension, label, [(category, label)])]}: the
    geographies with figures, and the categories of every dimension some indicator is broken down by."""
    from app.indicators.reported import Catalogue
    catalogue = Catalogue.current()
    labels = _category_labels()
    geographies = sorted((g, geography_name(g, labels)) for g in catalogue.geographies)
    dimensions = sorted({d for entry in catalogue.indicators.values() for d in entry[1].disaggregate})  # (id, definition, …)
    groups = []
    for dimension in dimensions:
        names = labels.get(dimension, {})
        categories = sorted(catalogue.categories.get(dimension, ()), key=lambda c: names.get(c, c).lower())
        groups.append((dimension, dimension_name(dimension), [(c, names.get(c, c)) for c in categories]))
    return {"geographies": sorted(geographies, key=lambda g: g[1].lower()), "groups": groups}


def _category_labels() -> dict[str, dict[str, str]]:
    return category_labels(list(db.session.scalars(sa.select(Survey))), str(get_locale()))


def parse_filters(args, options: dict) -> tuple[Filters, dict]:
    """(filters, {name: message}) from the query string; unknown values are errors."""
    errors: dict = {}
    filters = Filters()
    labels = []
    geography = args.get("geography") or None
    if geography:
        names = dict(options["geographies"])
        if geography in names:
            filters.geography = geography
            labels.append(names[geography])
        else:
            errors["geography"] = _("There is no geography called %(geography)s.", geography=geography[:64])
    group = args.get("group") or None
    if group:
        dimension, _sep, category = group.partition(":")
        found = {(d, c): (dl, cl) for d, dl, cats in options["groups"] for c, cl in cats}
        if (dimension, category) in found:
            filters.dimension, filters.category = dimension, category
            labels.append(_("%(dimension)s: %(category)s", dimension=found[(dimension, category)][0],
                            category=found[(dimension, category)][1]))
        else:
            errors["group"] = _("There is no group %(group)s: choose one from the list.", group=group[:80])
    filters.label = ", ".join(labels)
    return filters, errors


def indicator_titles(lang: str | None = None) -> dict[str, str]:
    """{key: title in the request's language} of every loaded indicator."""
    from app.indicators.service import list_indicators
    return {i["key"]: i["title"] for i in sorted(list_indicators(), key=lambda i: i["key"])}


def _latest(rows: list[dict], k: int) -> dict | None:
    """The newest period with a value, or a suppressed one (said as "fewer than k")."""
    for row in reversed(rows):
        if row.get("value") is not None or row.get("suppressed"):
            hidden = bool(row.get("suppressed")) and row.get("value") is None
            # A hidden figure's n would say how few people there are: it goes too.
            return {**row, "suppressed": hidden, "n": None if hidden else row.get("n"), "k": k}
    return None


def _next_target(series: dict, latest: dict | None) -> dict | None:
    """The target the status is judged against; without a status, the first target after the
    latest figure (else the last target), so the scorecard always shows where the partners aim."""
    if series["status_detail"]["target"]:
        return series["status_detail"]["target"]
    targets = sorted(series["targets"], key=lambda t: t["period"])
    ahead = [t for t in targets if not latest or t["period"] > latest["period"]]
    if ahead:
        return ahead[0]
    return targets[-1] if targets else None


def _card(series: dict) -> dict:
    """A scorecard row from the service's series of one indicator."""
    rows = series["periods"]
    latest = _latest(rows, series["k"])
    return {
        "key": series["key"], "title": series["title"], "description": series.get("description") or "",
        "result": series["result"], "result_title": series.get("result_title") or series["result"],
        "unit": series["unit"], "frequency": series["frequency"], "polarity": series["polarity"],
        "reported": series["source"]["kind"] == "reported", "latest": latest,
        "baseline": series["baseline"], "target": _next_target(series, latest),
        "status": series["status"], "status_rule": series["status_detail"]["rule_text"],
        "filtered": series.get("filtered", True), "k": series["k"],
        "series": [(r["period"], r.get("value")) for r in rows],
    }


def scorecard(filters: Filters, lang: str) -> list[dict]:
    """A card per indicator, for `filters`; an indicator not broken down by the filter's dimension
    is shown for everyone and says so ("filtered": False)."""
    from app.indicators.service import scorecard as service_scorecard
    found = service_scorecard(geography=filters.geography, dimension=filters.dimension, category=filters.category)
    return [_card(series) for result in found["results"] for series in result["indicators"]]


def status_rule() -> str:
    from app.indicators.service import status_rule_text
    return status_rule_text()


def indicator(key: str, filters: Filters, lang: str, dimension: str | None = None) -> dict | None:
    """One indicator's detail for `filters`, with the breakdown by `dimension` (default: the first
    it is broken down by) for its latest period; None when there is no such indicator."""
    from app.indicators.service import indicator_definition, indicator_series
    definition = indicator_definition(key)
    if definition is None:
        return None
    applies = filters.dimension in definition.disaggregate
    series = indicator_series(key, geography=filters.geography, dimension=filters.dimension if applies else None,
                              category=filters.category if applies else None)
    detail = _card(series)
    detail["filtered"] = applies or not filters.dimension
    labels = _category_labels()
    detail["dimensions"] = [{"key": d, "label": dimension_name(d)} for d in definition.disaggregate]
    detail["tab"] = dimension if dimension in definition.disaggregate else (definition.disaggregate or [None])[0]
    detail.update(periods=[{**r, "provenance": _provenance(r)} for r in series["periods"]],
                  forecast=series["forecast"], targets=series["targets"], method=series["trend"]["method_text"],
                  weighting=series.get("weighting"), disaggregation=None)
    latest = detail["latest"]
    if detail["tab"] and latest:
        broken = indicator_series(key, geography=filters.geography, dimension=detail["tab"], period=latest["period"])
        names = labels.get(detail["tab"], {})
        order = {category: i for i, category in enumerate(names)}  # the survey's own order of choices
        rows = []
        for c in broken["disaggregation"]["categories"]:
            cell = c["periods"][0] if c["periods"] else {"value": None, "n": 0, "ci": None}
            rows.append({"category": c["category"], "label": names.get(c["category"], c["category"]), **cell})
        rows.sort(key=lambda r: (order.get(r["category"], len(order)), r["label"]))
        detail["disaggregation"] = {"dimension": detail["tab"], "label": dimension_name(detail["tab"]),
                                    "period": latest["period"], "k": broken["k"], "rows": rows}
    return detail


def _provenance(row: dict) -> str:
    """Where a reported value came from, in words; "" for a survey-based one."""
    found = row.get("provenance")
    if not found:
        return ""
    if row.get("partner_reported"):
        return _("reported by %(partner)s", partner=_partner_name(found.get("partner")))
    return found.get("source") or _("reported")


def _partner_name(stakeholder_id: str | None) -> str:
    found = db.session.get(Stakeholder, stakeholder_id) if stakeholder_id else None
    return found.name if found else (stakeholder_id or "?")


def group_by_result(cards: list[dict]) -> list[dict]:
    """[{"key", "title", "indicators": [cards]}] in the order results first appear."""
    results: dict[str, dict] = {}
    for card in cards:
        results.setdefault(card["result"], {"key": card["result"], "title": card["result_title"], "indicators": []})
        results[card["result"]]["indicators"].append(card)
    return list(results.values())
