"""Reported indicator values: checked all or nothing, stored with their provenance.

The same checker serves the CSV import (`flask import indicator-values FILE.csv`) and the API
(`POST /api/v1/indicators/values`): columns or fields
`indicator,period,geography,dimension,category,value[,numerator,denominator,source]`. A row is
refused for an unknown or survey-based indicator, a period not written for the indicator's
frequency, an unknown geography, a dimension the indicator is not broken down by, an unknown
category, a value that is not a number, or the same cell twice. Loading a cell again replaces
its value. A partner may report only the indicators that name its organisation in `reported_by`.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from analysis.periods import PeriodError, format_hint, parse_period
from app.core.extensions import db
from app.indicators.loader import definition_of, latest_indicator_versions
from app.indicators.model import IndicatorDef
from app.models import Indicator, IndicatorValue, PopulationBaseline
from app.reporting.population import known_categories
from app.reporting.sample import geographies
from app.reporting.scope import GEOGRAPHY_DIMENSION, configured_mapping
from app.stakeholders.operations import Applied
from app.stakeholders.validation import RowError, echo

#: Columns of `import indicator-values`: (required, optional).
VALUE_COLUMNS = (("indicator", "period", "geography", "dimension", "category", "value"),
                 ("numerator", "denominator", "source"))
VALUE_FIELDS = VALUE_COLUMNS[0] + VALUE_COLUMNS[1]
SOURCE_LENGTH = 300


@dataclass(frozen=True)
class Catalogue:
    """What reported values may name: the indicators and the known geographies and categories."""

    #: {key: (indicator id, latest definition, its version number)}
    indicators: dict[str, tuple[int, IndicatorDef, int]]
    geographies: set[str]
    categories: dict[str, set[str]]
    #: Data stamps read for this catalogue's request (app.indicators.memo), {survey slug: stamp}.
    stamps: dict = field(default_factory=dict, compare=False)
    #: Answer rows read in this request, shared by the indicators reading one question.
    shared: dict = field(default_factory=dict, compare=False)

    @classmethod
    def current(cls) -> Catalogue:
        indicators = {definition_of(v).key: (v.indicator_id, definition_of(v), v.number)
                      for v in latest_indicator_versions()}
        categories = known_categories()
        for dimension, category in db.session.execute(
                sa.select(PopulationBaseline.dimension, PopulationBaseline.category).distinct()):
            categories.setdefault(dimension, set()).add(category)
        return cls(indicators, known_geographies(categories), categories)


def known_geographies(categories: dict[str, set[str]] | None = None) -> set[str]:
    """Geographies a value or a filter may name: those with population figures, those configured
    in GEOGRAPHY_NEIGHBOURHOODS, and every neighbourhood."""
    categories = known_categories() if categories is None else categories
    return set(geographies()) | set(configured_mapping()) | set(categories.get(GEOGRAPHY_DIMENSION, ()))


def foreign_indicators(records: list[tuple[int, dict]], user, catalogue: Catalogue) -> list[str]:
    """The indicators in `records` a partner `user` may not report (empty for other roles)."""
    if user is None or user.role != "partner":
        return []
    refused = set()
    for _row, raw in records:
        key = str(raw.get("indicator") or "").strip()
        found = catalogue.indicators.get(key)
        if found is not None and (not user.stakeholder_id or user.stakeholder_id not in found[1].reported_by):
            refused.add(key)
    return sorted(refused)


def _text(raw: dict, name: str) -> str:
    value = raw.get(name)
    return "" if value is None else str(value).strip()


def _number(raw: dict, name: str, row: int, errors: list[RowError], *, required: bool) -> float | None:
    value = raw.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.append(RowError(row, name, _("%(field)s is required", field=name)))
        return None
    if isinstance(value, bool):
        number = math.nan
    else:
        try:
            number = float(value.strip().replace(",", ".") if isinstance(value, str) else value)
        except (TypeError, ValueError, OverflowError):
            number = math.nan
    if not math.isfinite(number):
        errors.append(RowError(row, name, _("%(field)s '%(value)s' is not a number", field=name, value=echo(value))))
        return None
    return number


def check_value_records(records, catalogue: Catalogue) -> tuple[list[dict], list[RowError]]:
    """Check numbered records without changing anything: (clean records, errors)."""
    clean, errors, seen = [], [], {}
    for row, raw in records:
        before = len(errors)
        key = _text(raw, "indicator")
        found = catalogue.indicators.get(key)
        indicator = found[1] if found else None
        if indicator is None:
            errors.append(RowError(row, "indicator", _("unknown indicator '%(key)s'", key=echo(key))))
        elif not indicator.reported:
            errors.append(RowError(row, "indicator", _(
                "indicator '%(key)s' is computed from a survey; only reported indicators take values", key=key)))
        period = _text(raw, "period")
        if indicator is not None:
            try:
                parse_period(period, indicator.frequency)
            except PeriodError:
                errors.append(RowError(row, "period", _(
                    "period '%(period)s' is not a %(frequency)s written like %(example)s", period=echo(period),
                    frequency=indicator.frequency, example=format_hint(indicator.frequency))))
        geography = _text(raw, "geography")
        if geography and geography not in catalogue.geographies:
            errors.append(RowError(row, "geography", _(
                "unknown geography '%(name)s' (known: %(known)s)", name=echo(geography),
                known=", ".join(sorted(catalogue.geographies)) or "-")))
        dimension, category = _text(raw, "dimension"), _text(raw, "category")
        if bool(dimension) != bool(category):
            errors.append(RowError(row, "category" if dimension else "dimension", _(
                "give both dimension and category, or neither for the total")))
        elif dimension and indicator is not None and dimension not in indicator.disaggregate:
            errors.append(RowError(row, "dimension", _(
                "indicator '%(key)s' is not broken down by '%(dimension)s' (it is by: %(known)s)", key=key,
                dimension=echo(dimension), known=", ".join(indicator.disaggregate) or "-")))
        elif dimension and category not in catalogue.categories.get(dimension, set()):
            errors.append(RowError(row, "category", _(
                "unknown category '%(category)s' of %(dimension)s", category=echo(category), dimension=echo(dimension))))
        value = _number(raw, "value", row, errors, required=True)
        numerator = _number(raw, "numerator", row, errors, required=False)
        denominator = _number(raw, "denominator", row, errors, required=False)
        if denominator is not None and denominator <= 0:
            errors.append(RowError(row, "denominator", _("denominator must be above 0")))
        source = _text(raw, "source")
        if len(source) > SOURCE_LENGTH or any(unicodedata.category(c) == "Cc" for c in source):
            errors.append(RowError(row, "source", _(
                "source must be one line of at most %(n)d characters", n=SOURCE_LENGTH)))
        cell = (key, period, geography, dimension, category)
        if len(errors) == before and cell in seen:
            errors.append(RowError(row, None, _("the same value as row %(row)d (indicator, period, geography, "
                                                "dimension and category)", row=seen[cell])))
        if len(errors) == before:
            seen[cell] = row
            clean.append({"indicator_id": found[0], "period": period, "geography": geography,
                          "dimension": dimension, "category": category, "value": value,
                          "numerator": numerator, "denominator": denominator, "source": source})
    return clean, errors


def store_values(clean: list[dict], *, via: str, user=None) -> Applied:
    """Insert new cells, replace existing ones; mark partner-reported values. Only flushes."""
    applied = Applied()
    partner = user.stakeholder_id if user is not None and user.role == "partner" else None
    ids = {record["indicator_id"] for record in clean}
    existing = {(v.indicator_id, v.period, v.geography, v.dimension, v.category): v for v in db.session.scalars(
        sa.select(IndicatorValue).where(IndicatorValue.indicator_id.in_(ids)))} if ids else {}
    keys = dict(db.session.execute(sa.select(Indicator.id, Indicator.key).where(Indicator.id.in_(ids))).all()) if ids else {}
    for record in clean:
        cell = tuple(record[name] for name in ("indicator_id", "period", "geography", "dimension", "category"))
        value = existing.get(cell)
        if value is None:
            value = IndicatorValue(**{name: record[name] for name in
                                      ("indicator_id", "period", "geography", "dimension", "category")})
            db.session.add(value)
            existing[cell] = value
        value.value, value.numerator, value.denominator = record["value"], record["numerator"], record["denominator"]
        value.source, value.via, value.partner_id = record["source"], via, partner
        value.reported_by_id = getattr(user, "id", None)
        applied.add(f"{keys[cell[0]]}/{'/'.join(c for c in cell[1:] if c)}", created=value.id is None)
    db.session.flush()
    return applied


def reported_rows(indicator_id: int, geography: str | None, dimension: str | None) -> list[IndicatorValue]:
    """The values of one geography ("" the whole area): the totals, or one dimension's categories."""
    return list(db.session.scalars(
        sa.select(IndicatorValue).where(IndicatorValue.indicator_id == indicator_id,
                                        IndicatorValue.geography == (geography or ""),
                                        IndicatorValue.dimension == (dimension or ""))
        .order_by(IndicatorValue.period, IndicatorValue.category)))
