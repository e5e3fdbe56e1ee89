"""The form field every upload uses: a file refused, before it is read, when it is larger than
a limit of UPLOAD_LIMITS. Its content is checked by the service that stores it (the rule holds
for every caller), which raises UploadRefused for the view to show next to this field."""

from django import forms
from django.utils.functional import lazy

from convene.core.uploads.base import limit, size_text, too_large


class BoundedFileField(forms.FileField):
    """`help_text` may say "%(size)s": it shows the limit as set, in the reader's language."""

    def __init__(self, *args, limit_name: str = "document_max_bytes", accept: str = "",
                 **kwargs):
        self.limit_name = limit_name
        if accept:  # the browser's file picker offers these first; nothing relies on it
            kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        if help_text := kwargs.get("help_text"):
            kwargs["help_text"] = lazy(
                lambda: str(help_text) % {"size": size_text(self.max_bytes())}, str)()
        super().__init__(*args, **kwargs)

    def max_bytes(self) -> int:
        return min(limit(self.limit_name), limit("file_max_bytes"))

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        max_bytes = self.max_bytes()
        if upload and (upload.size > max_bytes or getattr(upload, "oversized", False)):
            raise forms.ValidationError(too_large(upload.size, max_bytes), code="too_large")
        return upload
