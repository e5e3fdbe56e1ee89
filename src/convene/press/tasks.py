"""Background work of the newsroom: resizing gallery photos."""

import io
import logging

from django.core.files.base import ContentFile
from django_tasks import task
from PIL import ImageOps

from convene.core.uploads import decode_image
from convene.press.models import GalleryPhoto

log = logging.getLogger(__name__)
SIZES = {"web": 1600, "thumb": 400}  # longest side, pixels


def resized(data: bytes, longest: int) -> bytes:
    image, _kind = decode_image(data)
    image = ImageOps.exif_transpose(image).convert("RGB")
    image.thumbnail((longest, longest))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)  # re-encoded: no metadata of the original survives
    return out.getvalue()


@task()
def resize_gallery_photo(photo_id: int) -> int:
    photo = GalleryPhoto.objects.get(pk=photo_id)
    with photo.original.open("rb") as fh:
        data = fh.read()
    for field, longest in SIZES.items():
        getattr(photo, field).save(f"{field}.jpg", ContentFile(resized(data, longest)),
                                   save=False)
    photo.save(update_fields=list(SIZES))
    return photo_id
