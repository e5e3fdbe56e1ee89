"""Absolute links for what leaves the platform: e-mails, printed documents, feeds.

A request's Host header is the client's to choose; a link in an e-mail must point at the
platform itself, so it is made from the SITE_URL setting, never from the request.
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path_or_name: str, *args, **kwargs) -> str:
    """`absolute_url("/x/")`, or `absolute_url("app:name", pk)` like `reverse`."""
    path = path_or_name if path_or_name.startswith("/") else reverse(
        path_or_name, args=args or None, kwargs=kwargs or None)
    return f"{settings.SITE_URL}{path}"
