"""What every upload check shares: the refusal a person reads, the checked result, the limits."""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from convene.core.uploads.kinds import describe


class UploadRefused(ValueError):
    """The upload is refused; `message` says what is wrong, in words for the person uploading."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose content has been checked: `kind` is what the bytes are, whatever the
    file was called, and `suffix` the extension to store it under."""

    name: str  # as the person called it, for display only
    content: bytes
    kind: str  # pdf, jpeg, png, xlsx, docx, odt, ods, text
    content_type: str
    suffix: str
    pages: int | None = None  # PDFs
    width: int | None = None  # images
    height: int | None = None

    def audit(self) -> dict:
        """What the audit trail records of the file: enough to prove later which file it was."""
        facts = {"kind": self.kind, "bytes": len(self.content),
                 "sha256": hashlib.sha256(self.content).hexdigest()}
        return facts | ({"pages": self.pages} if self.pages is not None else {})

    def storage_name(self, default_stem: str) -> str:
        """The person's file name made safe, with the extension its content calls for: a web page
        uploaded as "letter.pdf" is refused, and a PNG called "letter.pdf" is kept as .png."""
        stem = get_valid_filename(PurePath(self.name or "").stem[:80]) if self.name else ""
        return f"{stem or default_stem}{self.suffix}"


def limit(name: str) -> int:
    """A bound from settings.UPLOAD_LIMITS, read when used (so that a test can change it)."""
    return settings.UPLOAD_LIMITS[name]


def size_text(n: int) -> str:
    return str(filesizeformat(n))


def check_size(data: bytes, max_bytes: int) -> None:
    if not data:
        raise UploadRefused(_("The file is empty."))
    if len(data) > max_bytes:
        raise UploadRefused(too_large(len(data), max_bytes))


def too_large(size: int | None, max_bytes: int) -> str:
    size_shown, limit_shown = size_text(size or 0), size_text(max_bytes)
    if size is None or size_shown == limit_shown:
        return _("The file is larger than the %(limit)s accepted.") % {"limit": limit_shown}
    return _("The file is %(size)s, larger than the %(limit)s accepted.") % {
        "size": size_shown, "limit": limit_shown}


def read_bounded(upload, max_bytes: int) -> bytes:
    """The bytes of an uploaded file (anything with read()), refused past max_bytes without
    reading more than one byte beyond it."""
    size = getattr(upload, "size", None)
    if getattr(upload, "oversized", False) or (size is not None and size > max_bytes):
        raise UploadRefused(too_large(size, max_bytes))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(max_bytes + 1)
    check_size(data, max_bytes)
    return data


def refuse_svg(accepted: str) -> UploadRefused:
    """SVG is refused everywhere rather than sanitised: it is a document that can hold scripts,
    links and references to other files, and a sanitiser that missed one would serve a script
    from Convene's own address. No current use needs a drawing: photos are re-encoded as JPEG,
    and documents are letters, which come as PDF or scans."""
    return UploadRefused(_("SVG drawings are not accepted, because they can carry scripts; "
                           "upload %(accepted)s instead.") % {"accepted": accepted})


def wrong_kind(kind: str, accepted: str, *, drawing: bool = True) -> UploadRefused:
    """`drawing`: say how to turn an SVG into what is accepted (images and documents)."""
    if kind == "svg" and drawing:
        return refuse_svg(accepted)
    return UploadRefused(_("This file is %(what)s; upload %(accepted)s.")
                         % {"what": describe(kind), "accepted": accepted})
