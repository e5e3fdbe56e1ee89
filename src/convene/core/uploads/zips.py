"""Office files are ZIP archives (XLSX, DOCX, PPTX: ECMA-376 part 2; ODS, ODT: ODF 1.3 part 2):
checked from the archive's directory before anything unpacks them.

A "zip bomb" is a small file that unpacks to gigabytes; an archive's central directory states
each part's packed and unpacked size, so the parts, their total and the ratio between them are
bounded before openpyxl (or a colleague's office suite) opens the file. Python's zipfile never
unpacks more than the size stated (it stops there and fails the CRC check), so a directory that
lies about a size cannot make it unpack more. The XML parts are then read, within those bounds,
for a document type declaration: office files never have one, and it is how XML entity bombs
("billion laughs") and external entities get in, whatever the XML parser's own defences.
"""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from convene.core.uploads.base import UploadRefused, limit, size_text

OFFICE_TYPES = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ".docx"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",
             ".pptx"),
    "odt": ("application/vnd.oasis.opendocument.text", ".odt"),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", ".ods"),
}
_OOXML_MAIN = {"xl/workbook.xml": "xlsx", "word/document.xml": "docx",
               "ppt/presentation.xml": "pptx"}
_ODF_MIMETYPES = {OFFICE_TYPES["odt"][0]: "odt", OFFICE_TYPES["ods"][0]: "ods"}
_RATIO_FLOOR = 1024 * 1024  # a part (or archive) smaller than this unpacked is never a bomb
_DTD_MARKS = (b"<!DOCTYPE", b"<!ENTITY")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class OfficeArchive:
    kind: str  # one of OFFICE_TYPES, or "zip" for any other archive
    unpacked_bytes: int


def inspect_archive(data: bytes) -> OfficeArchive:
    """The office file `data` is, once its archive has been bounded; UploadRefused says why not."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise UploadRefused(_("The file could not be read as an office file; it may be "
                              "damaged.")) from None
    with archive:
        _check_directory(members, len(data))
        kind = _office_kind(archive, {m.filename for m in members})
        if _has_macros(m.filename for m in members):
            raise UploadRefused(_("The file contains macros; save it without macros (as .xlsx "
                                  "or .docx) and upload that."))
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _check_no_doctype(archive, member)
    return OfficeArchive(kind, sum(m.file_size for m in members))


def _check_directory(members: list[zipfile.ZipInfo], packed: int) -> None:
    max_members = limit("zip_max_members")
    if len(members) > max_members:
        raise UploadRefused(_("The file holds %(n)d parts; at most %(max)d are accepted.")
                            % {"n": len(members), "max": max_members})
    for member in members:
        if member.flag_bits & 0x1:
            raise UploadRefused(_("The file is protected by a password; upload it without the "
                                  "password."))
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRefused(_("The file is packed in a way office files never are; save it "
                                  "again from the office application."))
    unpacked = sum(m.file_size for m in members)
    max_unpacked = limit("zip_max_unpacked_bytes")
    if unpacked > max_unpacked:
        raise UploadRefused(_("The file unpacks to %(size)s; at most %(limit)s are accepted.")
                            % {"size": size_text(unpacked), "limit": size_text(max_unpacked)})
    max_ratio = limit("zip_max_ratio")
    parts = [(m.file_size, m.compress_size) for m in members] + [(unpacked, packed)]
    for size, compressed in parts:
        if size > _RATIO_FLOOR and size > max_ratio * max(compressed, 1):
            raise UploadRefused(
                _("The file unpacks to %(ratio)d times its size, far more than an office file "
                  "does (at most %(max)d times); it may be a “zip bomb”.")
                % {"ratio": size // max(compressed, 1), "max": max_ratio})


def _office_kind(archive: zipfile.ZipFile, names: set[str]) -> str:
    if "[Content_Types].xml" in names:
        for main, kind in _OOXML_MAIN.items():
            if main in names:
                return kind
    if "mimetype" in names:
        with archive.open("mimetype") as member:
            mimetype = member.read(200).decode("ascii", "replace").strip()
        if mimetype in _ODF_MIMETYPES:
            return _ODF_MIMETYPES[mimetype]
    return "zip"


def _has_macros(names) -> bool:
    # OOXML keeps VBA macros in a vbaProject.bin part (MS-OFFMACRO); ODF in Basic/ or Scripts/.
    return any(n.lower().endswith("vbaproject.bin") or n.startswith(("Basic/", "Scripts/"))
               for n in names)


def _check_no_doctype(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    tail = b""
    try:
        with archive.open(member) as part:
            while chunk := part.read(_CHUNK):
                window = tail + chunk
                if any(mark in window for mark in _DTD_MARKS):
                    raise UploadRefused(_("The file contains an XML document type declaration, "
                                          "which office files never have; save it again from "
                                          "the office application."))
                tail = window[-16:]
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):  # a bad CRC, a cut-short part
        raise UploadRefused(_("The file could not be read as an office file; it may be "
                              "damaged.")) from None
