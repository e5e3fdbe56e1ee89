"""What a file is, from its first bytes: to choose the check that proves it, and to name a wrong
file in the message ("This file is a web page (HTML)…").

Only a first guess: each check then proves the kind with a real decoder or parser (Pillow, pypdf,
zipfile and openpyxl), so a file that merely starts like a PDF is still refused. Written here
rather than taken from libmagic: the few signatures Convene meets are public and fixed (PDF 2.0
§7.5.2, JFIF, PNG §5.2, APPNOTE.TXT §4.3.7), and a binding would add a system library for them.
"""

from django.utils.translation import gettext_lazy as _

_SIGNATURES = [
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # .xls, .doc, and password-protected .xlsx
    (b"\x7fELF", "program"),
    (b"\x1f\x8b", "archive"),  # gzip (also .svgz)
    (b"Rar!\x1a\x07", "archive"),
    (b"7z\xbc\xaf\x27\x1c", "archive"),
    (b"{\\rtf", "rtf"),
    (b"\xff\xfe", "utf16"),  # the byte-order marks of UTF-16 ("Unicode text" in Excel)
    (b"\xfe\xff", "utf16"),
]
_ISO_MEDIA = {b"heic", b"heix", b"hevc", b"mif1", b"msf1", b"avif"}  # HEIF/AVIF brands
_HTML_STARTS = ("<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<meta",
                "<title", "<div", "<a ", "<p>", "<form", "<img", "<style", "<link")

DESCRIPTIONS = {
    "pdf": _("a PDF document"),
    "jpeg": _("a JPEG image"),
    "png": _("a PNG image"),
    "gif": _("a GIF image"),
    "webp": _("a WebP image"),
    "bmp": _("a BMP image"),
    "tiff": _("a TIFF image"),
    "heif": _("a HEIC or AVIF image (as phones save photos)"),
    "svg": _("an SVG drawing"),
    "html": _("a web page (HTML)"),
    "xml": _("an XML file"),
    "rtf": _("a Rich Text (RTF) document"),
    "zip": _("a ZIP archive"),
    "xlsx": _("an Excel workbook"),
    "docx": _("a Word document"),
    "pptx": _("a PowerPoint presentation"),
    "odt": _("an OpenDocument text"),
    "ods": _("an OpenDocument spreadsheet"),
    "ole": _("an old-format or password-protected Office file (.xls, .doc)"),
    "program": _("a program"),
    "archive": _("a compressed archive"),
    "text": _("a text file"),
    "utf16": _("a text file saved as UTF-16 (save it as UTF-8)"),
    "binary": _("of a kind Convene does not read"),
}


def sniff(data: bytes) -> str:
    """The kind of `data` by its signature: one of DESCRIPTIONS' keys."""
    head = data[:16]
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[:2] == b"MZ" and b"\0" in data[:64]:  # DOS/Windows program (text never has NUL)
        return "program"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM" and data[6:10] == b"\0\0\0\0":  # BITMAPFILEHEADER: reserved words
        return "bmp"
    if head[4:8] == b"ftyp" and head[8:12] in _ISO_MEDIA:
        return "heif"
    return _text_kind(data[:4096])


def _text_kind(head: bytes) -> str:
    if b"\x00" in head:
        return "binary"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut at the 4 KB boundary
            text = head[:exc.start].decode("utf-8-sig")
        elif _controls(head) * 100 > len(head):
            return "binary"
        else:  # text in a legacy encoding (a CSV saved as "ANSI"): the reader says what to do
            return "text"
    start = text.lstrip().lower()
    if start.startswith("<"):
        if "<svg" in start:
            return "svg"
        if start.startswith(_HTML_STARTS) or "<html" in start:
            return "html"
        if start.startswith("<?xml") or start.startswith("<!doctype"):
            return "xml"
    return "text"


def _controls(head: bytes) -> int:
    return sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0D))


def describe(kind: str) -> str:
    return str(DESCRIPTIONS.get(kind, DESCRIPTIONS["binary"]))
