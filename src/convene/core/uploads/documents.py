"""Documents people upload, by what they hold: a letter (PDF, or a JPEG or PNG scan), and the
wider set a piece of evidence may be (office files and plain text too).

Each is proved by its own check (pdf.py, images.py, zips.py); the file's name decides nothing,
except between plain-text kinds (.csv or .txt), which no content can tell apart.
"""

from pathlib import PurePath

from django.utils.translation import gettext as _

from convene.core.uploads.base import CheckedUpload, UploadRefused, check_size, limit, wrong_kind
from convene.core.uploads.images import check_image
from convene.core.uploads.kinds import describe, sniff
from convene.core.uploads.pdf import check_pdf
from convene.core.uploads.zips import OFFICE_TYPES, inspect_archive

FILE_KINDS = ("pdf", "jpeg", "png", "xlsx", "docx", "odt", "ods", "text")
TEXT_TYPES = {".csv": "text/csv", ".txt": "text/plain"}


def check_letter(data: bytes, *, name: str = "") -> CheckedUpload:
    """A note verbale, full powers, a letter of assignment: a PDF, or a scan as JPEG or PNG."""
    check_size(data, limit("document_max_bytes"))
    kind = sniff(data)
    if kind == "pdf":
        return check_pdf(data, name=name)
    if kind in ("jpeg", "png"):
        return check_image(data, name=name, max_bytes=limit("document_max_bytes"))
    raise wrong_kind(kind, _("a PDF, or a scan as a JPEG or PNG image"))


def check_file(data: bytes, *, name: str = "", accept=FILE_KINDS, accepted: str = "",
               max_bytes: int | None = None) -> CheckedUpload:
    """Any of `accept` (kinds as sniffed, office kinds as inspected); `accepted` names them for
    the person when the file is none of them."""
    max_bytes = limit("document_max_bytes") if max_bytes is None else max_bytes
    check_size(data, max_bytes)
    accepted = accepted or ", ".join(describe(k) for k in accept)
    kind = sniff(data)
    if kind == "zip":
        kind = inspect_archive(data).kind
    if kind not in accept:
        raise wrong_kind(kind, accepted)
    if kind == "pdf":
        return check_pdf(data, name=name, max_bytes=max_bytes)
    if kind in ("jpeg", "png"):
        return check_image(data, name=name, max_bytes=max_bytes)
    if kind == "text":
        return check_text(data, name=name)
    content_type, suffix = OFFICE_TYPES[kind]
    return CheckedUpload(name, data, kind, content_type, suffix)


def check_text(data: bytes, *, name: str = "") -> CheckedUpload:
    """Plain UTF-8 text; .csv when it is called so, .txt otherwise."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UploadRefused(_("The text file must be saved as UTF-8.")) from None
    if "\x00" in text:
        raise UploadRefused(_("This file is %(what)s; upload it as PDF.")
                            % {"what": describe("binary")})
    suffix = PurePath(name.lower()).suffix
    suffix = suffix if suffix in TEXT_TYPES else ".txt"
    return CheckedUpload(name, data, "text", TEXT_TYPES[suffix], suffix)
