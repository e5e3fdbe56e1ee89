"""Django upload handler that keeps no more of a file than UPLOAD_LIMITS["file_max_bytes"].

Django has no bound of its own on uploaded files (DATA_UPLOAD_MAX_MEMORY_SIZE leaves files out):
a stranger's 10 GB upload would be written to the temporary directory in full before any form
looked at its size. This handler comes first in FILE_UPLOAD_HANDLERS: once a file passes the
limit, the handlers after it receive nothing more of it, and the form gets an empty stand-in
that carries the size sent, which every upload field refuses as too large. (The reverse proxy's
body limit, docs/deployment.md, stops such a request before it reaches the application.)
"""

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from convene.core.uploads.base import limit


class OversizedUpload(UploadedFile):
    """What the form receives instead of a file past the limit: its name and size, no content."""

    oversized = True

    def __init__(self, name, content_type, size, charset=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class FileSizeCapHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > limit("file_max_bytes"):
            return None  # the next handlers (memory, temporary file) get no more of it
        return raw_data

    def file_complete(self, file_size):
        if self.received <= limit("file_max_bytes"):
            return None  # the next handler completes the file as usual
        return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
