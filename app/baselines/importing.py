"""Read population baselines from CSV: long (`geography,dimension,category,population[,year,source]`)
or a wide census-style table plus a small mapping file. Every row is checked before anything is
stored; the result is a list of rows or a list of row-level errors, never half of each."""
from __future__ import annotations

import csv
import io
import math
from collections import defaultdict

import yaml
from flask_babel import gettext as _

from app.core.csvtext import NotCsvText, csv_text
from app.reporting.population import BaselineRow

LONG_COLUMNS = ("geography", "dimension", "category", "population")
#: Shares of one geography and dimension must sum to 1 within this (rounding in published tables).
SHARE_TOLERANCE = 0.01
#: Shares are stored as counts out of this many people, so they keep four decimal places.
SHARE_SCALE = 1_000_000


class BaselineError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def decode(data: bytes) -> str:
    """The file's text; a workbook, a PDF or another encoding is a BaselineError saying what to do."""
    try:
        return csv_text(data)
    except NotCsvText as exc:
        raise BaselineError([exc.message]) from None


def _row(number: int, problem: str) -> str:
    return _("row %(row)d: %(message)s", row=number, message=problem)


def _rows(first: int, last: int, problem: str) -> str:
    # TRANSLATORS: a problem that spans rows %(first)d to %(last)d of a file.
    return _("rows %(first)d–%(last)d: %(message)s", first=first, last=last, message=problem)


def _number(raw: str) -> float | None:
    try:
        value = float(raw.replace(",", "").strip())
    except (ValueError, AttributeError):
        return None
    return value if math.isfinite(value) else None


def _fieldnames(reader: csv.DictReader) -> list[str]:
    """The header's column names, or a BaselineError when the file cannot be read as CSV."""
    try:
        return list(reader.fieldnames or [])
    except csv.Error as exc:
        raise BaselineError([_("the file cannot be read as CSV here: %(error)s", error=str(exc))]) from None


def _numbered(reader: csv.DictReader, errors: list[str]):
    """(row number as a spreadsheet shows it, row) of each record; a CSV error ends the file with a message.

    A record is numbered by its first line, as the stakeholder import numbers them: line_num is its
    last, so the line breaks inside its quoted cells are taken off."""
    try:
        for row in reader:
            cells = [v for v in row.values() if isinstance(v, str)] + list(row.get(None) or ())
            yield reader.line_num - sum(cell.count("\n") for cell in cells), row
    except csv.Error as exc:
        errors.append(_row(reader.line_num + 1, _("the file cannot be read as CSV here: %(error)s", error=str(exc))))


def read_long(text: str, known: dict[str, set[str]], *, default_year: int = 0, default_source: str = ""):
    """Rows of a long baseline CSV, checked against the dimensions and categories surveys use."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in LONG_COLUMNS if c not in _fieldnames(reader)]
    if missing:
        raise BaselineError([_("missing column: %(name)s (expected %(columns)s[,year,source])",
                               name=", ".join(missing), columns=",".join(LONG_COLUMNS))])
    errors, raw = [], []
    for number, row in _numbered(reader, errors):
        extra = row.pop(None, None)  # cells beyond the header's columns
        row = {key: value or "" for key, value in row.items()}  # a short row has None for the rest
        if not any(v.strip() for v in row.values()) and not extra:
            continue
        if extra and any(cell.strip() for cell in extra):
            errors.append(_row(number, _("%(count)d values, but the header names %(width)d columns",
                                         count=len(row) + len(extra), width=len(row))))
            continue
        geography, dimension, category = (row[c].strip() for c in ("geography", "dimension", "category"))
        value = _number(row["population"])
        year_raw = (row.get("year") or "").strip()
        problems = []
        if not geography:
            problems.append(_("geography is empty"))
        if dimension not in known:
            problems.append(_("dimension '%(value)s' is not used by any survey (%(choices)s)",
                              value=dimension, choices=", ".join(sorted(known))))
        elif category not in known[dimension]:
            problems.append(_("category '%(value)s' is not a category of %(dimension)s (%(choices)s)",
                              value=category, dimension=dimension, choices=", ".join(sorted(known[dimension]))))
        if value is None:
            problems.append(_("population '%(value)s' is not a number", value=row["population"]))
        elif value < 0:
            problems.append(_("population %(value)s is negative", value=row["population"]))
        if year_raw and not year_raw.isdigit():
            problems.append(_("year '%(value)s' is not a year", value=year_raw))
        errors.extend(_row(number, p) for p in problems)
        if not problems:
            raw.append((number, geography, dimension, category, value, int(year_raw or default_year),
                        (row.get("source") or default_source).strip()))
    rows = _finish(raw, errors)
    if errors:
        raise BaselineError(errors)
    return rows


def _finish(raw: list[tuple], errors: list[str]) -> list[BaselineRow]:
    """Catch duplicates, and turn shares (every value of a geography and dimension ≤ 1) into counts."""
    seen, groups = {}, defaultdict(list)
    for item in raw:
        number, geography, dimension, category, value, year, source = item
        key = (geography, dimension, category, year)
        if key in seen:
            errors.append(_row(number, _("duplicate of row %(first)d (%(key)s)", first=seen[key],
                                         key=f"{geography}, {dimension}, {category}, {year}")))
            continue
        seen[key] = number
        groups[(geography, dimension, year)].append(item)
    rows = []
    for (geography, dimension, year), items in groups.items():
        values = [item[4] for item in items]
        as_shares = all(v <= 1 for v in values) and any(0 < v < 1 for v in values)
        first, last = items[0][0], items[-1][0]
        if as_shares and abs(sum(values) - 1) > SHARE_TOLERANCE:
            errors.append(_rows(first, last, _("shares for %(geography)s, %(dimension)s sum to %(sum)s, not 1",
                                               geography=geography, dimension=dimension, sum=f"{sum(values):.3f}")))
            continue
        if not as_shares and any(v != int(v) for v in values):
            errors.append(_rows(first, last, _("%(geography)s, %(dimension)s mixes counts and fractions",
                                               geography=geography, dimension=dimension)))
            continue
        if sum(values) == 0:
            errors.append(_rows(first, last, _("%(geography)s, %(dimension)s has no population at all",
                                               geography=geography, dimension=dimension)))
            continue
        scale = SHARE_SCALE if as_shares else 1
        rows.extend(BaselineRow(geography, dimension, item[3], round(item[4] * scale), year, item[6]) for item in items)
    return rows


def read_wide(text: str, mapping_text: str, known: dict[str, set[str]]) -> list[BaselineRow]:
    """A census-style table (one row per geography, one column per group) and a mapping YAML:

    ``{geography: <column>, year: 2021, source: "...", columns: {<column>: {dimension:, category:}}}``.
    Several columns may map to one category (e.g. ages 0–4, 5–9 … into under_18); they are summed.
    """
    try:
        mapping = yaml.safe_load(mapping_text) or {}
    except yaml.YAMLError as exc:
        raise BaselineError([_("mapping file is not valid YAML: %(error)s", error=str(exc))]) from None
    errors = []
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns"), dict) or "geography" not in mapping:
        raise BaselineError([_("mapping file needs 'geography: <column>' and "
                               "'columns: {<column>: {dimension, category}}'")])
    for column, target in mapping["columns"].items():
        if not isinstance(target, dict) or target.get("dimension") not in known or \
                target.get("category") not in known.get(target.get("dimension"), ()):
            errors.append(_("mapping: column '%(column)s' maps to an unknown dimension or category: %(target)s",
                            column=column, target=str(target)))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = _fieldnames(reader)
    for column in [mapping["geography"], *mapping["columns"]]:
        if column not in fields:
            errors.append(_("missing column: %(name)s", name=str(column)))
    if errors:
        raise BaselineError(errors)
    try:
        year = int(mapping.get("year") or 0)
    except (TypeError, ValueError):
        raise BaselineError([_("year '%(value)s' is not a year", value=str(mapping.get("year")))]) from None
    raw, source = [], str(mapping.get("source") or "")
    for number, row in _numbered(reader, errors):
        row.pop(None, None)  # cells beyond the header's columns are not mapped
        geography = (row[mapping["geography"]] or "").strip()
        if not geography:
            continue
        totals: dict[tuple[str, str], float] = defaultdict(float)
        for column, target in mapping["columns"].items():
            value = _number(row[column])
            if value is None or value < 0:
                errors.append(_row(number, _("column %(column)s: '%(value)s' is not a count",
                                             column=column, value=row[column] or "")))
                continue
            totals[(target["dimension"], target["category"])] += value
        raw.extend((number, geography, d, c, v, year, source) for (d, c), v in totals.items())
    rows = _finish(raw, errors)
    if errors:
        raise BaselineError(errors)
    return rows
