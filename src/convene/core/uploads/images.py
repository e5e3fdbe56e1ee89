"""Images people upload (badge photos, scans, evidence photos): JPEG or PNG, checked whole.

Only JPEG and PNG are decoded: phones and scanners write them, every badge printer reads them,
and Pillow is asked to try no other decoder (`formats=`), so a crafted file cannot reach a less
used one (the WebP decoder's heap overflow, CVE-2023-4863, was exploited through images sent to
servers). The pixel count is read from the header and refused *before* decoding, so a small file
that would decode to gigabytes (a "decompression bomb") is never decoded; then the image is
decoded to its last byte, so that a file cut short is refused rather than filled with grey.
"""

import io
import threading
from contextlib import contextmanager

from django.utils.translation import gettext as _
from PIL import Image, ImageFile, UnidentifiedImageError

from convene.core.uploads.base import CheckedUpload, UploadRefused, check_size, limit, wrong_kind
from convene.core.uploads.kinds import sniff

IMAGE_TYPES = {"jpeg": ("JPEG", "image/jpeg", ".jpg"), "png": ("PNG", "image/png", ".png")}


def decode_image(data: bytes, *, max_bytes: int | None = None) -> tuple[Image.Image, str]:
    """The whole image, decoded, and its kind ("jpeg" or "png"); UploadRefused says why not."""
    check_size(data, limit("image_max_bytes") if max_bytes is None else max_bytes)
    kind = sniff(data)
    if kind not in IMAGE_TYPES:
        raise wrong_kind(kind, _("a JPEG or PNG image"))
    max_pixels = limit("image_max_pixels")
    try:
        with _strict_loading():
            image = Image.open(io.BytesIO(data), formats=[IMAGE_TYPES[kind][0]])
            width, height = image.size
            if width * height > max_pixels:
                raise _too_many_pixels(width, height, max_pixels)
            image.load()
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard, past twice its default limit; ours is lower and usually first.
        raise _too_many_pixels(None, None, max_pixels) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise UploadRefused(_("The image could not be read to the end; it may be damaged or "
                              "cut short.")) from None
    return image, kind


def check_image(data: bytes, *, name: str = "", max_bytes: int | None = None) -> CheckedUpload:
    """A JPEG or PNG kept as uploaded (a scan of a letter), once it has decoded whole."""
    image, kind = decode_image(data, max_bytes=max_bytes)
    width, height = image.size
    image.close()
    _, content_type, suffix = IMAGE_TYPES[kind]
    return CheckedUpload(name, data, kind, content_type, suffix, width=width, height=height)


def _too_many_pixels(width, height, max_pixels) -> UploadRefused:
    megapixels = max_pixels // 1_000_000
    if width is None:
        return UploadRefused(_("The image has too many pixels (at most %(mp)d megapixels are "
                               "accepted).") % {"mp": megapixels})
    return UploadRefused(_("The image has too many pixels (%(w)d × %(h)d; at most %(mp)d "
                           "megapixels are accepted).") % {"w": width, "h": height,
                                                            "mp": megapixels})


_LOADING = threading.Lock()


@contextmanager
def _strict_loading():
    """Refuse a truncated file instead of filling it with grey. WeasyPrint turns Pillow's
    process-wide LOAD_TRUNCATED_IMAGES on when it is imported (accreditation/badges.py), so a
    damaged upload would pass once a badge had been printed in the same process."""
    with _LOADING:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous
