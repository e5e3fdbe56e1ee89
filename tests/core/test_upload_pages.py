"""Every page that takes a file refuses a hostile one in words the person can act on, and keeps
nothing of it: badge photos, notes verbales, full powers, evidence, nomination and status
imports (the checks themselves: tests/core/test_uploads.py)."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from convene.accounts.models import Role
from convene.accreditation import services as accreditation
from convene.accreditation.models import Accreditation
from convene.audit.models import AuditEvent
from convene.core import uploads
from convene.delegations.models import Member
from convene.operations import services as operations
from convene.operations.models import ChecklistItem, Evidence
from convene.protocol import services as protocol
from convene.protocol.demo import demo_full_powers_pdf
from convene.protocol.models import FullPowers
from convene.treaty import services as treaty_services
from convene.treaty.models import Signature
from tests.conftest import make_user
from tests.files import (
    HTML,
    SVG,
    image_bytes,
    pdf_bytes,
    png_bomb,
    xlsx_billion_laughs,
    xlsx_bytes,
    xlsx_zip_bomb,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode().replace("\xa0", " ")


def test_a_decompression_bomb_as_a_badge_photo(event, viet_nam, focal_vnm):
    accreditation.ensure_defaults(event)
    person = Member.objects.create(delegation=viet_nam, family_name="Tran")
    page = logged_in(focal_vnm).post(f"/accreditation/people/{person.pk}/photo/upload/", {
        "photo": SimpleUploadedFile("me.png", png_bomb(), "image/png")}, follow=True)
    assert "The image has too many pixels" in text(page)
    assert not Accreditation.objects.filter(member=person).exclude(photo="").exists()


def test_an_svg_as_a_note_verbale(focal_vnm, viet_nam):
    page = logged_in(focal_vnm).post(f"/delegations/{viet_nam.pk}/note-verbale/", {
        "document": SimpleUploadedFile("note.pdf", SVG, "application/pdf")})
    assert "SVG drawings are not accepted, because they can carry scripts" in text(page)
    viet_nam.refresh_from_db()
    assert not viet_nam.note_verbale


def test_a_web_page_renamed_as_full_powers(event, focal_vnm, viet_nam):
    minister = Member.objects.create(delegation=viet_nam, family_name="Tran", rank="minister")
    signatory = protocol.book_signature(focal_vnm, event, viet_nam, minister)
    client = logged_in(focal_vnm)
    url = f"/protocol/signing/{signatory.pk}/full-powers/"
    page = client.post(url, {"document": SimpleUploadedFile("full-powers.pdf", HTML)})
    assert "This file is a web page (HTML); upload a PDF, or a scan" in text(page)
    assert not FullPowers.objects.exists()
    javascript = pdf_bytes(javascript="this.exportDataObject({cName: 'x', nLaunch: 2})")
    page = client.post(url, {"document": SimpleUploadedFile("full-powers.pdf", javascript)})
    assert "The PDF contains JavaScript" in text(page)
    letter = pdf_bytes(2)
    assert client.post(url, {"document": SimpleUploadedFile(
        "Full powers VNM.pdf", letter)}).status_code == 302
    assert FullPowers.objects.get().document.name.endswith("/Full_powers_VNM.pdf")
    # The audit trail can prove later which file it was.
    event = AuditEvent.objects.get(action="protocol.full_powers_uploaded")
    assert event.after["file"] == {"kind": "pdf", "bytes": len(letter), "pages": 2,
                                   "sha256": hashlib.sha256(letter).hexdigest()}


def test_a_zip_bomb_as_readiness_evidence(event, organiser):
    lead = make_user("lead.protocol", Role.TASK_FORCE_LEAD)
    protocol_tf = operations.save_task_force(organiser, event, {
        "name": "Protocol", "area": "protocol", "lead": lead})
    item = ChecklistItem.objects.create(task_force=protocol_tf, title="Venue contract",
                                        deadline=timezone.now() + timedelta(days=3),
                                        effort_days=1, created_at=timezone.now())
    page = logged_in(lead).post(f"/operations/items/{item.pk}/evidence/", {
        "kind": "file", "file": SimpleUploadedFile("contract.xlsx", xlsx_zip_bomb())})
    assert "it may be a “zip bomb”" in text(page)
    assert not Evidence.objects.exists()


def test_a_huge_sheet_and_an_entity_bomb_as_nominations(focal_vnm, viet_nam):
    client = logged_in(focal_vnm)
    url = f"/delegations/{viet_nam.pk}/members/import/"
    rows = [["family_name"]] + [[f"Nguyen {i}"] for i in range(10_001)]
    page = client.post(url, {"file": SimpleUploadedFile("list.xlsx", xlsx_bytes(rows))})
    assert "The file has more than 10000 rows." in text(page)
    page = client.post(url, {"file": SimpleUploadedFile("list.xlsx", xlsx_billion_laughs())})
    assert "document type declaration" in text(page)
    assert not viet_nam.members.exists()


def test_an_oversized_sheet_and_a_bomb_as_the_status_table(settings, db):
    treaty_services.load_treaty()
    depositary = make_user("treaty.officer", Role.DEPOSITARY)
    client = logged_in(depositary)
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "sheet_max_bytes": 64 * 1024}
    big = b"code,signature\n" + b"VNM,2025-10-25\n" * 10_000
    page = client.post("/treaty/depositary/import/", {"file": SimpleUploadedFile("s.csv", big)})
    assert "larger than the 64.0 KB accepted" in text(page)
    page = client.post("/treaty/depositary/import/", {
        "file": SimpleUploadedFile("status.xlsx", xlsx_zip_bomb())})
    assert "zip bomb" in text(page)
    assert not Signature.objects.exists()


def test_the_demo_full_powers_are_a_real_pdf():
    assert uploads.check_letter(demo_full_powers_pdf()).pages == 1
    assert uploads.check_image(image_bytes()).kind == "jpeg"
