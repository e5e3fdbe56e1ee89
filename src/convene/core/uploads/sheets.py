"""Spreadsheets people import (nominations, the treaty status table): the first sheet of a CSV or
XLSX file as rows of text, decided by content and bounded in size, rows and columns.

What the importers then check row by row is theirs (delegations.nomination_import,
treaty.status_import); this module makes sure that what they receive is small and plain text.
A cell our exports escaped against formulas ("'=…", convene.core.exports) reads back as written.
"""

import csv
import io
from datetime import date, datetime, time

from django.utils.translation import gettext as _

from convene.core.exports import unescape_cell
from convene.core.uploads.base import UploadRefused, check_size, limit, wrong_kind
from convene.core.uploads.kinds import sniff
from convene.core.uploads.zips import inspect_archive

_DELIMITERS = ",;\t"


def accepted_sheets() -> str:
    return _("a CSV file (UTF-8) or an Excel workbook (.xlsx)")


def read_sheet(data: bytes, *, max_bytes: int | None = None) -> list[list[str]]:
    """Rows of cells as text, blank rows kept (line numbers are the spreadsheet's), trailing
    blank rows dropped. UploadRefused says what is wrong with the file as a whole."""
    check_size(data, limit("sheet_max_bytes") if max_bytes is None else max_bytes)
    table = _Table(limit("sheet_max_rows"), limit("sheet_max_columns"))
    kind = sniff(data)
    if kind == "zip":
        archive = inspect_archive(data)
        if archive.kind != "xlsx":
            raise wrong_kind(archive.kind, accepted_sheets(), drawing=False)
        _read_xlsx(data, table)
    elif kind == "text":
        _read_csv(data, table)
    else:
        raise wrong_kind(kind, accepted_sheets(), drawing=False)
    return table.rows


class _Table:
    """Rows as they come, refused past the bounds; blank rows past the last row are not kept."""

    def __init__(self, max_rows: int, max_columns: int):
        self.max_rows, self.max_columns = max_rows, max_columns
        self.rows: list[list[str]] = []
        self.blank_tail = 0  # blank rows read since the last row with something in it

    @property
    def next_line(self) -> int:
        return len(self.rows) + self.blank_tail + 1

    def add_blank(self) -> None:
        self.blank_tail += 1

    def add(self, cells: list[str]) -> None:
        if not any(c.strip() for c in cells):
            self.add_blank()
            return
        line = self.next_line
        if line > self.max_rows:
            raise UploadRefused(_("The file has more than %(max)d rows.")
                                % {"max": self.max_rows})
        if any(c.strip() for c in cells[self.max_columns:]):
            raise UploadRefused(_("Line %(line)d has more than %(max)d columns.")
                                % {"line": line, "max": self.max_columns})
        self.rows.extend([] for _ in range(self.blank_tail))
        self.blank_tail = 0
        cells = cells[:self.max_columns]
        while cells and not cells[-1].strip():
            cells.pop()
        self.rows.append([unescape_cell(c) for c in cells])


def _read_csv(data: bytes, table: _Table) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused(_("The CSV file must be saved as UTF-8.")) from None
    # The header names the columns, so the separator is the one it uses most: more reliable than
    # csv.Sniffer, which guesses from the data rows and can be slow on odd input.
    header = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=header.count) if any(
        d in header for d in _DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            table.add(row)
    except csv.Error:  # a cell past csv's field limit (128 KB), a stray quotation mark
        raise UploadRefused(_("Line %(line)d cannot be read: a cell is too long, or a quotation "
                              "mark is not closed.") % {"line": table.next_line}) from None


def _read_xlsx(data: bytes, table: _Table) -> None:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                      keep_links=False)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise UploadRefused(_("The Excel file cannot be read.")) from None
    try:
        # max_col bounds every row, however wide the sheet says it is. openpyxl yields a gap
        # of empty rows as one shared tuple: recognised by identity, a cell a million rows
        # down costs a million cheap steps, not a million rows of cells.
        gap = None
        for row in book.worksheets[0].iter_rows(values_only=True,
                                                max_col=table.max_columns + 1):
            if row is gap or all(v is None for v in row):
                gap = row
                table.add_blank()
            else:
                table.add([cell_text(v) for v in row])
    except UploadRefused:
        raise
    except Exception:
        raise UploadRefused(_("The Excel file cannot be read.")) from None
    finally:
        book.close()


def cell_text(value) -> str:
    """A cell as the person sees it: a date as 2025-10-25, a whole number without ".0"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
