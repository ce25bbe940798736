"""The bytes of a CSV file as text, or why they are not CSV text: one place for every import.

Spreadsheets save many things that are not CSV text: a workbook (.xlsx, .ods, old .xls), a
PDF, a file in a legacy encoding. Each gets a message saying what to do, in the reader's
language, instead of a decoding error or a table of garbage.
"""
from __future__ import annotations

from flask_babel import gettext as _

#: How files that are not text begin (magic numbers), with what they are.
_NOT_TEXT = (
    (b"PK\x03\x04", "workbook"),           # .xlsx and .ods are zip archives
    (b"\xd0\xcf\x11\xe0", "workbook"),     # .xls, the old Excel format
    (b"%PDF", "pdf"),
)
#: How far into the file we look for NUL bytes, and what share of them makes it binary. UTF-16
#: text (Excel's "Unicode text") is half NULs; a stray NUL in a cell of a CSV file is a cell's
#: problem, reported on its row.
_SNIFF_BYTES = 8192
_BINARY_NUL_SHARE = 0.1


class NotCsvText(ValueError):
    """The file is not UTF-8 CSV text; `line` is where decoding failed, when it did."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message, self.line = message, line


def csv_text(data: bytes) -> str:
    """Decode `data` as UTF-8 (a BOM is fine: Excel's "CSV UTF-8" writes one).

    Raises :class:`NotCsvText` with a translated message for a workbook, a PDF, any other binary
    file, or text in another encoding (with the line of the first byte that is not UTF-8).
    """
    for magic, what in _NOT_TEXT:
        if data.startswith(magic):
            if what == "workbook":
                raise NotCsvText(_("this is a spreadsheet workbook, not a CSV file: in your spreadsheet "
                                   "choose Save as, then \"CSV UTF-8\", and upload that file"))
            raise NotCsvText(_("this is a PDF, not a CSV file: export the table from your spreadsheet "
                               "as \"CSV UTF-8\" and use that file"))
    head = data[:_SNIFF_BYTES]
    if head.count(b"\x00") > _BINARY_NUL_SHARE * len(head):
        raise NotCsvText(_("this is not a text file: save the table as \"CSV UTF-8\" and try again"))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise NotCsvText(_("the file is not UTF-8 text (line %(line)d): save it as \"CSV UTF-8\" and try again",
                           line=line), line) from None
