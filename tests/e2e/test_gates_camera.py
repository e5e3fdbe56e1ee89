"""The gate reads printed badges through the phone's camera (issue 16, "The gate, for real
devices").

Chromium is given a fake camera whose picture is a video made from real printed badges: each
badge is rendered to its PDF by the badge code, rasterised as a printer would (pdftoppm), and
written frame by frame into a Y4M file (a text header and raw I420 frames). The video shows
Tran's valid badge, then nothing, then Le's revoked badge, then nothing, and loops. Chromium on
Linux has no BarcodeDetector, so this runs the vendored ZXing WebAssembly decoder under the
gate page's CSP. The gate sees Tran's badge and grants, sees Le's and refuses it (revoked).
"""

import subprocess
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from convene.accounts.models import Role
from convene.accreditation import badges as badge_pdf
from convene.accreditation import keys
from convene.accreditation import services as accreditation
from convene.accreditation.models import Badge, BadgeSettings, Zone
from convene.accreditation.tasks import badge_data
from convene.delegations.models import Member
from convene.gates.models import Checkpoint, Scan
from tests.accreditation.helpers import photo_bytes
from tests.conftest import make_user
from tests.e2e.conftest import (
    _REPORT_CSP_VIOLATIONS,
    CHROMIUM_ARGS,
    TIMEOUT_MS,
    _chromium_path,
    login,
)

pytestmark = pytest.mark.e2e

WIDTH, HEIGHT, FPS = 960, 720, 5


def printed_badge(badge: Badge, tmp_path) -> Image.Image:
    """The badge as it comes out of the printer, photographed flat: its PDF at 150 dpi."""
    pdf = tmp_path / f"{badge.short_id}.pdf"
    pdf.write_bytes(badge_pdf.render_pdf([badge_data(badge)]))
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf),
                    str(tmp_path / badge.short_id)], check=True, timeout=60)
    return Image.open(tmp_path / f"{badge.short_id}.png").convert("RGB")


def frame_of(badge_image: Image.Image | None) -> bytes:
    """One I420 frame: the badge held in front of a grey wall, or the wall alone."""
    frame = Image.new("RGB", (WIDTH, HEIGHT), (118, 122, 128))
    if badge_image is not None:
        scale = (HEIGHT - 40) / badge_image.height
        shown = badge_image.resize((round(badge_image.width * scale), HEIGHT - 40),
                                   Image.Resampling.LANCZOS)
        frame.paste(shown, ((WIDTH - shown.width) // 2, 20))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (WIDTH // 2, HEIGHT // 2)
    return (y.tobytes() + cb.resize(half, Image.Resampling.BOX).tobytes()
            + cr.resize(half, Image.Resampling.BOX).tobytes())


def write_y4m(path, scenes) -> None:
    """scenes: (image or None, seconds). YUV4MPEG2: one header line, then FRAME + planes."""
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode())
        for image, seconds in scenes:
            frame = frame_of(image)
            for _ in range(round(seconds * FPS)):
                out.write(b"FRAME\n" + frame)


@pytest.fixture
def badges_on_camera(settings, tmp_path, event, viet_nam, organiser, focal_vnm):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONVENE_BADGE_KEY_DIR = str(tmp_path / "badge-keys")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    keys.generate()
    accreditation.ensure_defaults(event)
    BadgeSettings.objects.filter(event=event).update(
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=timezone.now() + timedelta(days=3))
    security = make_user("security", Role.SECURITY_OFFICER)
    people = {}
    for given, family in (("Thi B", "Tran"), ("Van C", "Le")):
        member = Member.objects.create(delegation=viet_nam, given_name=given, family_name=family)
        accreditation.upload_photo(focal_vnm, member, photo_bytes())
        accreditation.submit(focal_vnm, member)
        accreditation.record_vetting(security, member, True)
        accreditation.decide(organiser, member, True)
        people[family] = member
    accreditation.create_batch(organiser, event, "all_approved",
                               member_ids=[m.pk for m in people.values()])
    tran = Badge.objects.get(accreditation__member=people["Tran"])
    le = Badge.objects.get(accreditation__member=people["Le"])
    video = tmp_path / "badges.y4m"
    write_y4m(video, [(printed_badge(tran, tmp_path), 2.4), (None, 1),
                      (printed_badge(le, tmp_path), 2.4), (None, 1)])
    # Le's badge was reported lost after printing: the gate must refuse it.
    accreditation.revoke(security, people["Le"], "Reported lost")
    zone = Zone.objects.get(event=event, code="P")
    plenary = Checkpoint.objects.create(event=event, name="Plenary hall north", zone=zone)
    yield {"video": video, "tran": tran, "le": le, "plenary": plenary}
    keys._load.cache_clear()


@pytest.fixture
def page(browser, badges_on_camera, live_server, browser_errors, settings):
    """A Chromium of its own, whose camera films the printed badges (the flag is per browser)."""
    settings.SITE_URL = live_server.url
    camera = browser.browser_type.launch(
        executable_path=_chromium_path(), headless=True, timeout=30_000,
        args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream",
              "--use-fake-device-for-media-stream",
              f"--use-file-for-fake-video-capture={badges_on_camera['video']}"])
    context = camera.new_context(base_url=live_server.url, locale="en-GB",
                                 timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(TIMEOUT_MS)
    context.grant_permissions(["camera"], origin=live_server.url)
    context.expose_binding("__conveneReportCsp",
                           lambda source, text: browser_errors.add("CSP violation", text))
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    page = context.new_page()

    def on_console(msg):
        where = msg.location.get("url", "")
        if msg.type == "error" and urlsplit(where).path != "/favicon.ico":  # as in conftest
            browser_errors.add("console error", f"{msg.text} ({where})")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: browser_errors.add("uncaught exception", str(exc)))
    yield page
    context.close()
    camera.close()


def test_the_gate_camera_reads_printed_badges_and_decides(page, live_server, badges_on_camera):
    tran, le = badges_on_camera["tran"], badges_on_camera["le"]
    login(page, live_server, "security")
    page.goto(f"{live_server.url}/gates/{badges_on_camera['plenary'].pk}/")
    expect(page.locator("#bundle-info")).to_have_attribute("data-ready", "1")
    # Chromium on Linux has no BarcodeDetector of its own: the vendored decoder reads.
    assert page.evaluate("'BarcodeDetector' in window") is False
    page.get_by_role("button", name="Use the camera").click()
    expect(page.locator("#gate")).to_have_attribute("data-camera", "on")
    expect(page.locator("#camera")).to_be_visible()

    recent = page.locator("#recent")
    granted = recent.locator("li[data-reason=accepted]")
    expect(granted.first).to_contain_text("Thi B Tran", timeout=20_000)
    expect(recent.locator("li[data-reason=revoked]").first).to_be_attached(timeout=20_000)

    first = Scan.objects.filter(badge=tran).order_by("scanned_at").first()
    assert (first.accepted, first.reason, first.offline) == (True, "accepted", False)
    assert Scan.objects.filter(badge=le, accepted=False, reason="revoked").exists()
    assert not Scan.objects.filter(badge=le, accepted=True).exists()
    # Held in view for seconds, read five times a second: each appearance counts once.
    assert Scan.objects.filter(badge=tran, reason="accepted").count() == 1
