"""List pages take a fixed number of queries whatever the number of rows."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.press import newsdesk, services
from tests.press.test_newsroom import TICKS

STAFF = {"function": "camera", "nationality": "French"}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _add_staff(world, n, start):
    for i in range(start, start + n):
        profile = services.nominate(world["fp"], world["afp"], {
            **STAFF, "family_name": f"Crew{i}", "passport_number": f"Q{i}"})
        services.declare_item(world["fp"], profile, {"kind": "camera", "serial": f"C{i}"})


def test_the_outlet_and_equipment_pages_do_not_grow_with_the_staff(press_world, organiser):
    client = Client()
    client.force_login(organiser)
    outlet_url = reverse("press:outlet", args=[press_world["afp"].pk])
    _add_staff(press_world, 2, 0)
    few = (_count(client, outlet_url), _count(client, reverse("press:equipment")))
    _add_staff(press_world, 4, 10)
    assert (_count(client, outlet_url), _count(client, reverse("press:equipment"))) == few


def _release(writer, approver, event, n):
    release = newsdesk.draft_release(writer, event, {"title": f"R{n}", "body": "Text"})
    newsdesk.save_text(writer, release, "fr", f"R{n} fr", "Texte")
    for text in release.texts.all():
        newsdesk.review_text(writer, text, TICKS)
    newsdesk.approve(approver, release)
    newsdesk.publish(writer, release)


def test_the_newsroom_and_feed_do_not_grow_with_the_releases(event):
    from convene.accounts.models import Role
    from tests.conftest import make_user

    writer = make_user("w", Role.COMMUNICATIONS_OFFICER)
    approver = make_user("a", Role.RELEASE_APPROVER)
    anon = Client()
    for n in range(2):
        _release(writer, approver, event, n)
    few = (_count(anon, reverse("press:newsroom")), _count(anon, reverse("press:feed")))
    for n in range(2, 6):
        _release(writer, approver, event, n)
    assert (_count(anon, reverse("press:newsroom")), _count(anon, reverse("press:feed"))) == few
