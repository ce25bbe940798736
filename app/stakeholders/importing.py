"""Reading stakeholder and relationship records from a CSV file or a JSON body, and importing
them all or nothing.

Both readers give numbered records to the same checkers (app.stakeholders.validation), so a
CSV row and a JSON object are judged alike. CSV rows are numbered as a spreadsheet shows them:
the header is row 1. JSON objects are numbered by their index in the array, from 0.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.core.csvtext import NotCsvText, csv_text
from app.models import Stakeholder
from app.stakeholders.operations import Applied, add_relationships, upsert_stakeholders
from app.stakeholders.validation import (
    RELATIONSHIP_FIELDS, STAKEHOLDER_FIELDS, RowError, check_relationship_batch, check_stakeholder_batch, echo,
)

#: Columns of `import stakeholders`: (required, optional).
STAKEHOLDER_COLUMNS = (("id", "name", "sector", "kind", "neighbourhood"), ("contact",))
#: Columns of `import relationships`: (required, optional). Weight and date may be left blank.
RELATIONSHIP_COLUMNS = (("source", "target", "type", "weight", "date"), ())
#: Delimiters a spreadsheet may save "CSV" with: comma, or semicolon where comma is the decimal mark.
DELIMITERS = (",", ";", "\t")


@dataclass
class Records:
    """Numbered raw records, what could not be read (nothing is imported then), and notes."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _decode(data: bytes) -> tuple[str | None, RowError | None]:
    try:
        return csv_text(data), None
    except NotCsvText as exc:
        return None, RowError(None, None, exc.message)


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else ","


def _header(cells: list[str], required, optional, found: Records) -> dict[int, str]:
    """Column index → field name for the columns we use; missing, repeated and unknown columns
    go to `found.errors` and `found.notes`."""
    names = [cell.strip().lower() for cell in cells]
    used: dict[int, str] = {}
    for index, name in enumerate(names):
        if not name:
            found.notes.append(_("column %(number)d has no name and was ignored", number=index + 1))
        elif name in used.values():
            found.errors.append(RowError(None, name, _("column '%(name)s' appears more than once", name=echo(name))))
        elif name in required or name in optional:
            used[index] = name
        else:
            found.notes.append(_("column '%(name)s' is not used and was ignored", name=echo(name)))
    for name in required:
        if name not in used.values():
            found.errors.append(RowError(None, name, _("missing column: %(name)s", name=name)))
    return used


def read_csv(data: bytes, columns: tuple[tuple[str, ...], tuple[str, ...]]) -> Records:
    """Numbered records from the bytes of a CSV file whose header names `columns`.

    Blank lines are skipped (row numbers still count them); a row with more cells than the header
    is an error; a row with fewer has the rest blank.
    """
    found = Records()
    text, problem = _decode(data)
    if problem:
        found.errors.append(problem)
        return found
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    used: dict[int, str] | None = None
    width, line = 0, 0
    try:
        for cells in reader:
            row, line = line + 1, reader.line_num  # a quoted cell may span lines: number by its first
            if not any(cell.strip() for cell in cells):
                continue
            if used is None:
                used, width = _header(cells, *columns, found), len(cells)
                if found.errors:
                    return found
                continue
            if len(cells) > width and any(cell.strip() for cell in cells[width:]):
                found.errors.append(RowError(row, None, _(
                    "%(count)d values, but the header names %(width)d columns", count=len(cells), width=width)))
                continue
            found.rows.append((row, {name: cells[i] if i < len(cells) else "" for i, name in used.items()}))
    except csv.Error as exc:
        found.errors.append(RowError(line + 1, None, _("the file cannot be read as CSV here: %(error)s",
                                                       error=str(exc))))
    if used is None and not found.errors:
        found.errors.append(RowError(None, None, _(
            "the file is empty: its first line must name the columns %(columns)s",
            columns=", ".join(columns[0]))))
    return found


def read_json(body, fields: tuple[str, ...]) -> Records:
    """Numbered records from a parsed JSON body: one object, or an array of objects."""
    found = Records()
    if isinstance(body, dict):
        items = [body]
    elif isinstance(body, list) and body:
        items = body
    else:
        found.errors.append(RowError(None, None, _("send one object, or an array of at least one object")))
        return found
    ignored: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            found.errors.append(RowError(index, None, _("each item must be an object")))
            continue
        ignored.update(key for key in item if key not in fields)
        found.rows.append((index, {key: value for key, value in item.items() if key in fields}))
    found.notes.extend(_("field '%(name)s' is not used and was ignored", name=echo(name)) for name in sorted(ignored))
    return found


@dataclass
class ImportKind:
    """One kind of record we import: its columns and fields, and how it is checked and applied."""

    noun: str
    columns: tuple[tuple[str, ...], tuple[str, ...]]
    fields: tuple[str, ...]
    check: Callable[[Iterable[tuple[int, dict]]], tuple[list[dict], list[RowError]]]
    apply: Callable[[list[dict]], Applied]


def _check_relationships(records):
    return check_relationship_batch(records, Stakeholder.all_ids())


STAKEHOLDERS = ImportKind("stakeholders", STAKEHOLDER_COLUMNS, STAKEHOLDER_FIELDS,
                          check_stakeholder_batch, upsert_stakeholders)
RELATIONSHIPS = ImportKind("relationships", RELATIONSHIP_COLUMNS, RELATIONSHIP_FIELDS,
                           _check_relationships, lambda records: add_relationships(records, "import"))


def check_records(kind: ImportKind, found: Records,
                  progress: Callable[[list], Iterable] = iter) -> tuple[list[dict], list[RowError]]:
    """Check every record without changing anything: ``(clean records, [])`` or ``(…, errors)``.

    Errors from reading (`found.errors`) and from checking are all returned, in row order, so
    one run lists every problem. `progress` wraps the pass over the records (the command line's
    progress bar). The admin's preview and :func:`import_records` both start here.
    """
    clean, errors = kind.check(progress(found.rows))
    return clean, sorted(found.errors + errors, key=lambda e: -1 if e.row is None else e.row)


def import_records(kind: ImportKind, found: Records,
                   progress: Callable[[list], Iterable] = iter) -> tuple[Applied | None, list[RowError]]:
    """Check every record, then apply them all, or none when anything is wrong (the caller commits).

    Returns ``(applied, [])`` or ``(None, errors)``.
    """
    clean, errors = check_records(kind, found, progress)
    if errors:
        return None, errors
    return kind.apply(clean), []
