"""The indicators' figures, from app.indicators.service, in the shape these pages use.

A card (one scorecard row): {"key", "title", "description", "result", "result_title", "unit",
"frequency", "reported" (partner-reported source), "latest": {"period", "value", "n", "ci",
"suppressed", "k"} or None, "baseline", "target" (the next one), "status", "status_rule",
"series": [(period, value)]}. An indicator's detail adds "periods", "forecast", "targets",
"method", "dimensions" [{"key", "label"}], "tab" and "disaggregation".
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _


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
    """{"geographies": [(key, label)], "groups": [(dimension, label, [(category, label)])]}."""
    return {"geographies": [], "groups": []}


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
    """{key: title in `lang`} of every loaded indicator."""
    return {}


def scorecard(filters: Filters, lang: str) -> list[dict]:
    """A card per indicator, for `filters`."""
    return []


def indicator(key: str, filters: Filters, lang: str, dimension: str | None = None) -> dict | None:
    """One indicator's detail, None when there is no such indicator."""
    return None


def group_by_result(cards: list[dict]) -> list[dict]:
    """[{"key", "title", "indicators": [cards]}] in the order results first appear."""
    results: dict[str, dict] = {}
    for card in cards:
        results.setdefault(card["result"], {"key": card["result"], "title": card["result_title"], "indicators": []})
        results[card["result"]]["indicators"].append(card)
    return list(results.values())
