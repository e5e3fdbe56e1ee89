"""The reception API; the same services and rules as the web pages."""

from ninja import Router

router = Router(tags=["reception"])
