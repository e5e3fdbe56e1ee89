"""The press journey in a real browser (issue 14, "Done when").

A media focal point nominates a photographer and a camera operator and declares two items;
security vets both and the organiser approves and prints their badges (the accreditation
pipeline, unchanged); the photographer asks for a place at the signing table, wins it in an
allocation run and is admitted at the signing riser in the window and refused outside it, with
the gate online and offline; a release quoting the signature count is approved, published in
English and French, and corrected visibly.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from convene.accounts.models import Role
from convene.accreditation import keys
from convene.accreditation.models import Badge, BadgeSettings, Zone
from convene.gates.models import Checkpoint
from convene.press import services
from convene.press.models import CoverageOpportunity, Equipment, MediaProfile
from convene.treaty import services as treaty
from convene.treaty.models import Signature
from tests.accreditation.helpers import photo_bytes
from tests.conftest import make_entity, make_user
from tests.e2e.conftest import login, logout
from tests.files import pdf_bytes

pytestmark = pytest.mark.e2e


@pytest.fixture
def summit(settings, tmp_path, event, organiser):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONVENE_BADGE_KEY_DIR = str(tmp_path / "badge-keys")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    keys.generate()
    services.ensure_media_setup(event)
    BadgeSettings.objects.filter(event=event).update(
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=timezone.now() + timedelta(days=3))
    press = make_user("press", Role.PRESS_OFFICER)
    for role in (Role.SECURITY_OFFICER, Role.COMMUNICATIONS_OFFICER, Role.RELEASE_APPROVER):
        make_user(role.value, role)
    focal = make_user("afp.focal", Role.MEDIA_FOCAL_POINT)
    afp = services.create_outlet(press, event, {"name": "Agence France-Presse", "code": "AFP",
                                                "kind": "agency", "country": "France",
                                                "tier": 0})
    services.add_focal_point(press, afp, focal)
    riser = Zone.objects.get(event=event, code="PR")
    now = timezone.now()
    opp = services.save_opportunity(press, event, {
        "title": "Signing table", "zone": riser, "starts_at": now - timedelta(minutes=5),
        "ends_at": now + timedelta(minutes=40), "photo": 1})
    gate = Checkpoint.objects.create(event=event, name="Signing riser", zone=riser)
    t = treaty.load_treaty()
    Signature.objects.bulk_create(Signature(
        treaty=t, entity=make_entity(f"S{i}", f"State {i}"), signed_on=date(2025, 10, 25),
        place="Hanoi", full_powers_required=False) for i in range(3))
    yield {"afp": afp, "opp": opp, "gate": gate, "tmp": tmp_path}
    keys._load.cache_clear()


def nominate(page, url, afp, tmp, *, given, family, function, passport):
    page.goto(f"{url}/press/outlets/{afp.pk}/nominate/")
    form = page.locator("#nominate-form")
    form.locator("[name=given_name]").fill(given)
    form.locator("[name=family_name]").fill(family)
    form.locator("[name=function]").select_option(function)
    form.locator("[name=nationality]").fill("French")
    form.locator("[name=passport_number]").fill(passport)
    form.locator("[name=email]").fill(f"{family.lower()}@example.org")
    photo, letter = tmp / f"{family}.jpg", tmp / f"{family}.pdf"
    photo.write_bytes(photo_bytes())
    letter.write_bytes(pdf_bytes())
    form.locator("[name=photo]").set_input_files(str(photo))
    form.locator("[name=letter]").set_input_files(str(letter))
    form.get_by_role("button", name="Nominate").click()
    expect(page.locator(".messages")).to_contain_text(f"{given} {family} nominated")
    profile = MediaProfile.objects.get(passport_number=passport)
    expect(page.locator(f"#staff-{profile.pk}")).to_have_attribute("data-stage", "submitted")
    return profile


def declare(page, profile, kind, serial):
    form = page.locator(f"#staff-{profile.pk} form.equipment-form")
    form.locator("[name=kind]").select_option(kind)
    form.locator("[name=serial]").fill(serial)
    form.get_by_role("button", name="Declare").click()
    expect(page.locator(f"#staff-{profile.pk} ul.equipment")).to_contain_text(serial)


def bulk(page, url, queue, people, action):
    page.goto(f"{url}/accreditation/?queue={queue}")
    for p in people:
        page.locator(f"#acc-{p.member.pk}").get_by_role("checkbox").check()
    page.locator("#bulk-action").select_option(action)
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".messages")).to_contain_text(f"{len(people)} done.")


def scan(page, token, verdict, reason, mode):
    field = page.locator("#scan-input")
    field.fill(token)
    field.press("Enter")
    box = page.locator("#verdict")
    expect(box).to_have_attribute("data-verdict", verdict)
    expect(box).to_have_attribute("data-reason", reason)
    expect(box).to_have_attribute("data-mode", mode)


def open_gate(page, url, gate, passes):
    page.goto(f"{url}/gates/{gate.pk}/")
    expect(page.locator("#bundle-info")).to_have_attribute("data-ready", "1")
    expect(page.locator("#bundle-info")).to_have_attribute("data-pools", str(passes))
    expect(page.locator("#net")).to_have_attribute("data-online", "1")


def back_online(page):
    """The network returns: the gate uploads its queue, then fetches a fresh bundle. Wait for
    both, so that no request of the gate runs beside the test's next write (one SQLite
    writer at a time in the test database)."""
    with page.expect_response(lambda r: r.url.endswith("/bundle")
                              and r.request.method == "GET"):
        page.context.set_offline(False)
    expect(page.locator("#pending")).to_have_attribute("data-count", "0")


def test_press_journey(page, live_server, summit, browser_errors):
    url, afp, opp, gate = live_server.url, summit["afp"], summit["opp"], summit["gate"]

    # --- The media focal point nominates a photographer and a camera operator ----------------
    login(page, live_server, "afp.focal")
    photographer = nominate(page, url, afp, summit["tmp"], given="Linh", family="Pham",
                            function="photographer", passport="FR-PH-1")
    camera = nominate(page, url, afp, summit["tmp"], given="Marc", family="Durand",
                      function="camera", passport="FR-CA-2")
    declare(page, camera, "camera", "SONY-FX9-001")
    declare(page, camera, "tripod", "SACHTLER-77")
    assert Equipment.objects.filter(profile=camera).count() == 2
    logout(page)

    # --- Security vets both, the organiser approves and prints: the one pipeline ------------
    login(page, live_server, "security_officer")
    bulk(page, url, "vetting", [photographer, camera], "clear")
    page.goto(f"{url}/press/equipment/")
    expect(page.locator("table.equipment")).to_contain_text("SONY-FX9-001")
    logout(page)
    login(page, live_server, "organiser")
    bulk(page, url, "approval", [photographer, camera], "approve")
    page.goto(f"{url}/accreditation/people/{photographer.member.pk}/")
    page.get_by_role("button", name="Print badge").click()
    expect(page).to_have_url(f"{url}/accreditation/badges/")
    badge = Badge.objects.get(accreditation__member=photographer.member)
    assert badge.accreditation.category.name == "Media (photo)"
    logout(page)

    # --- The photographer asks for a place; the pool coordinator allocates and publishes ------
    login(page, live_server, "afp.focal")
    page.goto(f"{url}/press/pools/{opp.pk}/")
    form = page.locator("#request-form")
    form.locator("[name=profile]").select_option(str(photographer.pk))
    form.locator("[name=kind]").select_option("photo")
    form.get_by_role("button", name="Ask").click()
    expect(page.locator(".messages")).to_contain_text("Place requested")
    logout(page)
    login(page, live_server, "press")
    page.goto(f"{url}/press/pools/{opp.pk}/")
    page.locator("#seed-input").fill("hanoi-2025")
    page.get_by_role("button", name="Run the allocation").click()
    expect(page.locator("#seed")).to_have_text("hanoi-2025")
    expect(page.locator(f"#pool-list tr[data-profile='{photographer.pk}']")).to_be_visible()
    page.get_by_role("button", name="Publish the pool list").click()
    expect(page.locator(".messages")).to_contain_text("Pool list published")
    logout(page)

    # --- At the signing riser: admitted in the window, refused outside, online and offline --
    login(page, live_server, "security_officer")
    open_gate(page, url, gate, 1)
    scan(page, badge.token, "accepted", "pool_position", "online")
    page.context.set_offline(True)
    scan(page, badge.token, "accepted", "pool_position", "offline")
    expect(page.locator("#verdict .verdict-name")).to_have_text("Linh Pham")
    back_online(page)
    # The window moves to later today: now is outside it (the gate page is closed meanwhile:
    # the test's database is shared with the live server, one writer at a time).
    page.goto("about:blank")
    later = timezone.now() + timedelta(hours=2)
    CoverageOpportunity.objects.filter(pk=opp.pk).update(starts_at=later,
                                                         ends_at=later + timedelta(hours=1))
    open_gate(page, url, gate, 1)
    scan(page, badge.token, "rejected", "zone_not_allowed", "online")
    page.context.set_offline(True)
    scan(page, badge.token, "rejected", "zone_not_allowed", "offline")
    back_online(page)
    logout(page)

    # --- A release quoting the signature count: drafted, reviewed, approved, published ------
    login(page, live_server, "communications_officer")
    page.goto(f"{url}/press/desk/")
    form = page.locator("#release-form")
    form.locator("[name=title]").fill("Signatures in Hanoi")
    form.locator("[name=body]").fill("[[signatures]] States have signed the Convention.")
    form.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#text-en tr[data-figure=signatures] .value")).to_have_text("3")
    form = page.locator("#text-form")
    form.locator("[name=language]").select_option("fr")
    form.locator("[name=title]").fill("Signatures à Hanoï")
    form.locator("[name=body]").fill("[[signatures]] États ont signé la Convention.")
    form.get_by_role("button", name="Save the text").click()
    for lang in ("en", "fr"):
        section = page.locator(f"#text-{lang}")
        for box in section.locator("input[name=checklist]").all():
            box.check()
        section.get_by_role("button", name="Record the review").click()
        expect(page.locator(f"#text-{lang}")).to_have_attribute("data-reviewed", "1")
    logout(page)
    login(page, live_server, "release_approver")
    page.goto(f"{url}/press/desk/")
    page.get_by_role("link", name="signatures-in-hanoi").click()
    page.locator("#approve").click()
    expect(page.locator("#release-status")).to_have_attribute("data-status", "approved")
    page.locator("#publish").click()
    expect(page.locator("#release-status")).to_have_attribute("data-status", "published")

    # --- ... and corrected, visibly, in French ------------------------------------------------
    section = page.locator("#text-fr")
    section.locator("details.correct summary").click()
    form = section.locator("form.correction-form")
    form.locator("[name=body]").fill("[[signatures]] États ont signé la Convention à Hanoï.")
    form.locator("[name=reason]").fill("Lieu de signature ajouté")
    form.get_by_role("button", name="Publish the correction").click()
    expect(page.locator(".messages")).to_contain_text("Correction published")
    logout(page)

    page.goto(f"{url}/press/newsroom/")
    article = page.locator("article.release").first
    expect(article.locator("[data-lang=en]")).to_be_visible()
    expect(article.locator("[data-lang=fr]")).to_be_visible()
    article.locator("[data-lang=en]").click()
    expect(page.locator("#release .release-body")).to_contain_text(
        "3 States have signed the Convention.")
    page.goto(page.url.replace("/en/", "/fr/"))
    expect(page.locator("#release")).to_have_attribute("data-revision", "2")
    expect(page.locator("#correction-note")).to_contain_text("Lieu de signature ajouté")
    expect(page.locator("#release .release-body")).to_contain_text("à Hanoï")
    expect(page.locator("#history li")).to_have_count(2)
