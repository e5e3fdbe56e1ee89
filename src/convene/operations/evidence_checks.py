"""What an uploaded piece of evidence may be: checked by its content, not by its name.

A photo taken on a phone at the venue (JPEG or PNG), or a file: a signed contract or a test
report as PDF, an office file (Word, Excel, OpenDocument), plain text or CSV, or a photo. The
checks are the platform's (convene.core.uploads: PDFs parsed, office archives bounded against
zip bombs, images decoded whole); evidence adds one rule, that a file whose name says another
kind than its content is refused, since that is a mistake or a disguise.
"""

from pathlib import PurePath

from django.utils.translation import gettext as _

from convene.core.uploads import (
    FILE_KINDS,
    CheckedUpload,
    UploadRefused,
    check_file,
    check_image,
    describe,
    limit,
)

EvidenceRefused = UploadRefused
Checked = CheckedUpload

_NAMED = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".odt": "odt", ".ods": "ods",
          ".txt": "text", ".csv": "text", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}


def check_photo(name: str, content: bytes) -> CheckedUpload:
    return check_image(content, name=name, max_bytes=limit("document_max_bytes"))


def check_evidence_file(name: str, content: bytes) -> CheckedUpload:
    checked = check_file(content, name=name, accept=FILE_KINDS, accepted=_(
        "a PDF, Word, Excel, OpenDocument, text or CSV file, or a JPEG or PNG photo"))
    suffix = PurePath(name.lower()).suffix
    if _NAMED.get(suffix, checked.kind) != checked.kind:
        raise UploadRefused(_("This file is %(what)s, but its name ends in %(suffix)s; rename "
                              "it or upload the right file.")
                            % {"what": describe(checked.kind), "suffix": suffix})
    return checked
