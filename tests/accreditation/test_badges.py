"""Badge PDFs: names in every UN script rendered with the right fonts, shaped, right-to-left
where they should be; batches rendered by background tasks with a progress bar."""

import re
import zlib

import pytest
from django.test import Client
from weasyprint.text.ffi import ffi, pango

from convene.accreditation import badges, credential, services, workflow
from convene.accreditation.models import Badge, BadgeBatch
from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.delegations.models import Member
from tests.accreditation.helpers import photo_bytes

NAMES = {  # name as printed -> the font family that must draw it
    "محمد صلاح": "Noto Sans Arabic",         # Arabic: shaped, right to left
    "王明": "Noto Sans CJK SC",                # Chinese (family name first)
    "Иван Петров": "Noto Sans",                # Cyrillic
    "Hélène Dubois-Lefèvre": "Noto Sans",      # accented Latin
    "Nguyễn Thị Hương": "Noto Sans",           # stacked diacritics (Vietnamese)
    "José Peña": "Noto Sans",                  # Spanish
}
PANGO_DIRECTION_RTL = 1


def _badge(name, i=0):
    return badges.BadgeData(
        badge_id=f"B{i:07d}", title="H.E.", name=name, delegation="Viet Nam",
        category="Delegate", category_number=3, colour="#C0392B", zone_codes=["P", "B", "D"],
        token="AQ" * 68, event="Signing Ceremony", valid="22 Oct 2025 – 27 Oct 2025",
        photo=photo_bytes() if i % 2 == 0 else None)


def _boxes(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _boxes(child)


def _runs(text_box):
    """(font family, glyph ids, characters) of each run Pango shaped for a laid-out line."""
    text_box.pango_layout.reactivate(text_box.style)
    line = pango.pango_layout_get_line_readonly(text_box.pango_layout.layout, 0)
    text = text_box.pango_layout.text.encode()
    runs, node = [], line.runs
    while node != ffi.NULL:
        run = node.data
        font = pango.pango_font_describe_with_absolute_size(run.item.analysis.font)
        family = ffi.string(pango.pango_font_description_get_family(font)).decode()
        glyphs = run.glyphs
        ids = [glyphs.glyphs[i].glyph for i in range(glyphs.num_glyphs)]
        # The character each glyph draws (its cluster's first), through the byte offsets.
        chars = [text[run.item.offset + glyphs.log_clusters[i]:].decode(errors="ignore")[:1]
                 for i in range(glyphs.num_glyphs)]
        runs.append((family, ids, chars))
        node = node.next
    return line, runs


def test_names_in_every_un_script_are_drawn_with_real_glyphs():
    document = badges.render_document([_badge(n, i) for i, n in enumerate(NAMES)])
    assert len(document.pages) == len(NAMES)  # one A6 page per badge
    for page, (name, family) in zip(document.pages, NAMES.items(), strict=True):
        [box] = [b for b in _boxes(page._page_box) if type(b).__name__ == "TextBox"
                 and "name" in (b.element.get("class") or "").split()]
        assert box.text == name
        line, runs = _runs(box)
        families = {f for f, _, _ in runs if f}
        assert family in families, (name, families)
        for _, ids, _ in runs:  # no "tofu": every glyph exists in the font that drew it
            assert all(g and not g & pango.PANGO_GLYPH_UNKNOWN_FLAG for g in ids), name
        if family == "Noto Sans Arabic":
            assert line.resolved_dir == PANGO_DIRECTION_RTL
            _, ids, chars = next(r for r in runs if r[0] == family)
            # Shaped: the two meems of محمد join differently (initial, then medial form), so
            # they are two different glyphs; unshaped text would repeat one isolated glyph.
            meems = [g for g, c in zip(ids, chars, strict=True) if c == "م"]
            assert len(meems) >= 2 and len(set(meems)) >= 2, meems
            # Lam-alef (لا in صلاح) is drawn as one ligature: fewer glyphs than characters.
            assert sum(len(i) for _, i, _ in runs) < len(name)


def _embedded_fonts(pdf: bytes) -> set[str]:
    """Font names in a PDF (WeasyPrint compresses them into object streams)."""
    names = set()
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        try:
            data = zlib.decompress(pdf[match.end():end])
        except zlib.error:
            continue
        names |= {n.decode() for n in re.findall(rb"/FontName\s*/[A-Z]{6}\+([\w-]+)", data)}
    return names


@pytest.fixture
def approved(defaults, event, viet_nam, organiser, security):
    people = []
    for given, family in [("Van A", "Nguyễn"), ("", "王明"), ("محمد", "عبد الرحمن")]:
        member = Member.objects.create(delegation=viet_nam, given_name=given,
                                       family_name=family)
        services.upload_photo(organiser, member, photo_bytes())
        services.submit(organiser, member)
        services.record_vetting(security, member, True)
        services.decide(organiser, member, True)
        people.append(member)
    return people


def test_a_batch_is_rendered_by_tasks_into_downloadable_parts(
        approved, organiser, event, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "PART_SIZE", 2)  # two parts: progress moves part by part
    with django_capture_on_commit_callbacks(execute=True):
        batch = services.create_batch(organiser, event, "all_approved")
    batch.refresh_from_db()
    assert (batch.status, batch.total, batch.done, batch.parts, batch.parts_done) == (
        "done", 3, 3, 2, 2)
    assert sorted(Badge.objects.values_list("part", flat=True)) == [0, 0, 1]
    # Issued in bulk, yet each person's badge is in the audit trail, and the chain holds.
    issued = AuditEvent.objects.filter(action="badge.issued")
    assert sorted(e.object_id for e in issued) == sorted(
        str(m.accreditation.pk) for m in approved)
    assert {e.after["stage"] for e in issued} == {"issued"} and verify_chain() == []
    assert set(Member.objects.filter(pk__in=[m.pk for m in approved]).values_list(
        "status", flat=True)) == {workflow.member_status("issued")}

    client = Client()
    client.force_login(organiser)
    row = client.get(f"/accreditation/badges/{batch.pk}/").content.decode()
    assert 'data-status="done"' in row and 'value="3"' in row and "hx-trigger" not in row
    first = b"".join(client.get(f"/accreditation/badges/{batch.pk}/part-1.pdf"))
    second = b"".join(client.get(f"/accreditation/badges/{batch.pk}/part-2.pdf"))
    assert first.startswith(b"%PDF-") and second.startswith(b"%PDF-")
    fonts = _embedded_fonts(first) | _embedded_fonts(second)
    assert {"Noto-Sans-Bold", "Noto-Sans-CJK-SC-Bold", "Noto-Sans-Arabic-Bold"} <= fonts
    assert client.get(f"/api/accreditation/batches/{batch.pk}").json()["percent"] == 100


def test_a_running_batch_keeps_polling_its_progress(approved, organiser, event):
    batch = BadgeBatch.objects.create(event=event, scope="all_approved", total=10, done=4,
                                      parts=2, parts_done=1, status="running")
    client = Client()
    client.force_login(organiser)
    row = client.get(f"/accreditation/badges/{batch.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in row and 'value="4"' in row and 'max="10"' in row


def test_every_badge_carries_a_verifiable_credential_and_no_personal_data(
        approved, organiser, event):
    services.create_batch(organiser, event, "all_approved")
    keys = services.public_keys()
    for badge in Badge.objects.select_related("accreditation__category"):
        signed = credential.verify(badge.token, keys)
        assert signed.badge_id == badge.id
        assert signed.category == badge.accreditation.category.number
        assert signed.zones == badge.zones_mask
        assert credential.decode(badge.token).find(b"Nguy") == -1


def test_badge_photos_are_private(approved, organiser, focal_vnm, focal_lao, client):
    member = approved[0]
    url = f"/accreditation/people/{member.pk}/photo/"
    client.force_login(focal_lao)
    assert client.get(url).status_code == 403
    client.force_login(focal_vnm)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "private" in response["Cache-Control"]
    acc = member.accreditation
    with pytest.raises(ValueError):
        _ = acc.photo.url  # no public URL exists for it


def test_chinese_names_are_written_family_name_first():
    assert badges.display_name("华", "李") == "李华"
    assert badges.display_name("Van A", "Nguyễn") == "Van A Nguyễn"
    assert Member(title="Mr.", given_name="华", family_name="李").full_name == "Mr. 李华"
    assert badges.text_direction("ليلى حسن") == "rtl" and badges.text_direction("Анна") == "ltr"


def test_a_scanner_reads_the_credential_off_the_printed_badge(approved, organiser, event,
                                                             django_capture_on_commit_callbacks):
    """The batch PDF, rasterised at a badge printer's 300 dpi by poppler and read by a real QR
    decoder (zxing-cpp's reader), gives back each badge's token, which verifies."""
    import subprocess
    import tempfile
    from pathlib import Path

    import zxingcpp
    from PIL import Image

    from convene.accreditation.storage import private_storage

    with django_capture_on_commit_callbacks(execute=True):
        batch = services.create_batch(organiser, event, "all_approved")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp, "badges.pdf")
        with private_storage().open(services.batch_part_name(batch.pk, 0), "rb") as f:
            pdf.write_bytes(f.read())
        subprocess.run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), f"{tmp}/page"],
                       check=True)
        pages = sorted(Path(tmp).glob("page-*.png"))
        scanned = [zxingcpp.read_barcodes(Image.open(page)) for page in pages]
    assert len(pages) == 3 and all(len(codes) == 1 for codes in scanned)
    printed = [codes[0] for codes in scanned]
    assert all(code.format == zxingcpp.BarcodeFormat.QRCode and code.ec_level == "M"
               for code in printed)
    assert sorted(code.text for code in printed) == sorted(
        Badge.objects.values_list("token", flat=True))
    keys = services.public_keys()
    assert {credential.verify(code.text, keys).badge_id for code in printed} == set(
        Badge.objects.values_list("id", flat=True))


def test_large_batches_make_larger_parts_not_more_of_them():
    assert [services.part_size(n) for n in (1, 100, 1000, 2000, 5000, 12001)] == [
        100, 100, 100, 100, 250, 601]
    assert -(-5000 // services.part_size(5000)) == services.MAX_PARTS
