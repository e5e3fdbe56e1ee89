"""Shared export writers (formula-safe cells) and absolute links from SITE_URL."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from convene.core.exports import csv_bytes, safe_cell, xlsx_bytes
from convene.core.links import absolute_url

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
           "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_looks_like_a_formula_stays_text(text):
    assert safe_cell(text) == "'" + text


def test_ordinary_values_are_kept_as_they_are():
    assert safe_cell("Nguyen Van A") == "Nguyen Van A"
    assert safe_cell("فييت نام") == "فييت نام"
    assert safe_cell(-3) == -3 and safe_cell(2.5) == 2.5
    assert safe_cell(date(2025, 10, 25)) == date(2025, 10, 25)
    assert safe_cell(None) == ""


def test_csv_export_escapes_every_hostile_cell_and_keeps_unicode():
    data = csv_bytes(["name", "city"], [[h, "Hà Nội"] for h in HOSTILE])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["name", "city"]
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE]
    assert {r[1] for r in rows[1:]} == {"Hà Nội"}


def test_xlsx_export_stores_hostile_cells_as_text_not_formulas():
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(["name", "n"], [[h, 1] for h in HOSTILE])))
    sheet = book.active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    # (XLSX stores a carriage return as a line feed.)
    assert [c.value for c in cells] == ["'" + h.replace("\r", "\n") for h in HOSTILE]
    assert sheet.cell(row=2, column=2).value == 1


def test_absolute_links_come_from_site_url_not_the_request(settings):
    settings.SITE_URL = "https://convene.example.org"
    assert absolute_url("/accounts/login/") == "https://convene.example.org/accounts/login/"
    assert absolute_url("core:home") == "https://convene.example.org/"
