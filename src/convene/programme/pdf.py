"""PDFs of printable pages (WeasyPrint). Stylesheets are read from the static files on disk:
WeasyPrint never fetches anything over the network (not even from this server)."""

import mimetypes
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string


def _static_only_fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serve the page's own static files from disk; refuse every other URL."""

        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            prefix = "/" + settings.STATIC_URL.lstrip("/")
            found = finders.find(path[len(prefix):]) if path.startswith(prefix) else None
            if not found:
                raise ValueError(f"not a static file of Convene: {url}")
            with open(found, "rb") as f:
                body = f.read()
            return URLFetcherResponse(url, body, {
                "Content-Type": mimetypes.guess_type(found)[0] or "application/octet-stream"})

    return StaticOnlyFetcher()


def pdf_response(request, template: str, context: dict, filename: str,
                 stylesheet: str | None = None) -> HttpResponse:
    from weasyprint import CSS, HTML

    html = render_to_string(template, context, request=request)
    stylesheets = [CSS(filename=finders.find(stylesheet))] if stylesheet else []
    # Relative links in the printed page become links to SITE_URL, never to the Host the
    # request named; the fetcher still reads only our static files, from disk.
    pdf = HTML(string=html, base_url=f"{settings.SITE_URL}/",
               url_fetcher=_static_only_fetcher()).write_pdf(stylesheets=stylesheets)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
