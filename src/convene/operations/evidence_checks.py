"""What an uploaded piece of evidence may be: checked by its content, not by its name.

A photo taken on a phone at the venue, or a file (a signed contract, a test report). The type
is decided from the first bytes (and, for photos, by decoding the image), so a renamed
executable is refused whatever it is called; the size is capped so one upload cannot fill the
disk or the PDF report.
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024

PHOTO_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
FILE_SUFFIXES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".txt": "text/plain",
    ".csv": "text/csv",
}


class EvidenceRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checked:
    content_type: str
    suffix: str


def _photo_type(content: bytes) -> str | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(content)) as image:
            kind = image.format
            image.verify()  # a truncated or forged image fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return PHOTO_TYPES.get(kind)


def check_photo(name: str, content: bytes) -> Checked:
    _check_size(content)
    content_type = _photo_type(content)
    if content_type is None:
        raise EvidenceRefused(_("A photo must be a JPEG, PNG or WebP image."))
    suffix = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}[content_type]
    return Checked(content_type, suffix)


def check_file(name: str, content: bytes) -> Checked:
    _check_size(content)
    lowered = name.lower()
    suffix = next((s for s in FILE_SUFFIXES if lowered.endswith(s)), None)
    if suffix is None:
        if _photo_type(content):
            return check_photo(name, content)
        raise EvidenceRefused(_("Upload a PDF, Word, Excel, OpenDocument, text or CSV file, "
                                "or a photo."))
    if not _content_matches(suffix, content):
        raise EvidenceRefused(_("The file's content is not what its name says (%(suffix)s).")
                              % {"suffix": suffix})
    return Checked(FILE_SUFFIXES[suffix], suffix)


def _content_matches(suffix: str, content: bytes) -> bool:
    if suffix == ".pdf":
        return content.startswith(b"%PDF-")
    if suffix in (".docx", ".xlsx", ".odt", ".ods"):
        return content.startswith(b"PK\x03\x04")  # these formats are ZIP containers
    try:  # .txt, .csv
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return b"\x00" not in content


def _check_size(content: bytes) -> None:
    if not content:
        raise EvidenceRefused(_("The file is empty."))
    if len(content) > MAX_BYTES:
        raise EvidenceRefused(_("The file is larger than 10 MB."))
