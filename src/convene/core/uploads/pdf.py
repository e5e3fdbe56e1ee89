"""PDF documents people upload (notes verbales, full powers, letters, evidence): proved to be
PDFs by parsing them, bounded in pages, and free of what a PDF reader would run.

The parser is pypdf: pure Python, so a hostile file can at worst cost time within the size bound,
never corrupt memory, and it is actively maintained with published limits against compressed
"bombs" (see README, "Dependencies and why"). A real parse is needed because a file can start
with "%PDF-" and be anything after it.

The colleagues who open these documents are the target of a hostile PDF, more than the server:
JavaScript, actions that start a program, embedded files, XFA forms and multimedia are what PDF
malware uses, and no letter or scan needs them, so they are refused (the object names are those
of ISO 32000-2: §12.6.4 action types, §7.11.4 embedded files, §12.7.9 XFA, §13.7 rich media).
Only what a reader can reach from the trailer is examined, as a reader would.
"""

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.core.uploads.base import CheckedUpload, UploadRefused, check_size, limit, wrong_kind
from convene.core.uploads.kinds import sniff

# At most this many dictionaries and arrays are examined; a letter or scan has a few hundred.
MAX_NODES = 500_000

JAVASCRIPT = gettext_lazy("JavaScript")
LAUNCH = gettext_lazy("an action that starts a program")
EMBEDDED = gettext_lazy("an embedded file")
XFA = gettext_lazy("an XFA form")
MULTIMEDIA = gettext_lazy("multimedia content")
_ACTION_TYPES = {"/JavaScript": JAVASCRIPT, "/Launch": LAUNCH, "/GoToE": EMBEDDED,
                 "/RichMediaExecute": MULTIMEDIA}
_KEYS = {"/JS": JAVASCRIPT, "/JavaScript": JAVASCRIPT, "/EmbeddedFiles": EMBEDDED,
         "/EF": EMBEDDED, "/XFA": XFA, "/RichMediaContent": MULTIMEDIA}
_SUBTYPES = {"/RichMedia": MULTIMEDIA, "/FileAttachment": EMBEDDED}


def check_pdf(data: bytes, *, name: str = "", max_bytes: int | None = None,
              max_pages: int | None = None) -> CheckedUpload:
    check_size(data, limit("document_max_bytes") if max_bytes is None else max_bytes)
    kind = sniff(data)
    if kind != "pdf":
        raise wrong_kind(kind, _("a PDF document"))
    max_pages = limit("document_max_pages") if max_pages is None else max_pages
    from pypdf import PdfReader  # imported where a PDF is read, like openpyxl for sheets

    try:
        pages = _read(PdfReader(io.BytesIO(data), strict=False), max_pages)
    except UploadRefused:
        raise
    except Exception:  # pypdf raises many kinds for a damaged file, as openpyxl does
        raise UploadRefused(_("The PDF could not be read; it may be damaged.")) from None
    return CheckedUpload(name, data, "pdf", "application/pdf", ".pdf", pages=pages)


def _read(reader, max_pages: int) -> int:
    from pypdf import PasswordType

    # A document restricted only by an owner password (no editing) opens without one, as it
    # does in every reader; one that needs a password to open cannot be read by the secretariat.
    if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
        raise UploadRefused(_("The PDF is protected by a password; upload it without the "
                              "password."))
    declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
    if isinstance(declared, int) and declared > max_pages:
        raise _too_many_pages(declared, max_pages)
    pages = len(reader.pages)
    if pages == 0:
        raise UploadRefused(_("The PDF has no pages."))
    if pages > max_pages:
        raise _too_many_pages(pages, max_pages)
    found = active_content(reader)
    if found:
        raise UploadRefused(_("The PDF contains %(what)s, which documents here may not hold. "
                              "Print it to a new PDF, or scan the paper, and upload that.")
                            % {"what": found})
    return pages


def _too_many_pages(pages: int, max_pages: int) -> UploadRefused:
    return UploadRefused(_("The PDF has %(n)d pages; at most %(max)d are accepted.")
                         % {"n": pages, "max": max_pages})


def active_content(reader) -> str | None:
    """What a reader could run or unpack, reachable from the trailer; None when nothing."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    stack, seen, nodes = [reader.trailer], set(), 0
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            ref = (obj.idnum, obj.generation)
            if ref in seen:
                continue
            seen.add(ref)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            found = _dictionary_content(obj)
            if found:
                return str(found)
            children = dict.values(obj)  # as stored: references stay references
        elif isinstance(obj, ArrayObject):
            children = list.__iter__(obj)
        else:
            continue
        nodes += 1
        if nodes > MAX_NODES:
            raise UploadRefused(_("The PDF is too complex to be checked; print it to a new "
                                  "PDF and upload that."))
        stack.extend(children)
    return None


def _dictionary_content(obj):
    for key, what in _KEYS.items():
        if key in obj:
            return what
    action, subtype, kind = (_name(dict.get(obj, k)) for k in ("/S", "/Subtype", "/Type"))
    if kind == "/EmbeddedFile":
        return EMBEDDED
    return _ACTION_TYPES.get(action) or _SUBTYPES.get(subtype)


def _name(value):
    from pypdf.generic import IndirectObject, NameObject

    if isinstance(value, IndirectObject):
        value = value.get_object()
    return value if isinstance(value, NameObject) else None
