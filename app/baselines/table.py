"""The population baselines of one geography and year as tables an admin can edit: one per
dimension, categories by their survey labels, totals that say whether the figures add up.

A dimension imported as shares is stored as counts out of SHARE_SCALE (app/baselines/importing.py)
and is edited as percentages that must add up to 100 %; a dimension of counts is compared with the
geography's total (the total most dimensions agree on). Saving checks every cell first and stores
all of them or none.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _

from app.baselines.importing import SHARE_SCALE, SHARE_TOLERANCE
from app.core.extensions import db
from app.models import PopulationBaseline, Survey
from app.reporting.labels import category_labels, dimension_name
from app.reporting.population import known_categories

#: A whole number as people write it: plain digits, or groups of three after a separator
#: ("26,400", "26 400", "26.400"), so "1.5" is never read as 15.
_COUNT = re.compile(r"\d+|\d{1,3}(?:([,.' \u00a0\u202f])\d{3})(?:\1\d{3})*", re.ASCII)
_SEPARATORS = ",.' \u00a0\u202f"
#: Percentages are shown with at most this many decimals (a share is stored to 1 in SHARE_SCALE).
PERCENT_FORMAT = "0.####"


def category_label_map() -> dict[str, dict[str, str]]:
    """{dimension: {category: label}} from the loaded surveys, in the admin's language."""
    return category_labels(list(db.session.scalars(sa.select(Survey))), str(get_locale()))


@dataclass
class Cell:
    category: str
    label: str
    row: PopulationBaseline | None
    text: str = ""            # what the input shows
    value: int | None = None  # the stored count (shares: out of SHARE_SCALE), once parsed
    error: str = ""


@dataclass
class Dimension:
    key: str
    name: str
    shares: bool
    cells: list[Cell]
    source: str = ""
    several_sources: bool = False
    error: str = ""

    @property
    def total(self) -> int:
        return sum(cell.value or 0 for cell in self.cells)

    @property
    def percent_total(self) -> str:
        return format_decimal(self.total / SHARE_SCALE * 100, format=PERCENT_FORMAT)

    @property
    def total_text(self) -> str:
        return self.percent_total if self.shares else format_decimal(self.total)

    def verdict(self, geography_total: int | None) -> tuple[str, str]:
        """(css class, sentence) saying whether the dimension adds up; ("", "") when it is empty."""
        if not self.total:
            return "", ""
        if self.shares:
            if abs(self.total - SHARE_SCALE) <= SHARE_TOLERANCE * SHARE_SCALE:
                return "cg-ok", _("The shares add up to 100 %.")
            return "cg-bad", _("The shares add up to %(total)s %%, not 100 %%.", total=self.percent_total)
        if geography_total is None or self.total == geography_total:
            return "cg-ok", _("Same as the geography's total.")
        difference, total = format_decimal(abs(self.total - geography_total)), format_decimal(geography_total)
        if self.total > geography_total:
            return "cg-warn", _("%(difference)s more than the geography's total of %(total)s.",
                                difference=difference, total=total)
        return "cg-warn", _("%(difference)s fewer than the geography's total of %(total)s.",
                            difference=difference, total=total)

    def share(self, cell: Cell) -> str:
        """The cell's share of the dimension's total, as a percentage for the table."""
        if cell.value is None or not self.total:
            return ""
        return format_decimal(cell.value / self.total * 100, format="0.0")


@dataclass
class Table:
    geography: str
    year: int
    dimensions: list[Dimension] = field(default_factory=list)

    @property
    def geography_total(self) -> int | None:
        """The total most dimensions of counts agree on (the largest when they tie)."""
        totals = Counter(d.total for d in self.dimensions if not d.shares and d.total)
        if not totals:
            return None
        return max(totals, key=lambda total: (totals[total], total))

    @property
    def has_errors(self) -> bool:
        return any(d.error or any(c.error for c in d.cells) for d in self.dimensions)


def places() -> list[tuple[str, int]]:
    """Every (geography, year) with figures, in order."""
    return list(db.session.execute(sa.select(PopulationBaseline.geography, PopulationBaseline.year).distinct()
                                   .order_by(PopulationBaseline.geography, PopulationBaseline.year)).all())


def _stored(geography: str, year: int) -> list[PopulationBaseline]:
    return list(db.session.scalars(sa.select(PopulationBaseline).where(
        PopulationBaseline.geography == geography, PopulationBaseline.year == year)
        .order_by(PopulationBaseline.dimension, PopulationBaseline.category)))


def state(geography: str, year: int) -> str:
    """A digest of the stored figures, so a save made on an out-of-date table is refused."""
    rows = [[r.dimension, r.category, r.population, r.source] for r in _stored(geography, year)]
    return hashlib.sha256(json.dumps(rows).encode()).hexdigest()


def build(geography: str, year: int) -> Table:
    """The stored figures as tables: the surveys' dimensions and categories (in survey order),
    then any stored category the surveys no longer use."""
    stored: dict[str, dict[str, PopulationBaseline]] = {}
    for row in _stored(geography, year):
        stored.setdefault(row.dimension, {})[row.category] = row
    labels = category_label_map()
    known = known_categories()
    table = Table(geography, year)
    for dimension in sorted(set(known) | set(stored), key=lambda d: (d not in stored, d)):
        rows = stored.get(dimension, {})
        order = [c for c in labels.get(dimension, {}) if c in known.get(dimension, ())]
        order += sorted(set(known.get(dimension, ())) - set(order)) + sorted(set(rows) - set(order) - set(known.get(dimension, ())))
        total = sum(r.population for r in rows.values())
        shares = bool(rows) and abs(total - SHARE_SCALE) <= SHARE_TOLERANCE * SHARE_SCALE
        cells = [Cell(c, labels.get(dimension, {}).get(c, c), rows.get(c)) for c in order]
        for cell in cells:
            if cell.row is not None:
                cell.value = cell.row.population
                cell.text = format_decimal(cell.value / SHARE_SCALE * 100, format=PERCENT_FORMAT) if shares \
                    else str(cell.value)
        sources = sorted({r.source for r in rows.values()})
        table.dimensions.append(Dimension(dimension, dimension_name(dimension), shares, cells,
                                          source=sources[0] if len(sources) == 1 else "",
                                          several_sources=len(sources) > 1))
    return table


def cell_name(dimension: str, category: str) -> str:
    return f"c-{dimension}-{category}"


def _parse(cell: Cell, text: str, shares: bool) -> None:
    cell.text, cell.value, cell.error = text, None, ""
    if not text:
        if cell.row is not None:
            cell.error = _("Enter a number (0 when there is nobody): a figure cannot be removed here.")
        return
    if shares:
        try:
            percent = float(parse_decimal(text, locale=get_locale()))
        except (NumberFormatError, ValueError):
            percent = -1.0
        if not 0 <= percent <= 100:
            cell.error = _("Enter a percentage from 0 to 100.")
            return
        cell.value = round(percent / 100 * SHARE_SCALE)
        return
    if not _COUNT.fullmatch(text):
        cell.error = _("Enter a whole number of people, 0 or more.")
        return
    cell.value = int(text.translate({ord(c): None for c in _SEPARATORS}))


def read_form(table: Table, form) -> None:
    """Put the posted cells into `table` and check them; errors go on cells and dimensions."""
    for dimension in table.dimensions:
        for cell in dimension.cells:
            _parse(cell, " ".join(form.get(cell_name(dimension.key, cell.category), "").split()), dimension.shares)
        dimension.source = " ".join(form.get(f"src-{dimension.key}", "").split())[:300]
        filled = [c for c in dimension.cells if c.value is not None]
        if not filled or any(c.error for c in dimension.cells):
            continue
        if dimension.shares and abs(dimension.total - SHARE_SCALE) > SHARE_TOLERANCE * SHARE_SCALE:
            dimension.error = _("The shares add up to %(total)s %%, not 100 %%.", total=dimension.percent_total)
        elif not dimension.total:
            dimension.error = _("Every figure is 0: a dimension needs some population.")


def save(table: Table) -> list[dict]:
    """Store the checked table (flush only); returns the figures that changed, for the audit log."""
    changed = []
    for dimension in table.dimensions:
        for cell in dimension.cells:
            if cell.value is None:
                continue
            row = cell.row
            source = dimension.source if dimension.source or not dimension.several_sources else None
            if row is None:
                db.session.add(PopulationBaseline(geography=table.geography, dimension=dimension.key,
                                                  category=cell.category, year=table.year,
                                                  population=cell.value, source=source or ""))
                changed.append({"dimension": dimension.key, "category": cell.category, "before": None,
                                "after": cell.value})
                continue
            if row.population != cell.value:
                changed.append({"dimension": dimension.key, "category": cell.category, "before": row.population,
                                "after": cell.value})
                row.population = cell.value
            if source is not None and row.source != source:
                row.source = source
                if not any(c.get("source") == source and c["dimension"] == dimension.key for c in changed):
                    changed.append({"dimension": dimension.key, "source": source})
    db.session.flush()
    return changed
