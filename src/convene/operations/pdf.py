"""Printing the readiness report: WeasyPrint renders the same HTML the report page shows."""

from django.contrib.staticfiles import finders

PRINT_CSS = "operations/report-print.css"


def html_to_pdf(html: str) -> bytes:
    """A PDF of `html`. Nothing is fetched from outside: the stylesheet is read from the
    static files and the charts are inline SVG, so a report cannot make the server call out."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=["data"])
    css = CSS(filename=finders.find(PRINT_CSS), url_fetcher=fetcher)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[css])
