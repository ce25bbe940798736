"""The three CSV imports an admin runs in the browser, each read, checked and applied by the same
code as `flask import stakeholders|relationships|baseline`, and previewed in the admin's words.

A kind turns an upload's bytes into checked records (or every problem, by row), says what the
records would change (:class:`Line` s for the preview table), and applies them (flush only).
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.baselines.importing import SHARE_SCALE, SHARE_TOLERANCE, BaselineError, decode, read_long, read_wide
from app.baselines.preview import baseline_changes
from app.core.extensions import db
from app.models import Stakeholder
from app.reporting.labels import dimension_name
from app.reporting.population import known_categories, store_rows
from app.stakeholders.importing import RELATIONSHIPS, STAKEHOLDERS, check_records, read_csv
from app.stakeholders.labels import SECTOR_LABELS, TYPE_LABELS
from app.stakeholders.operations import add_relationships, upsert_stakeholders
from app.stakeholders.preview import CREATED, UNCHANGED, UPDATED, Change, relationship_changes, stakeholder_changes

#: Field names as the preview shows them.
FIELD_LABELS = {"name": _l("Name"), "sector": _l("Sector"), "kind": _l("Kind"), "neighbourhood": _l("Neighbourhood"),
                "contact": _l("Contact details"), "weight": _l("Weight"), "population": _l("Population"),
                "source": _l("Source")}


@dataclass
class Checked:
    """An upload read and checked: the clean records, or the problems (then nothing may be applied)."""

    records: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Line:
    """One row of the preview: what it is, and what it would change ((label, before, after) each)."""

    status: str
    what: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)


class _Percent(int):
    """A figure stored out of SHARE_SCALE, shown as the percentage it was imported as."""


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return _("(blank)")
    if isinstance(value, _Percent):
        return format_decimal(value / SHARE_SCALE * 100, format="0.####") + " %"
    if name == "sector":
        return str(SECTOR_LABELS.get(value, value))
    if isinstance(value, float):
        return format_decimal(value)
    if name == "population":
        return format_decimal(value)
    return str(value)


def _changes(change) -> list[tuple[str, str, str]]:
    return [(str(FIELD_LABELS.get(name, name)), _shown(name, before), _shown(name, after))
            for name, (before, after) in change.fields.items()]


class StakeholderImport:
    noun = "stakeholders"
    title = _l("Import stakeholders")
    columns = "id,name,sector,kind,neighbourhood,contact"
    status_labels = {CREATED: _l("New"), UPDATED: _l("Updated"), UNCHANGED: _l("Unchanged")}
    kind = STAKEHOLDERS

    def check(self, data: bytes, options: dict) -> Checked:
        found = read_csv(data, self.kind.columns)
        clean, errors = check_records(self.kind, found)
        return Checked(clean if not errors else [], [str(e) for e in errors], found.notes)

    def changes(self, records: list[dict]) -> list[Change]:
        return stakeholder_changes(records)

    def lines(self, changes: list[Change]) -> list[Line]:
        return [Line(c.status, f"{c.record['name']} ({c.record['id']})", _changes(c) if c.status != CREATED else
                     [(str(FIELD_LABELS[name]), "", _shown(name, c.record[name]))
                      for name in ("sector", "kind", "neighbourhood") if c.record.get(name)])
                for c in changes]

    def apply(self, records: list[dict]) -> None:
        upsert_stakeholders(records)


class RelationshipImport(StakeholderImport):
    noun = "relationships"
    title = _l("Import ties between stakeholders")
    columns = "source,target,type,weight,date"
    status_labels = {CREATED: _l("Tie added"), UPDATED: _l("Weight updated"), UNCHANGED: _l("Unchanged")}
    kind = RELATIONSHIPS

    def changes(self, records: list[dict]) -> list[Change]:
        return relationship_changes(records)

    def lines(self, changes: list[Change]) -> list[Line]:
        ids = {c.record["source_id"] for c in changes} | {c.record["target_id"] for c in changes}
        names = dict(db.session.execute(sa.select(Stakeholder.id, Stakeholder.name).where(Stakeholder.id.in_(ids))).all())
        lines = []
        for c in changes:
            r = c.record
            # TRANSLATORS: a tie in an import's preview, e.g. "Food Bank → City Council: Refers people to, 2026-03-01".
            what = _("%(source)s → %(target)s: %(type)s", source=names.get(r["source_id"], r["source_id"]),
                     target=names.get(r["target_id"], r["target_id"]), type=TYPE_LABELS.get(r["type"], r["type"]))
            if r["date"]:
                what += f", {r['date'].isoformat()}"
            lines.append(Line(c.status, what, _changes(c)))
        return lines

    def apply(self, records: list[dict]) -> None:
        add_relationships(records, "import")


class BaselineImport:
    noun = "baseline"
    title = _l("Import population baselines")
    columns = "geography,dimension,category,population,year,source"
    status_labels = {CREATED: _l("New figure"), UPDATED: _l("Updated"), UNCHANGED: _l("Unchanged")}

    def check(self, data: bytes, options: dict) -> Checked:
        known = known_categories()
        try:
            text = decode(data)
            if options.get("mapping"):
                rows = read_wide(text, options["mapping"], known)
            else:
                rows = read_long(text, known, default_year=options.get("year") or 0,
                                 default_source=options.get("source") or "")
        except BaselineError as exc:
            return Checked(errors=exc.errors)
        return Checked(rows)

    def changes(self, records) -> list[Change]:
        return baseline_changes(records)

    def lines(self, changes: list[Change]) -> list[Line]:
        from app.baselines.table import category_label_map
        labels = category_label_map()
        totals = Counter()
        for c in changes:
            totals[(c.record["geography"], c.record["dimension"], c.record["year"])] += c.record["population"]
        lines = []
        for c in changes:
            r = c.record
            total = totals[(r["geography"], r["dimension"], r["year"])]
            if abs(total - SHARE_SCALE) <= SHARE_TOLERANCE * SHARE_SCALE:  # shares, as the table edits them
                r = {**r, "population": _Percent(r["population"])}
                fields = {**c.fields}
                if "population" in fields:
                    fields["population"] = tuple(map(_Percent, fields["population"]))
                c = Change(c.status, r, fields)
            # TRANSLATORS: one population figure, e.g. "city · Age: 18–24 (2024)".
            what = _("%(geography)s · %(dimension)s: %(category)s (%(year)s)", geography=r["geography"],
                     dimension=dimension_name(r["dimension"]), year=r["year"] or "–",
                     category=labels.get(r["dimension"], {}).get(r["category"], r["category"]))
            changes = _changes(c) if c.status == UPDATED else \
                [(str(FIELD_LABELS["population"]), "", _shown("population", r["population"]))]
            lines.append(Line(c.status, what, changes))
        return lines

    def apply(self, records) -> None:
        store_rows(records)


#: The imports, by the name in their address (/admin/imports/<name>).
KINDS = {"stakeholders": StakeholderImport(), "relationships": RelationshipImport(), "baseline": BaselineImport()}


def counts(changes: list[Change]) -> dict[str, int]:
    found = Counter(change.status for change in changes)
    return {status: found.get(status, 0) for status in (CREATED, UPDATED, UNCHANGED)}


def digest(changes: list[Change]) -> str:
    """What the preview showed, as data (not as words: the admin may switch language before applying)."""
    data = [[c.status, c.record, c.fields] for c in changes]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()
