"""Accreditation to gate, in a real browser (issue 3, "Done when").

The organiser approves a delegate security has vetted and prints the badge; at the gate page
the badge's QR text (typed, as a handheld scanner does) is accepted, refused in a zone the
badge lacks and refused on a second entry without an exit; then the network goes down
(Playwright's set_offline): the page still decides, on the device, queues its scans, survives
a reload, and when the network returns it uploads them with nothing lost.
"""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from convene.accounts.models import Role
from convene.accreditation import keys
from convene.accreditation import services as accreditation
from convene.accreditation.models import Badge, BadgeSettings, Zone
from convene.audit.models import AuditEvent
from convene.delegations.models import Member
from convene.gates import services
from convene.gates.models import Checkpoint, Presence, Scan
from tests.accreditation.helpers import photo_bytes
from tests.conftest import make_user
from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e


@pytest.fixture
def venue(settings, tmp_path, event, viet_nam, organiser, focal_vnm):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONVENE_BADGE_KEY_DIR = str(tmp_path / "badge-keys")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    keys.generate()
    accreditation.ensure_defaults(event)
    # The fixture event is in 2025: badges printed today must be valid today.
    BadgeSettings.objects.filter(event=event).update(
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=timezone.now() + timedelta(days=3))
    security = make_user("security", Role.SECURITY_OFFICER)
    tran = Member.objects.create(delegation=viet_nam, title="Ms.", given_name="Thi B",
                                 family_name="Tran", rank="vice_minister")
    accreditation.upload_photo(focal_vnm, tran, photo_bytes())
    accreditation.submit(focal_vnm, tran)
    accreditation.record_vetting(security, tran, True)  # vetted: waiting for the organiser
    # A colleague already holding a badge, who arrives while the network is down.
    le = Member.objects.create(delegation=viet_nam, given_name="Van C", family_name="Le")
    accreditation.upload_photo(focal_vnm, le, photo_bytes(colour=(160, 90, 90)))
    accreditation.submit(focal_vnm, le)
    accreditation.record_vetting(security, le, True)
    accreditation.decide(organiser, le, True)
    accreditation.create_batch(organiser, event, "all_approved", member_ids=[le.pk])
    zone = {z.code: z for z in Zone.objects.filter(event=event)}
    plenary = Checkpoint.objects.create(event=event, name="Plenary hall north", zone=zone["P"])
    vip = Checkpoint.objects.create(event=event, name="VIP lounge door", zone=zone["V"])
    yield {"tran": tran, "le": le, "plenary": plenary, "vip": vip}
    keys._load.cache_clear()


def open_gate(page, url, checkpoint):
    page.goto(f"{url}/gates/{checkpoint.pk}/")
    info = page.locator("#bundle-info")
    expect(info).to_have_attribute("data-ready", "1")
    expect(page.locator("#net")).to_have_attribute("data-online", "1")
    people = info.get_attribute("data-people")
    expect(info).to_have_attribute("data-photos", f"{people}/{people}")  # all photos cached


def present(page, token):
    """What a USB handheld scanner does: type the code into the focused field, then Enter."""
    field = page.locator("#scan-input")
    expect(field).to_be_focused()
    field.fill(token)
    field.press("Enter")


def expect_verdict(page, verdict, reason, mode):
    box = page.locator("#verdict")
    expect(box).to_have_attribute("data-verdict", verdict)
    expect(box).to_have_attribute("data-reason", reason)
    expect(box).to_have_attribute("data-mode", mode)
    return box


def test_approve_print_and_pass_the_gates_online_and_offline(page, live_server, venue,
                                                            browser_errors):
    url = live_server.url
    tran, le = venue["tran"], venue["le"]

    # --- The organiser approves the vetted delegate from the approval queue, in bulk --------
    login(page, live_server, "organiser")
    page.goto(f"{url}/accreditation/?queue=approval")
    row = page.locator(f"#acc-{tran.pk}")
    expect(row.locator("[data-vetting]")).to_have_attribute("data-vetting", "cleared")
    row.get_by_role("checkbox").check()
    page.locator("#bulk-action").select_option("approve")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".messages")).to_contain_text("1 done.")
    expect(page.locator(f"#acc-{tran.pk}")).to_have_count(0)  # no longer waiting

    # --- ... and prints the badge: a background task renders the PDF -------------------------
    page.goto(f"{url}/accreditation/people/{tran.pk}/")
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "approved")
    page.get_by_role("button", name="Print badge").click()
    expect(page).to_have_url(f"{url}/accreditation/badges/")
    badge = Badge.objects.get(accreditation__member=tran)
    batch_row = page.locator(f"#batch-{badge.batch_id}")
    expect(batch_row).to_have_attribute("data-status", "done")
    expect(batch_row.locator("progress")).to_have_attribute("value", "1")
    with page.expect_download() as download:
        batch_row.get_by_role("link", name="Part 1").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    page.goto(f"{url}/accreditation/people/{tran.pk}/")
    expect(page.locator("[data-stage]").first).to_have_attribute("data-stage", "issued")
    page.locator("details.token summary").click()
    tran_token = page.locator("[data-token]").inner_text().strip()
    assert tran_token == badge.token
    logout(page)

    # --- At the plenary hall: accepted, with name and photo; then no second entry ----------
    login(page, live_server, "security")
    open_gate(page, url, venue["plenary"])
    present(page, tran_token)
    box = expect_verdict(page, "accepted", "accepted", "online")
    expect(box.locator(".verdict-word")).to_have_text("PASS")
    expect(box.locator(".verdict-name")).to_have_text("Ms. Thi B Tran")
    photo = box.locator(".verdict-photo")
    expect(photo).to_be_visible()
    page.wait_for_function("document.querySelector('.verdict-photo').naturalWidth === 140")

    present(page, tran_token)
    box = expect_verdict(page, "rejected", "already_inside", "online")
    expect(box.locator(".verdict-word")).to_have_text("STOP")
    expect(box.locator(".verdict-reason")).to_have_text(
        "Already inside: no second entry without an exit")
    # A supervisor lets them in again, saying why: accepted, and logged.
    page.locator("#override-reason").fill("Went out through the garden door with her minister")
    page.get_by_role("button", name="Let in (logged override)").click()
    expect_verdict(page, "accepted", "overridden", "online")
    override = AuditEvent.objects.get(action="gate.passback_overridden")
    assert override.actor_name == "security" and "garden door" in override.after["reason"]

    # --- At the VIP lounge, a zone the delegate's badge lacks ----------------------------------
    open_gate(page, url, venue["vip"])
    present(page, tran_token)
    expect_verdict(page, "rejected", "zone_not_allowed", "online")
    expect(page.locator("#verdict .verdict-reason")).to_have_text("No access to this zone")
    assert Scan.objects.filter(offline=False).count() == 4

    # --- The venue network goes down: the plenary gate still decides -------------------------
    open_gate(page, url, venue["plenary"])
    le_badge = Badge.objects.get(accreditation__member=le)
    page.context.set_offline(True)
    expect(page.locator("#net")).to_have_attribute("data-online", "0")
    # Meanwhile the south door, offline too, let Le in a few minutes ago, and has synced: this
    # gate cannot know; anti-passback across gates is checked after the fact, when it syncs.
    south = Checkpoint.objects.create(event=venue["plenary"].event, name="Plenary hall south",
                                      zone=venue["plenary"].zone)
    services.ingest(make_user("south", Role.SECURITY_OFFICER), south, [services.OfflineScan(
        uuid=uuid.uuid4(), token=le_badge.token, accepted=True, reason="accepted",
        scanned_at=timezone.now() - timedelta(minutes=5))])
    present(page, le_badge.token)
    box = expect_verdict(page, "accepted", "accepted", "offline")
    expect(box.locator(".verdict-name")).to_have_text("Van C Le")  # from the cached roster
    page.wait_for_function("document.querySelector('.verdict-photo').naturalWidth === 140")
    present(page, tran_token)  # inside since this morning: no second entry, offline too
    expect_verdict(page, "rejected", "already_inside", "offline")
    present(page, "https://example.org/ticket/42")  # some other QR code
    expect_verdict(page, "rejected", "unreadable", "offline")
    expect(page.locator("#pending")).to_have_text("3")
    # nothing reached the server
    assert Scan.objects.filter(checkpoint=venue["plenary"], offline=True).count() == 0

    # The phone's browser restarts the page, still without network: the service worker serves
    # it, the queue is still there, and it still decides.
    page.reload()
    expect(page.locator("#pending")).to_have_text("3")
    expect(page.locator("#bundle-info")).to_have_attribute("data-ready", "1")
    present(page, le_badge.token)
    expect_verdict(page, "rejected", "already_inside", "offline")
    expect(page.locator("#pending")).to_have_text("4")

    # --- The network returns: the queue is uploaded, nothing lost, nothing doubled ----------
    page.context.set_offline(False)
    expect(page.locator("#pending")).to_have_text("0")
    expect(page.locator("#net")).to_have_attribute("data-online", "1")
    # The server answers that Le's entry here was a second one (south had let Le in): the gate
    # says so.
    expect(page.locator("#recent li[data-reason=passback_conflict]")).to_contain_text(
        "Van C Le")
    offline = Scan.objects.filter(offline=True, checkpoint=venue["plenary"]).order_by(
        "scanned_at")
    assert [(s.badge_id, s.accepted, s.reason) for s in offline] == [
        (le_badge.id, True, "accepted"), (badge.id, False, "already_inside"),
        (None, False, "unreadable"), (le_badge.id, False, "already_inside")]
    assert Presence.objects.get(badge=le_badge, zone=venue["plenary"].zone).inside
    assert Scan.objects.filter(checkpoint=venue["plenary"]).count() == 7
    assert Scan.objects.get(checkpoint=venue["plenary"], badge=le_badge,
                            accepted=True).passback_conflict

    # --- A revocation reaches an online gate at once -------------------------------------------
    accreditation.revoke(make_user("chief", Role.SECURITY_OFFICER), tran, "Badge reported lost")
    present(page, tran_token)
    expect_verdict(page, "rejected", "revoked", "online")
