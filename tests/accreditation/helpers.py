"""Bring people to a point of the accreditation workflow, for tests that start there."""

import io

from PIL import Image, ImageDraw

from convene.accreditation import services
from convene.accreditation.models import Accreditation
from convene.accreditation.workflow import Stage, Vetting


def photo_bytes(size=(600, 800), fmt="JPEG", colour=(90, 120, 160)) -> bytes:
    """A portrait-like test image (a head on a plain background)."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * .3, h * .15, w * .7, h * .55), fill=(225, 190, 160))
    draw.rectangle((w * .2, h * .6, w * .8, h), fill=(40, 40, 60))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def vetted_for_approval(member) -> Accreditation:
    """As if the focal point had submitted the person with a photo and security had cleared
    them: what the organiser needs before approving (the workflow itself is tested in
    tests/accreditation). The photo is a name only: these tests never read it."""
    acc, _ = Accreditation.objects.update_or_create(member=member, defaults={
        "category": services.default_category(member), "stage": Stage.SUBMITTED,
        "vetting": Vetting.CLEARED, "photo": "accreditation/photos/test-only.jpg"})
    return acc
