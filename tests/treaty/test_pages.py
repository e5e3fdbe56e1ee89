"""What people see: the public status table, exports, the structure, notifications, and the
depositary's pages (errors next to the field, rows swapped in place, fixed query counts)."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from convene.treaty import services
from convene.treaty.models import DepositaryNotification, Instrument, Signature, Statement
from tests.treaty.conftest import HANOI, as_user


def record_some(treaty, depositary, states):
    for code in ("VNM", "FRA"):
        services.record_signature(depositary, states[code], signed_on=date(2025, 10, 25),
                                  place=HANOI, signatory_name="H.E. Someone",
                                  capacity="head_of_state")
    services.deposit_instrument(depositary, states["FRA"], kind="approval",
                                deposited_on=date(2026, 9, 30))
    services.deposit_instrument(depositary, states["QAT"], kind="accession",
                                deposited_on=date(2026, 2, 10))
    return services.make_statement(depositary, states["FRA"], kind="languages-40",
                                   made_at="deposit", made_on=date(2026, 9, 30),
                                   text="French and English.")


def test_the_public_status_page_needs_no_login(treaty, depositary, states):
    record_some(treaty, depositary, states)
    page = Client().get("/treaty/")
    assert page.status_code == 200
    html = page.content.decode()
    rows = {code: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
            for code, row in re.findall(r'<tr data-code="(\w+)">(.*?)</tr>', html, re.S)}
    assert set(rows) == {"FRA", "QAT", "VNM"}
    assert "25 Oct 2025" in rows["VNM"] and "30 Sep 2026 AA" in rows["FRA"]
    assert "10 Feb 2026 a" in rows["QAT"]
    assert "Languages acceptable for requests" in rows["FRA"]
    assert re.search(r'data-figure="signatories"><div class="figure">2<', html)
    assert re.search(r'data-figure="parties"><div class="figure">2<', html)
    assert re.search(r'data-figure="still-needed"><div class="figure">38<', html)
    assert "entry into force not yet determined" in html
    assert "Demonstration data" not in html
    # The timeline is an SVG drawn on the server: no script, no inline style.
    assert '<svg class="timeline-chart"' in html and 'class="series-instruments" d="M' in html
    assert "style=" not in html and "<style" not in html
    assert re.search(r"<script(?![^>]*\bsrc=)", html) is None


def test_the_status_page_marks_demo_data(treaty, depositary, states):
    statement = record_some(treaty, depositary, states)
    Statement.objects.filter(pk=statement.pk).update(is_demo=True)
    assert "This status table was loaded for a demonstration" in Client().get(
        "/treaty/").content.decode()


def test_exports(treaty, depositary, states):
    record_some(treaty, depositary, states)
    response = Client().get("/treaty/status.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["code"] for r in rows] == ["FRA", "QAT", "VNM"]
    assert rows[0]["kind"] == "approval" and rows[0]["instrument"] == "2026-09-30"
    assert rows[0]["declarations"] == "languages-40 (2026-09-30)"
    data = json.loads(Client().get("/treaty/status.json").content)
    assert data["entry_into_force"]["instruments_still_needed"] == 38
    assert data["participants"][1]["instrument"] == {"kind": "accession", "mark": "a",
                                                     "date": "2026-02-10"}
    assert Client().get("/api/treaty/status").json() == data


def _grow(treaty, event, start, stop):
    from tests.conftest import make_delegation

    for i in range(start, stop):
        d = make_delegation(event, f"Z{i:02}", f"State Z{i:02}")
        e = d.entity
        Signature.objects.create(treaty=treaty, entity=e, signed_on=date(2025, 10, 25),
                                 place=HANOI, full_powers_required=False)
        Instrument.objects.create(treaty=treaty, entity=e, kind="ratification",
                                  deposited_on=date(2026, 5, 1))
        Statement.objects.create(treaty=treaty, entity=e, kind="contact-point-41",
                                 made_at="later", made_on=date(2026, 6, 1), text="desk")
        DepositaryNotification.objects.create(treaty=treaty, year=2030, number=i + 1,
                                              issued_on=date(2026, 6, 1), action="statement",
                                              entity=e, subject="S", body="B")


@pytest.mark.parametrize("url", ["/treaty/", "/treaty/notifications/", "/treaty/depositary/",
                                 "/treaty/depositary/ceremony/", "/treaty/status.json"])
def test_list_pages_use_a_fixed_number_of_queries(url, treaty, depositary, event):
    client = as_user(depositary)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _grow(treaty, event, 0, 3)
    few = count()
    _grow(treaty, event, 3, 30)
    assert count() == few


def test_the_convention_page_shows_its_structure(treaty):
    html = Client().get("/treaty/convention/").content.decode()
    assert len(re.findall(r'data-article="\d+"', html)) == 68
    assert "9 chapters, 68 articles" in html
    assert "Chapter IX. Final provisions" in html
    assert "ninetieth day after the date of deposit of the fortieth instrument" in html


def test_notifications_are_listed_and_printable(treaty, depositary, states):
    record_some(treaty, depositary, states)
    html = Client().get("/treaty/notifications/").content.decode()
    references = re.findall(r'data-reference="([^"]+)"', html)
    assert len(references) == DepositaryNotification.objects.count() == 6  # 5 + C.N.196.2025
    assert references[-1] == "C.N.196.2025.TREATIES-XVIII.16"
    cn = DepositaryNotification.objects.get(action="instrument", entity=states["QAT"])
    page = Client().get(f"/treaty/notifications/{cn.pk}/").content.decode()
    assert cn.reference in page and "QATAR: ACCESSION" in page
    assert "UNITED NATIONS CONVENTION AGAINST CYBERCRIME" in page
    assert "data-print" in page and "treaty/treaty.js" in page


def test_the_signature_form_shows_the_rule_next_to_the_field(treaty, depositary, states):
    client = as_user(depositary)
    response = client.post("/treaty/depositary/signatures/new/", {
        "entity": states["VNM"].pk, "signed_on": "2025-10-27", "place": HANOI,
        "signatory_name": "Mr. Envoy", "signatory_capacity": "head_of_state"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["place"] and "United Nations Headquarters" in errors["place"][0]
    assert not Signature.objects.exists()
    response = client.post("/treaty/depositary/signatures/new/", {
        "entity": states["VNM"].pk, "signed_on": "2025-10-26", "place": HANOI,
        "signatory_name": "Mr. Envoy", "signatory_capacity": "other"})
    assert list(response.context["form"].errors) == ["full_powers_checked"]


def test_ceremony_signature_swaps_its_row_in_place(treaty, depositary, event, viet_nam,
                                                   member):
    member.is_head = True
    member.save()
    client = as_user(depositary)
    page = client.get("/treaty/depositary/ceremony/").content.decode()
    assert 'value="Van A Nguyen"' in page and f'id="ceremony-{viet_nam.pk}"' in page
    url = f"/treaty/depositary/ceremony/{viet_nam.pk}/sign/"
    data = {"signed_on": "2025-10-25", "signatory_name": "Van A Nguyen",
            "signatory_capacity": "other", "signatory_function": "Minister of Public Security"}
    refused = client.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert 'role="alert"' in refused and "full powers" in refused
    assert refused.lstrip().startswith(f'<tr id="ceremony-{viet_nam.pk}"')
    signed = client.post(url, {**data, "full_powers_checked": "on"},
                         HTTP_HX_REQUEST="true").content.decode()
    assert "Signed on 25 October 2025" in signed
    signature = Signature.objects.get()
    assert (signature.source, signature.full_powers_checked) == ("ceremony", True)


def test_withdrawing_from_the_depositary_page(treaty, depositary, states):
    statement = record_some(treaty, depositary, states)
    client = as_user(depositary)
    url = f"/treaty/depositary/statements/{statement.pk}/withdraw/"
    row = client.post(url, {"withdrawn_on": "2026-09-01"}, HTTP_HX_REQUEST="true")
    assert "cannot be withdrawn before" in row.content.decode()
    row = client.post(url, {"withdrawn_on": "2026-10-01"}, HTTP_HX_REQUEST="true")
    assert "withdrawn on 1 Oct 2026" in row.content.decode()
    assert Statement.objects.get().withdrawn_on == date(2026, 10, 1)


def test_import_page_lists_faulty_rows(treaty, depositary, states):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"code,signature\nVNM,2025-10-25\nQAT,2024-10-27\n"  # QAT: not yet open
    response = as_user(depositary).post("/treaty/depositary/import/", {
        "file": SimpleUploadedFile("status.csv", content, "text/csv")})
    html = response.content.decode()
    assert "The file was not imported: 1 problem." in html
    assert "Nothing has been changed." in html and not Signature.objects.exists()


def test_public_pages_before_any_treaty_is_set_up(db):
    assert "No treaty has been set up yet." in Client().get("/treaty/").content.decode()
    for url in ("/treaty/convention/", "/treaty/notifications/", "/treaty/status.csv"):
        assert Client().get(url).status_code == 404


def test_the_status_page_once_the_date_is_determined(treaty, event):
    _grow(treaty, event, 0, 40)  # forty instruments, all deposited on 1 May 2026
    html = Client().get("/treaty/").content.decode()
    assert re.search(r'data-figure="entry-into-force">\s*<div class="figure figure-date">'
                     r"30 Jul 2026<", html)
    assert re.search(r'data-figure="still-needed"><div class="figure">0<', html)
    assert 'class="eif-line"' in html
    row = re.search(r'<tr data-code="Z07">(.*?)</tr>', html, re.S).group(1)
    assert row.count("30 Jul 2026") == 1  # the party's own date
