"""Printing the readiness report: WeasyPrint renders the same HTML the report page shows."""

from django.conf import settings
from django.contrib.staticfiles import finders

PRINT_CSS = "operations/report-print.css"


def html_to_pdf(html: str) -> bytes:
    """A PDF of `html`. Nothing is fetched from outside: the stylesheet is read from the
    static files and the charts are inline SVG, so a report cannot make the server call out.
    Its links point at SITE_URL (a relative one is resolved against it)."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=["data"])
    css = CSS(filename=finders.find(PRINT_CSS), url_fetcher=fetcher)
    return HTML(string=html, base_url=f"{settings.SITE_URL}/",
                url_fetcher=fetcher).write_pdf(stylesheets=[css])
