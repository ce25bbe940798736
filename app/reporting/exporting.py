"""Report tables as CSV or XLSX downloads: a sheet per table, formula injection neutralised."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from app.reporting.export import spreadsheet_safe

#: Excel's limit on sheet-name length.
SHEET_NAME_MAX = 31


@dataclass
class Table:
    """One table of a report: a title, column names, rows, and the note saying how it was made."""

    name: str
    columns: list[str]
    rows: list[list]
    note: str = ""
    meta: dict = field(default_factory=dict)


def _cell(value):
    if isinstance(value, (list, tuple)):
        value = ";".join("" if v is None else str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return spreadsheet_safe(value)


def tables_to_csv(tables: list[Table]) -> str:
    """All tables in one CSV: each starts with its name row and ends with its note, then a blank line."""
    out = io.StringIO()
    writer = csv.writer(out)
    for table in tables:
        writer.writerow([_cell(table.name)])
        writer.writerow([_cell(c) for c in table.columns])
        for row in table.rows:
            writer.writerow(["" if v is None else _cell(v) for v in row])
        if table.note:
            writer.writerow([_cell(table.note)])
        writer.writerow([])
    return out.getvalue()


def tables_to_xlsx(tables: list[Table]) -> bytes:
    from openpyxl import Workbook  # loaded for an XLSX download, not at start-up
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    for table in tables:
        title = "".join(ch for ch in table.name if ch not in "[]:*?/\\")[:SHEET_NAME_MAX] or "Sheet"
        base, n = title, 2
        while title in used:
            suffix = f" ({n})"
            title, n = base[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
        used.add(title)
        sheet = workbook.create_sheet(title)
        sheet.append([_cell(c) for c in table.columns])
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
        if table.note:
            sheet.append([])
            sheet.append([_cell(table.note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(tables: list[Table], fmt: str, basename: str):
    """A Flask response with the tables as `fmt` (csv or xlsx)."""
    from flask import Response
    if fmt == "xlsx":
        return Response(tables_to_xlsx(tables), headers={
            "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Content-Disposition": f'attachment; filename="{basename}.xlsx"'})
    return Response(tables_to_csv(tables), headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{basename}.csv"'})
