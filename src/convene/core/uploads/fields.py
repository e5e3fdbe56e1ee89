"""The form field every upload uses: a file refused, before it is read, when it is larger than
a limit of UPLOAD_LIMITS. Its content is checked by the service that stores it (the rule holds
for every caller), which raises UploadRefused for the view to show next to this field."""

from django import forms

from convene.core.uploads.base import limit, too_large


class BoundedFileField(forms.FileField):
    def __init__(self, *args, limit_name: str = "document_max_bytes", accept: str = "",
                 **kwargs):
        self.limit_name = limit_name
        if accept:  # the browser's file picker offers these first; nothing relies on it
            kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": accept}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        max_bytes = min(limit(self.limit_name), limit("file_max_bytes"))
        if upload and (upload.size > max_bytes or getattr(upload, "oversized", False)):
            raise forms.ValidationError(too_large(upload.size, max_bytes), code="too_large")
        return upload
