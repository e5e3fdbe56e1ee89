"""CSV and XLSX exports that a hostile cell cannot turn into a formula.

A name such as `=HYPERLINK(...)` or `+cmd|...` typed into a form would run as a formula when a
colleague opens the export in a spreadsheet (OWASP "CSV injection"). Every export goes through
these writers: a text cell that begins with = + - @ (or a tab or carriage return, which some
spreadsheets skip before looking) is prefixed with an apostrophe, which spreadsheets show as
text. Numbers, dates and booleans stay what they are.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """The value as a spreadsheet will read it: text that looks like a formula stays text."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | date | datetime):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_bytes(header: Sequence, rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a byte-order mark, so that spreadsheets read non-Latin names right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def xlsx_bytes(header: Sequence, rows: Iterable[Sequence], title: str = "Sheet1") -> bytes:
    import openpyxl  # only where an XLSX is made

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([safe_cell(h) for h in header])
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value):
    value = safe_cell(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # XLSX has no time zones: local time, as shown
    return value


def download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    return download(csv_bytes(header, rows), filename, "text/csv; charset=utf-8")


def xlsx_download(filename: str, header: Sequence, rows: Iterable[Sequence],
                  title: str = "Sheet1") -> HttpResponse:
    return download(xlsx_bytes(header, rows, title), filename, XLSX_TYPE)


def unescape_cell(text: str) -> str:
    """The inverse of safe_cell for text: an import reads "'=SUM(A1)" back as "=SUM(A1)", so that
    a table exported and imported again holds what it held (spreadsheets hide the apostrophe)."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
