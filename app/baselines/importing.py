"""Read population baselines from CSV: long (`geography,dimension,category,population[,year,source]`)
or a wide census-style table plus a small mapping file. Every row is checked before anything is
stored; the result is a list of rows or a list of row-level errors, never half of each."""
from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from dataclasses import dataclass

import yaml

LONG_COLUMNS = ("geography", "dimension", "category", "population")
#: Shares of one geography and dimension must sum to 1 within this (rounding in published tables).
SHARE_TOLERANCE = 0.01
#: Shares are stored as counts out of this many people, so they keep four decimal places.
SHARE_SCALE = 1_000_000


@dataclass(frozen=True)
class BaselineRow:
    geography: str
    dimension: str
    category: str
    population: int
    year: int
    source: str


class BaselineError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BaselineError(["the file is not UTF-8 text (save it as CSV UTF-8)"]) from None


def _number(raw: str) -> float | None:
    try:
        value = float(raw.replace(",", "").strip())
    except (ValueError, AttributeError):
        return None
    return value if math.isfinite(value) else None


def read_long(text: str, known: dict[str, set[str]], *, default_year: int = 0, default_source: str = ""):
    """Rows of a long baseline CSV, checked against the dimensions and categories surveys use."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in LONG_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise BaselineError([f"missing column: {', '.join(missing)} (expected {','.join(LONG_COLUMNS)}[,year,source])"])
    errors, raw = [], []
    for number, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values()):
            continue
        geography, dimension, category = (row[c].strip() for c in ("geography", "dimension", "category"))
        value = _number(row["population"])
        year_raw = (row.get("year") or "").strip()
        problems = []
        if not geography:
            problems.append("geography is empty")
        if dimension not in known:
            problems.append(f"dimension '{dimension}' is not used by any survey ({', '.join(sorted(known))})")
        elif category not in known[dimension]:
            problems.append(f"category '{category}' is not a category of {dimension} "
                            f"({', '.join(sorted(known[dimension]))})")
        if value is None:
            problems.append(f"population '{row['population']}' is not a number")
        elif value < 0:
            problems.append(f"population {row['population']} is negative")
        if year_raw and not year_raw.isdigit():
            problems.append(f"year '{year_raw}' is not a year")
        errors.extend(f"row {number}: {p}" for p in problems)
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
            errors.append(f"row {number}: duplicate of row {seen[key]} ({geography}, {dimension}, {category}, {year})")
            continue
        seen[key] = number
        groups[(geography, dimension, year)].append(item)
    rows = []
    for (geography, dimension, year), items in groups.items():
        values = [item[4] for item in items]
        as_shares = all(v <= 1 for v in values) and any(0 < v < 1 for v in values)
        if as_shares and abs(sum(values) - 1) > SHARE_TOLERANCE:
            errors.append(f"rows {items[0][0]}–{items[-1][0]}: shares for {geography}, {dimension} sum to "
                          f"{sum(values):.3f}, not 1")
            continue
        if not as_shares and any(v != int(v) for v in values):
            errors.append(f"rows {items[0][0]}–{items[-1][0]}: {geography}, {dimension} mixes counts and fractions")
            continue
        if sum(values) == 0:
            errors.append(f"rows {items[0][0]}–{items[-1][0]}: {geography}, {dimension} has no population at all")
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
        raise BaselineError([f"mapping file is not valid YAML: {exc}"]) from None
    errors = []
    if not isinstance(mapping, dict) or not isinstance(mapping.get("columns"), dict) or "geography" not in mapping:
        raise BaselineError(["mapping file needs 'geography: <column>' and 'columns: {<column>: {dimension, category}}'"])
    for column, target in mapping["columns"].items():
        if not isinstance(target, dict) or target.get("dimension") not in known or \
                target.get("category") not in known.get(target.get("dimension"), ()):
            errors.append(f"mapping: column '{column}' maps to an unknown dimension or category: {target}")
    reader = csv.DictReader(io.StringIO(text))
    fields = reader.fieldnames or []
    for column in [mapping["geography"], *mapping["columns"]]:
        if column not in fields:
            errors.append(f"missing column: {column}")
    if errors:
        raise BaselineError(errors)
    raw, year, source = [], int(mapping.get("year") or 0), str(mapping.get("source") or "")
    for number, row in enumerate(reader, start=2):
        geography = (row[mapping["geography"]] or "").strip()
        if not geography:
            continue
        totals: dict[tuple[str, str], float] = defaultdict(float)
        for column, target in mapping["columns"].items():
            value = _number(row[column])
            if value is None or value < 0:
                errors.append(f"row {number}: column {column}: '{row[column]}' is not a count")
                continue
            totals[(target["dimension"], target["category"])] += value
        raw.extend((number, geography, d, c, v, year, source) for (d, c), v in totals.items())
    rows = _finish(raw, errors)
    if errors:
        raise BaselineError(errors)
    return rows
