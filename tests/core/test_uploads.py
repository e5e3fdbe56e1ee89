"""Hostile uploads: every file is judged by its content, bounded, and refused with a reason the
person can act on (convene.core.uploads). One test per attack."""

import io
import random
import re
import zipfile

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from convene.core import uploads
from convene.core.exports import csv_bytes
from convene.core.uploads import UploadRefused
from tests.files import (
    HTML,
    PAGE,
    PAGES,
    SVG,
    handmade_pdf,
    image_bytes,
    pdf_bytes,
    png_bomb,
    rewrite_zip,
    xlsx_billion_laughs,
    xlsx_bytes,
    xlsx_with_sheet_xml,
    xlsx_zip_bomb,
)


def refused(check, data, **kwargs) -> str:
    with pytest.raises(UploadRefused) as info:
        check(data, **kwargs)
    return info.value.message.replace("\xa0", " ")  # sizes are written "1.0\xa0MB"


@pytest.fixture
def limits(settings):
    """Change some bounds for one test: limits(sheet_max_rows=3)."""
    def change(**values):
        settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, **values}
    return change


# --- What a file is -------------------------------------------------------------------------

@pytest.mark.parametrize(("data", "kind"), [
    (pdf_bytes(), "pdf"), (image_bytes(), "jpeg"), (image_bytes(fmt="PNG"), "png"),
    (image_bytes(fmt="GIF"), "gif"), (image_bytes(fmt="WEBP"), "webp"), (SVG, "svg"),
    (b"\xef\xbb\xbf  <svg xmlns='http://www.w3.org/2000/svg'/>", "svg"), (HTML, "html"),
    (b"<html><body>hi</body></html>", "html"), (xlsx_bytes([["a"]]), "zip"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "program"), (b"\x7fELF\x02\x01", "program"),
    ("family_name\nNguyễn\n".encode(), "text"), ("a,b\n".encode("utf-16"), "utf16"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 8, "ole"),
])
def test_a_file_is_known_by_its_first_bytes_not_its_name(data, kind):
    assert uploads.sniff(data) == kind


# --- Images ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_jpeg_and_png_images_pass_whole(fmt):
    checked = uploads.check_image(image_bytes((640, 480), fmt), name="scan")
    assert (checked.kind, checked.width, checked.height) == (fmt.lower(), 640, 480)
    assert checked.storage_name("x") == "scan" + {"JPEG": ".jpg", "PNG": ".png"}[fmt]


def test_a_png_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = png_bomb(60_000, 60_000)  # 3.6 gigapixels in under 1 KB
    assert len(bomb) < 4096
    assert "too many pixels" in refused(uploads.check_image, bomb)


def test_an_image_over_the_pixel_limit_is_refused_with_its_size(limits):
    message = refused(uploads.check_image, png_bomb(8_000, 6_000))  # 48 MP > 40 MP
    assert "8000 × 6000" in message and "40 megapixels" in message
    limits(image_max_pixels=100_000)
    assert "too many pixels" in refused(uploads.check_image, image_bytes((400, 300)))


def test_a_truncated_image_is_refused_even_after_weasyprint_relaxed_pillow():
    import weasyprint  # noqa: F401  (it makes Pillow accept truncated files process-wide)

    for fmt in ("JPEG", "PNG"):
        data = image_bytes(fmt=fmt)
        assert "cut short" in refused(uploads.check_image, data[:len(data) // 2])


@pytest.mark.parametrize(("data", "words"), [
    (image_bytes(fmt="GIF"), "This file is a GIF image; upload a JPEG or PNG image."),
    (image_bytes(fmt="WEBP"), "This file is a WebP image"),
    (pdf_bytes(), "This file is a PDF document"),
    (HTML, "This file is a web page (HTML)"),
])
def test_other_files_are_named_in_the_refusal(data, words):
    assert words in refused(uploads.check_image, data)


def test_svg_is_refused_whatever_it_is_called():
    message = refused(uploads.check_image, SVG, name="portrait.png")
    assert message.startswith("SVG drawings are not accepted, because they can carry scripts")
    assert "SVG" in refused(uploads.check_letter, SVG, name="note-verbale.pdf")


def test_an_oversized_image_is_refused_before_it_is_opened(limits):
    limits(image_max_bytes=1024 * 1024)
    big = b"\xff\xd8\xff" + b"\0" * (1024 * 1024)
    assert refused(uploads.check_image, big) == "The file is larger than the 1.0 MB accepted."
    assert refused(uploads.check_image, b"") == "The file is empty."


# --- PDF documents --------------------------------------------------------------------------

def test_a_pdf_is_parsed_and_its_pages_counted():
    checked = uploads.check_pdf(pdf_bytes(3), name="NV 117-2025 (VNM).pdf")
    assert (checked.kind, checked.pages, checked.content_type) == ("pdf", 3, "application/pdf")
    assert checked.storage_name("note-verbale") == "NV_117-2025_VNM.pdf"
    assert uploads.check_pdf(pdf_bytes()).storage_name("note-verbale") == "note-verbale.pdf"


def test_a_web_page_renamed_pdf_is_refused_as_a_web_page():
    assert refused(uploads.check_pdf, HTML, name="note-verbale.pdf") == (
        "This file is a web page (HTML); upload a PDF document.")
    assert "web page (HTML)" in refused(uploads.check_letter, HTML, name="full-powers.pdf")


def test_a_file_that_only_starts_like_a_pdf_is_refused():
    fake = b"%PDF-1.7\n<html><script>alert(1)</script></html>"
    assert refused(uploads.check_pdf, fake) == "The PDF could not be read; it may be damaged."
    data = pdf_bytes(2)
    assert "damaged" in refused(uploads.check_pdf, data[:len(data) // 2])


@pytest.mark.parametrize(("data", "what"), [
    (pdf_bytes(javascript="app.launchURL('https://evil.example/')"), "JavaScript"),
    (pdf_bytes(attachment=b"MZ\x90\x00"), "an embedded file"),
    # An action that starts a program, written with an escaped name (/L#61unch = /Launch)
    # that a text search for "/Launch" would miss.
    (handmade_pdf("<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", PAGES, PAGE,
                  "<< /S /L#61unch /F (cmd.exe) >>"), "an action that starts a program"),
    (handmade_pdf("<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [] /XFA 4 0 R >> >>",
                  PAGES, PAGE, "<< /Length 0 >>\nstream\n\nendstream"), "an XFA form"),
    # JavaScript in a link on the page itself, not in the document's name tree.
    (handmade_pdf("<< /Type /Catalog /Pages 2 0 R >>", PAGES,
                  "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [<< /Type "
                  "/Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /JavaScript /JS (x) >> >>] >>"),
     "JavaScript"),
])
def test_a_pdf_with_active_content_is_refused_and_says_what(data, what):
    assert uploads.sniff(data) == "pdf"
    assert f"The PDF contains {what}" in refused(uploads.check_pdf, data)


def test_unreachable_objects_are_not_what_a_reader_runs():
    # An object no page or catalogue refers to is never run by a reader: the letter passes.
    data = handmade_pdf("<< /Type /Catalog /Pages 2 0 R >>", PAGES, PAGE,
                        "<< /S /JavaScript /JS (app.alert(1)) >>")
    assert uploads.check_pdf(data).pages == 1


def test_a_pdf_that_needs_a_password_is_refused_and_one_merely_restricted_passes():
    locked = pdf_bytes(user_password="secret")
    assert "protected by a password" in refused(uploads.check_pdf, locked)
    restricted = pdf_bytes(2, user_password="")  # no editing, but anyone may open it
    assert uploads.check_pdf(restricted).pages == 2


def test_the_page_count_is_bounded(limits):
    limits(document_max_pages=3)
    assert uploads.check_pdf(pdf_bytes(3)).pages == 3
    assert refused(uploads.check_pdf, pdf_bytes(4)) == (
        "The PDF has 4 pages; at most 3 are accepted.")
    # A page tree that claims a million pages is refused on its word, before it is walked.
    claims = handmade_pdf("<< /Type /Catalog /Pages 2 0 R >>",
                          "<< /Type /Pages /Kids [3 0 R] /Count 1000000 >>", PAGE)
    assert "1000000 pages" in refused(uploads.check_pdf, claims)
    empty = handmade_pdf("<< /Type /Catalog /Pages 2 0 R >>",
                         "<< /Type /Pages /Kids [] /Count 0 >>")
    assert refused(uploads.check_pdf, empty) == "The PDF has no pages."


def test_a_letter_is_a_pdf_or_a_scan(limits):
    assert uploads.check_letter(pdf_bytes()).kind == "pdf"
    assert uploads.check_letter(image_bytes(fmt="PNG"), name="scan.pdf").suffix == ".png"
    assert "This file is a Word document" not in refused(uploads.check_letter, b"plain words")
    assert "a text file" in refused(uploads.check_letter, b"plain words")
    limits(document_max_bytes=10_000)
    assert "larger than" in refused(uploads.check_letter, pdf_bytes() + b"\0" * 10_000)


# --- Office archives and spreadsheets ----------------------------------------------------------

def test_a_zip_bomb_disguised_as_a_workbook_is_refused_before_openpyxl_opens_it():
    bomb = xlsx_zip_bomb(20)  # 20 MB of zeros in about 20 KB
    assert len(bomb) < 100_000
    message = refused(uploads.read_sheet, bomb)
    assert "times its size" in message and "zip bomb" in message


def test_the_unpacked_total_and_the_number_of_parts_are_bounded(limits):
    limits(zip_max_unpacked_bytes=2 * 1024 * 1024)
    photo = random.Random(1).randbytes(3 * 1024 * 1024)  # does not pack: not a bomb, but big
    assert "unpacks to 3.0 MB" in refused(uploads.read_sheet, rewrite_zip(
        xlsx_bytes([["family_name"]]), add=[("xl/media/a.jpg", photo)]))
    many = rewrite_zip(xlsx_bytes([["family_name"]]),
                       add=[(f"xl/media/{i}.bin", b"x") for i in range(1000)])
    assert "at most 1000 are accepted" in refused(uploads.read_sheet, many)


def test_an_xml_entity_bomb_is_refused_by_our_check_not_left_to_the_parser():
    assert "document type declaration" in refused(uploads.read_sheet, xlsx_billion_laughs())


def test_a_workbook_with_macros_or_a_password_is_refused():
    macros = rewrite_zip(xlsx_bytes([["family_name"]]), add=[("xl/vbaProject.bin", b"\0" * 64)])
    assert "macros" in refused(uploads.read_sheet, macros)
    # Set the "encrypted" flag of every part (APPNOTE 4.4.4), in local headers and directory.
    locked = bytearray(xlsx_bytes([["family_name"]]))
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for m in re.finditer(re.escape(signature), bytes(locked)):
            locked[m.start() + flags_at] |= 0x1
    assert "protected by a password" in refused(uploads.read_sheet, bytes(locked))
    assert "password-protected" in refused(uploads.read_sheet,
                                           b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500)


def test_a_part_whose_stated_size_is_a_lie_is_refused_as_damaged():
    good = xlsx_with_sheet_xml(lambda xml: xml)
    info = next(i for i in zipfile.ZipFile(io.BytesIO(good)).infolist()
                if i.filename == "xl/worksheets/sheet1.xml")
    # State half the real unpacked size, in the part's local header and in the directory.
    lie = bytearray(good)
    real = info.file_size.to_bytes(4, "little")
    for position in [m.start() for m in re.finditer(re.escape(real), bytes(lie))]:
        lie[position:position + 4] = (info.file_size // 2).to_bytes(4, "little")
    assert "damaged" in refused(uploads.read_sheet, bytes(lie))


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
    return out.getvalue()


def test_a_word_document_is_not_a_spreadsheet():
    assert refused(uploads.read_sheet, docx_bytes()) == (
        "This file is a Word document; upload a CSV file (UTF-8) or an Excel workbook (.xlsx).")


def test_a_huge_sheet_is_refused_by_rows_and_by_columns():
    rows = [["family_name"]] + [[f"Nguyen {i}"] for i in range(10_000)]
    assert refused(uploads.read_sheet, xlsx_bytes(rows)) == "The file has more than 10000 rows."
    assert refused(uploads.read_sheet, csv_bytes(["family_name"], rows[1:])) == (
        "The file has more than 10000 rows.")
    wide = [["family_name"] + [f"c{i}" for i in range(100)]]
    assert refused(uploads.read_sheet, xlsx_bytes(wide)) == (
        "Line 1 has more than 100 columns.")
    assert "Line 1 has more than 100 columns" in refused(
        uploads.read_sheet, ",".join(wide[0]).encode())


def test_a_cell_a_million_rows_down_costs_no_memory_and_is_refused():
    far = xlsx_with_sheet_xml(lambda xml: xml.replace("</sheetData>", (
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        "</sheetData>")))
    assert refused(uploads.read_sheet, far) == "The file has more than 10000 rows."
    wide = xlsx_with_sheet_xml(lambda xml: xml.replace("</row>", (
        '<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'), 1))
    assert uploads.read_sheet(wide) == [["family_name"], ["Nguyen"]]  # past the bound: unread


def test_sheet_bounds_are_settings(limits):
    limits(sheet_max_rows=3, sheet_max_columns=2, sheet_max_bytes=100)
    assert "more than 3 rows" in refused(uploads.read_sheet, b"a\nb\nc\nd\n")
    assert "more than 2 columns" in refused(uploads.read_sheet, b"a,b,c\n")
    assert "larger than" in refused(uploads.read_sheet, b"a\n" * 60)
    assert uploads.read_sheet(b"a,b\n\n\n\n\n\n") == [["a", "b"]]  # blank rows at the end


@pytest.mark.parametrize(("data", "words"), [
    ("family_name\nNguyễn\n".encode("utf-16"), "saved as UTF-16"),
    ("family_name\nMüller\n".encode("cp1252"), "must be saved as UTF-8"),
    (b"family_name\n" + b'"' + b"x" * 200_000 + b'"\n', "Line 2 cannot be read"),
    (b"family_name\nNguyen\0Van A\n", "of a kind Convene does not read"),
    (pdf_bytes(), "This file is a PDF document"),
    (SVG, "This file is an SVG drawing"),
    (b"PK\x03\x04 not really a zip", "may be damaged"),
])
def test_a_bad_spreadsheet_is_refused_with_the_reason(data, words):
    assert words in refused(uploads.read_sheet, data)


def test_cells_read_as_the_person_sees_them():
    from datetime import date, datetime

    rows = uploads.read_sheet(xlsx_bytes([["a", "b", "c", "d"],
                                          [date(2025, 10, 25), datetime(2025, 10, 25, 9, 30),
                                           5.0, True]]))
    assert rows == [["a", "b", "c", "d"], ["2025-10-25", "2025-10-25 09:30", "5", "True"]]
    assert uploads.read_sheet(b"a;b\n1;2\n") == [["a", "b"], ["1", "2"]]
    assert uploads.read_sheet(b"a\tb\n1\t2\n") == [["a", "b"], ["1", "2"]]


# --- Text and office files as evidence ------------------------------------------------------

def test_office_files_are_checked_as_archives_and_text_as_utf8():
    assert uploads.check_file(docx_bytes(), name="contract.docx").kind == "docx"
    assert uploads.check_file(b"seat,delegation\n", name="seats.csv").content_type == "text/csv"
    assert uploads.check_file(b"notes", name="notes").suffix == ".txt"
    assert "zip bomb" in refused(uploads.check_file, xlsx_zip_bomb(20), name="list.xlsx")


# --- The upload handler: an oversized file is never kept whole ------------------------------

class RecordingHandler(FileUploadHandler):
    """Placed after ours in FILE_UPLOAD_HANDLERS: counts what would be written to memory or
    disk (it passes every chunk on)."""

    received = 0

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        RecordingHandler.received = 0

    def receive_data_chunk(self, raw_data, start):
        RecordingHandler.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def test_an_upload_past_the_file_limit_is_never_kept_whole(limits, settings, client,
                                                           focal_vnm, viet_nam):
    from django.core.files.uploadedfile import SimpleUploadedFile

    limits(file_max_bytes=256 * 1024)
    settings.FILE_UPLOAD_HANDLERS = [
        "convene.core.uploads.handlers.FileSizeCapHandler",
        "tests.core.test_uploads.RecordingHandler",
        *settings.FILE_UPLOAD_HANDLERS[1:]]
    client.force_login(focal_vnm)
    huge = SimpleUploadedFile("nv.pdf", pdf_bytes() + b"\0" * (2 * 1024 * 1024))
    page = client.post(f"/delegations/{viet_nam.pk}/note-verbale/", {"document": huge})
    assert RecordingHandler.received <= 256 * 1024 + 64 * 1024  # at most one chunk past it
    assert "larger than the 256.0" in page.content.decode().replace("\xa0", " ")
    viet_nam.refresh_from_db()
    assert not viet_nam.note_verbale


# --- Nothing but a refusal, whatever the bytes ---------------------------------------------

SEEDS = {"pdf": (pdf_bytes(2), uploads.check_pdf),
         "png": (image_bytes((320, 400), "PNG"), uploads.check_image),
         "jpeg": (image_bytes((320, 400)), uploads.check_image),
         "xlsx": (xlsx_bytes([["family_name", "given_name"], ["Nguyen", "Van A"]]),
                  uploads.read_sheet)}


@st.composite
def damaged(draw, seed: bytes):
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 8))):
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[position:position + draw(st.integers(1, 64))]
        else:
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        if not data:
            data = bytearray(b"\0")
    return bytes(data)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_a_damaged_file_is_refused_never_an_error(kind):
    seed, check = SEEDS[kind]

    @hypothesis_settings(max_examples=60, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(damaged(seed))
    def check_never_raises_anything_else(data):
        try:
            check(data)
        except UploadRefused as exc:
            assert exc.message

    check_never_raises_anything_else()


def test_pillow_is_asked_for_jpeg_and_png_only():
    # A TIFF, which Pillow could decode, is refused by name: its decoder is never reached.
    out = io.BytesIO()
    Image.new("RGB", (400, 400)).save(out, "TIFF")
    assert "This file is a TIFF image" in refused(uploads.check_image, out.getvalue())
