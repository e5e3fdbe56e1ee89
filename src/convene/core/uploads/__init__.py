"""Uploads checked by their content, not their name: what every app that takes a file uses.

- `check_letter(data, name=…)`: a PDF, or a scan as JPEG or PNG (notes verbales, full powers,
  letters of assignment); `check_pdf`, `check_image`, `check_file(accept=…)` for other sets.
- `decode_image(data)`: a JPEG or PNG decoded whole, for code that re-encodes it (badge photos).
- `read_sheet(data)`: the first sheet of a CSV or XLSX file as rows of text, bounded.
- `read_bounded(upload, max_bytes)`: an uploaded file's bytes, never more than the limit.
- `fields.BoundedFileField`: the form field; `handlers.FileSizeCapHandler`: the upload handler.

Every refusal is an `UploadRefused` whose `message` tells the person what is wrong. The bounds are
settings (UPLOAD_LIMITS in settings.py; docs/hardening.md lists them and what each stops).
"""

from convene.core.uploads.base import CheckedUpload, UploadRefused, limit, read_bounded
from convene.core.uploads.documents import FILE_KINDS, check_file, check_letter, check_text
from convene.core.uploads.images import check_image, decode_image
from convene.core.uploads.kinds import describe, sniff
from convene.core.uploads.pdf import check_pdf
from convene.core.uploads.sheets import read_sheet

__all__ = ["CheckedUpload", "UploadRefused", "limit", "read_bounded", "FILE_KINDS", "check_file",
           "check_letter", "check_text", "check_image", "decode_image", "describe", "sniff",
           "check_pdf", "read_sheet"]
