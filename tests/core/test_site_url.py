"""Every link that leaves the platform (e-mails, printed documents, calendar addresses people
copy) points at SITE_URL, whatever Host header the request that caused it carried: a client
chooses its Host header, and a password link built from it would send the key to them."""

import io
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from convene.accounts.models import Role
from convene.accreditation import services as accreditation
from convene.operations import services as operations
from convene.programme import services as programme
from tests.accreditation.helpers import vetted_for_approval
from tests.conftest import make_user
from tests.programme.builders import make_script, make_session

SITE = "https://convene.example.org"
HOSTILE = "evil.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = [HOSTILE, "testserver"]  # a misconfigured proxy lets it through
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def hostile_client(user=None) -> Client:
    client = Client(HTTP_HOST=HOSTILE)
    if user is not None:
        client.force_login(user)
    return client


def links(text: str) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", text)


def only_site_links(text: str) -> list[str]:
    found = links(text)
    assert found, "no link at all"
    assert HOSTILE not in text
    assert all(url == SITE or url.startswith(SITE + "/") for url in found), found
    return found


# --- E-mails --------------------------------------------------------------------------------

def test_a_new_focal_points_password_link_is_on_site_url(organiser, viet_nam, mailoutbox):
    response = hostile_client(organiser).post(
        f"/team/delegations/{viet_nam.pk}/focal-points/new/",
        {"username": "focal.new", "email": "new@mofa.example.org"})
    assert response.status_code == 302
    (mail,) = mailoutbox
    found = only_site_links(mail.body)
    assert any(url.startswith(f"{SITE}/accounts/password/reset/key/") for url in found)
    assert mail.subject.startswith("[Convene] ")
    # The link works: it opens the page where the focal point sets a password.
    key_path = next(u for u in found if "/reset/key/" in u).removeprefix(SITE)
    assert Client().get(key_path, follow=True).status_code == 200


def test_a_forgotten_password_link_is_on_site_url(focal_vnm, mailoutbox):
    Client(HTTP_HOST=HOSTILE).post("/accounts/password/reset/",
                                   {"email": focal_vnm.email})
    (mail,) = mailoutbox
    assert any("/accounts/password/reset/key/" in url for url in only_site_links(mail.body))


def test_no_mail_goes_to_an_address_nobody_has(db, mailoutbox):
    response = Client(HTTP_HOST=HOSTILE).post("/accounts/password/reset/",
                                              {"email": "stranger@example.org"})
    assert response.status_code == 302  # the same answer as for a known address
    assert mailoutbox == []


def test_an_accreditation_decision_mail_links_the_delegation_on_site_url(
        event, organiser, member, focal_vnm, mailoutbox, django_capture_on_commit_callbacks):
    accreditation.ensure_defaults(event)
    vetted_for_approval(member)
    with django_capture_on_commit_callbacks(execute=True):
        accreditation.decide(organiser, member, True)
    (mail,) = mailoutbox
    assert f"{SITE}/delegations/{member.delegation_id}/" in only_site_links(mail.body)


def test_a_readiness_notification_links_the_item_on_site_url(event, organiser, mailoutbox,
                                                             django_capture_on_commit_callbacks):
    lead, owner = make_user("lead.protocol", Role.TASK_FORCE_LEAD), make_user("member.one")
    protocol = operations.save_task_force(organiser, event, {
        "name": "Protocol", "area": "protocol", "lead": lead})
    operations.add_member(organiser, protocol, owner)
    with django_capture_on_commit_callbacks(execute=True):
        item = operations.create_item(lead, protocol, {
            "title": "Name plates printed", "owner": owner,
            "deadline": timezone.now() + timedelta(days=3)})
    (mail,) = mailoutbox
    assert only_site_links(mail.body) == [f"{SITE}/operations/items/{item.pk}/"]


# --- Addresses people copy into a calendar --------------------------------------------------

def test_programme_calendar_addresses_are_on_site_url(organiser, focal_vnm, viet_nam):
    feed = programme.create_feed(focal_vnm, delegation=viet_nam)
    page = hostile_client(organiser).get("/programme/calendars/").content.decode()
    assert f"{SITE}/programme/calendar/{feed.token}.ics" in only_site_links(page)


def test_a_delegations_bilateral_calendar_address_is_on_site_url(event, focal_vnm, viet_nam):
    page = hostile_client(focal_vnm).get(f"/bilaterals/delegations/{viet_nam.pk}/")
    field = re.search(r'class="bil-feed-url"[^>]*value="([^"]+)"', page.content.decode())
    assert field and field.group(1).startswith(f"{SITE}/bilaterals/")
    assert HOSTILE not in field.group(1)


# --- Printed documents ----------------------------------------------------------------------

def pdf_link_targets(data: bytes) -> list[str]:
    from pypdf import PdfReader

    targets = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def test_the_printed_readiness_report_links_the_live_report_on_site_url(event, organiser):
    response = hostile_client(organiser).get("/operations/report/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert pdf_link_targets(response.content) == [f"{SITE}/operations/report/"]


def test_a_printed_run_of_show_links_the_live_script_on_site_url(event, organiser):
    session = make_session(event)
    make_script(session)
    response = hostile_client(organiser).get(f"/programme/sessions/{session.pk}/script/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert pdf_link_targets(response.content) == [f"{SITE}/programme/sessions/{session.pk}/"
                                                  "follow/"]
