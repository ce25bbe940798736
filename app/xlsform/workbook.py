"""XLSForm rows (app/xlsform/rows.py) → an .xlsx workbook, as Kobo and ODK Central take it."""
from __future__ import annotations

import io

from openpyxl import Workbook

SHEETS = ("survey", "choices", "settings")


def workbook_bytes(rows: dict[str, list[dict]]) -> bytes:
    """The `survey`, `choices` and `settings` sheets, each headed by the union of its rows' keys in
    first-seen order (a missing key is an empty cell); a sheet with no rows is left out."""
    book = Workbook()
    book.remove(book.active)
    for name in SHEETS:
        header = list(dict.fromkeys(key for row in rows.get(name, []) for key in row))
        if not header and name != "survey":
            continue  # no choices: no sheet, as a hand-made form would have it
        sheet = book.create_sheet(name)
        sheet.append(header)
        for row in rows[name]:
            sheet.append([row.get(key) for key in header])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
