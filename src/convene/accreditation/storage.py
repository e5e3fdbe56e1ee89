"""Private files (badge photos, badge PDFs): stored under MEDIA_ROOT, never given a URL.

Nothing in Convene serves MEDIA_ROOT publicly; each private file is read by a view that checks
the permission first (accreditation.views.photo, badge batch downloads, gates.views.photo).
"""

from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def url(self, name):
        raise ValueError("private files have no public URL; serve them through a checked view")


_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    return _storage
