"""Photo uploads: JPEG or PNG within limits, clear errors, cropped to the badge format."""

import io
import re

import pytest
from PIL import Image

from convene.accreditation.photos import BADGE_SIZE, THUMB_SIZE, PhotoRefused, check_and_crop
from tests.accreditation.helpers import photo_bytes


def _open(data):
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_jpeg_and_png_are_cropped_to_35_by_45(fmt):
    photo = check_and_crop(photo_bytes((1200, 900), fmt))  # a landscape snapshot
    badge, thumb = _open(photo.badge), _open(photo.thumb)
    assert (badge.format, badge.size) == ("JPEG", BADGE_SIZE)
    assert (thumb.format, thumb.size) == ("JPEG", THUMB_SIZE)


def test_the_crop_keeps_the_face_centre_of_a_wide_photo():
    # A red square in the middle of a wide blue photo stays in the middle of the crop.
    image = Image.new("RGB", (1600, 800), "blue")
    image.paste(Image.new("RGB", (200, 200), "red"), (700, 300))
    out = io.BytesIO()
    image.save(out, "PNG")
    badge = _open(check_and_crop(out.getvalue()).badge).convert("RGB")
    r, g, b = badge.getpixel((BADGE_SIZE[0] // 2, BADGE_SIZE[1] // 2))
    assert r > 200 and b < 60


def test_location_and_camera_metadata_are_dropped():
    image = Image.new("RGB", (600, 800), "grey")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    assert b"PhoneMaker" in out.getvalue()
    assert b"PhoneMaker" not in check_and_crop(out.getvalue()).badge


def test_a_portrait_stored_rotated_by_a_phone_is_turned_upright():
    image = Image.new("RGB", (800, 600), "grey")  # stored landscape...
    exif = Image.Exif()
    exif[0x0112] = 6  # ...with "rotate 90° to display"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    # Upright it is 600 x 800 (portrait): a 35:45 crop of it keeps the whole width.
    assert _open(check_and_crop(out.getvalue()).badge).size == BADGE_SIZE


@pytest.mark.parametrize("data, message", [
    (photo_bytes((200, 300)), "at least 300 × 380"),
    (photo_bytes(fmt="GIF"), "This file is a GIF image; upload a JPEG or PNG image."),
    (b"%PDF-1.4 not a photo", "This file is a PDF document"),
    (photo_bytes()[:200], "could not be read"),
    (photo_bytes()[:3000], "could not be read"),  # a damaged (cut short) JPEG
    (b"\xff" * (5 * 1024 * 1024 + 1), "larger than the 5.0\xa0MB accepted"),
])
def test_bad_uploads_are_refused_with_a_reason(data, message):
    import weasyprint  # noqa: F401  (it makes Pillow accept truncated files process-wide)

    with pytest.raises(PhotoRefused, match=re.escape(message)):
        check_and_crop(data)


def test_the_upload_form_shows_the_error_to_the_focal_point(defaults, viet_nam, focal_vnm,
                                                            client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from convene.delegations.models import Member

    member = Member.objects.create(delegation=viet_nam, family_name="Tran")
    client.force_login(focal_vnm)
    bad = SimpleUploadedFile("me.gif", photo_bytes(fmt="GIF"), "image/gif")
    response = client.post(f"/accreditation/people/{member.pk}/photo/upload/", {"photo": bad},
                           follow=True)
    assert "This file is a GIF image; upload a JPEG or PNG image." in response.content.decode()
    good = SimpleUploadedFile("me.jpg", photo_bytes(), "image/jpeg")
    response = client.post(f"/accreditation/people/{member.pk}/photo/upload/",
                           {"photo": good}, follow=True)
    assert "cropped to the badge format" in response.content.decode()
    member.accreditation.refresh_from_db()
    assert member.accreditation.photo
