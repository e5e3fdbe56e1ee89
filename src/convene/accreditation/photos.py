"""Badge photos: check an upload and crop it to the badge's passport-style format.

Plain functions on bytes (Pillow), no HTTP and no database. The rules follow UN practice for
accreditation photos: a recent passport-style photo, uploaded in advance (UN e-deleGATE;
Indico UN photo standards); Heads of State/Government are exempt (see workflow.py).
"""

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from convene.core.uploads import UploadRefused, decode_image

MIN_WIDTH, MIN_HEIGHT = 300, 380  # enough for a sharp 35 x 45 mm print at ~220 dpi

# The badge photo: 35 x 45 mm (ICAO 9303 passport format), stored at 420 x 540 pixels,
# and a small copy for gate screens (cached offline by every gate that may show it).
RATIO = 35 / 45
BADGE_SIZE = (420, 540)
THUMB_SIZE = (140, 180)

# What the upload checks refuse (JPEG or PNG only, size, pixels, damaged files) is the shared
# rule for every image people upload: convene.core.uploads.images, bounds in UPLOAD_LIMITS.
PhotoRefused = UploadRefused


@dataclass(frozen=True)
class BadgePhoto:
    badge: bytes  # JPEG, BADGE_SIZE
    thumb: bytes  # JPEG, THUMB_SIZE


def check_and_crop(data: bytes) -> BadgePhoto:
    image, _kind = decode_image(data)
    image = ImageOps.exif_transpose(image)  # phones store portraits rotated
    width, height = image.size
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise PhotoRefused(
            _("The photo is %(w)d × %(h)d pixels; it must be at least %(mw)d × %(mh)d.")
            % {"w": width, "h": height, "mw": MIN_WIDTH, "mh": MIN_HEIGHT})
    cropped = crop_to_badge(image)
    return BadgePhoto(_jpeg(cropped.resize(BADGE_SIZE, Image.Resampling.LANCZOS)),
                      _jpeg(cropped.resize(THUMB_SIZE, Image.Resampling.LANCZOS), quality=80))


def crop_to_badge(image: Image.Image) -> Image.Image:
    """The largest 35:45 window, centred across and slightly high (heads sit in the top half)."""
    width, height = image.size
    if width / height > RATIO:  # too wide: keep the full height
        new_w = round(height * RATIO)
        left = (width - new_w) // 2
        box = (left, 0, left + new_w, height)
    else:  # too tall: keep the full width, take the window a third of the way down
        new_h = round(width / RATIO)
        top = (height - new_h) // 3
        box = (0, top, width, top + new_h)
    return image.crop(box)


def _jpeg(image: Image.Image, quality: int = 88) -> bytes:
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    out = io.BytesIO()
    # Re-encoding drops every metadata block (EXIF GPS position, camera serial…).
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()
