"""Badge PDFs: plain data in, PDF bytes out (WeasyPrint; Pango and HarfBuzz shape every script).

One A6 page per badge: the category colour band, photo, name, delegation, zone codes and the
QR code with the signed credential. The layout is an ordinary Django template and stylesheet
(templates/accreditation/badge_sheet.html, static/accreditation/badge.css) so that it can be
restyled without touching code. Fonts: Noto Sans, Noto Sans Arabic and Noto Sans CJK (Debian
fonts-noto-core and fonts-noto-cjk, installed by scripts/system-deps.sh).
"""

import io
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import zxingcpp
from django.template.loader import render_to_string
from PIL import Image, ImageOps

from convene.delegations.names import personal_name

STYLESHEET = Path(__file__).parent / "static" / "accreditation" / "badge.css"


@dataclass(frozen=True)
class BadgeData:
    badge_id: str  # short id printed under the QR code
    title: str
    name: str
    delegation: str
    category: str
    category_number: int
    colour: str  # "#RRGGBB"
    zone_codes: list[str]
    token: str
    event: str
    valid: str
    photo: bytes | None = None  # JPEG, already cropped to 35:45
    extra: dict = field(default_factory=dict)

    @property
    def direction(self) -> str:
        return text_direction(self.name)


def text_direction(text: str) -> str:
    """'rtl' when the first strong character is right-to-left (Arabic, Hebrew…), else 'ltr'."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def display_name(given: str, family: str) -> str:
    """The name as printed (family name first, without a space, for CJK names)."""
    return personal_name(given, family)


def _ink_for(colour: str) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


def category_css(badges) -> str:
    """One rule per category colour: the badge markup has no inline styles."""
    rules = {}
    for b in badges:
        rules[b.category_number] = (f".cat-{b.category_number} .event, .cat-{b.category_number} "
                                    f".category {{ background: {b.colour}; "
                                    f"color: {_ink_for(b.colour)}; }}")
    return "\n".join(rules.values())


def qr_png(token: str) -> bytes:
    """The QR code as a one-pixel-per-module greyscale PNG, printed with crisp edges (badge.css).

    Error correction M survives a scratched or creased badge; a 136-character credential fits
    version 8 (49 x 49 modules), printed 40 mm wide, with a two-module quiet zone around it.
    zxing-cpp encodes in C++ (segno, pure Python, was a seventh of the badge's cost). An 8-bit
    greyscale PNG is what WeasyPrint embeds without converting it first; a PNG rather than an
    SVG because WeasyPrint draws a 2,000-module SVG path far more slowly.
    """
    symbol = zxingcpp.create_barcode(token, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = symbol.to_image(scale=1, add_quiet_zones=False)  # 0 = dark, 255 = light
    height, width = memoryview(modules).shape
    image = ImageOps.expand(Image.frombuffer("L", (width, height), bytes(modules)),
                            border=QUIET_ZONE, fill=255)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)  # a few hundred bytes at any level
    return out.getvalue()


QUIET_ZONE = 2  # modules of white around the code; the white badge around it adds more


_SCHEME = "badge"


def _fetcher(badges):
    """Photos and QR codes handed to WeasyPrint by name ("badge:photo/3"), not as data: URIs
    that it would parse out of the HTML and decode again. Nothing else is fetched: a badge
    never loads a remote or local file."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Images(URLFetcher):
        def fetch(self, url, headers=None):
            kind, _, index = url.removeprefix(f"{_SCHEME}:").strip("/").partition("/")
            badge = badges[int(index)]
            if kind == "photo" and badge.photo:
                return URLFetcherResponse(url, badge.photo, {"Content-Type": "image/jpeg"})
            if kind == "qr":
                return URLFetcherResponse(url, qr_png(badge.token),
                                          {"Content-Type": "image/png"})
            raise ValueError(f"badges fetch nothing else: {url}")

    return Images(allowed_protocols={_SCHEME})


def html(badges) -> str:
    items = [{"b": b, "index": i, "has_photo": bool(b.photo)} for i, b in enumerate(badges)]
    return render_to_string("accreditation/badge_sheet.html", {"items": items})


def _html_document(badges):
    from weasyprint import HTML

    return HTML(string=html(badges), url_fetcher=_fetcher(badges))


_per_thread = threading.local()


def _fonts_and_stylesheet():
    """The font configuration and the parsed badge stylesheet, made once per thread and reused
    by every document it renders. A new font configuration per document reloads Fontconfig's
    setup and re-sorts every font fallback list: a worker paid that for each part of a batch.
    Per thread because Pango's font maps are not thread-safe."""
    if not hasattr(_per_thread, "fonts"):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        _per_thread.fonts = FontConfiguration()
        _per_thread.stylesheet = CSS(filename=str(STYLESHEET), font_config=_per_thread.fonts)
    return _per_thread.fonts, _per_thread.stylesheet


def _options(badges) -> dict:
    from weasyprint import CSS

    fonts, stylesheet = _fonts_and_stylesheet()
    return {"stylesheets": [stylesheet, CSS(string=category_css(badges), font_config=fonts)],
            "font_config": fonts}


def render_pdf(badges) -> bytes:
    badges = list(badges)
    return _html_document(badges).write_pdf(**_options(badges))


def render_document(badges):
    """The laid-out document (WeasyPrint's API), for checking fonts and text in tests."""
    badges = list(badges)
    return _html_document(badges).render(**_options(badges))
