"""Programme pages over HTTP: the public agenda, calendars, the follower panel's 304s, the
printable script, and fixed query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from convene.programme import services
from convene.programme.models import Session
from tests.conftest import make_delegation
from tests.programme.builders import add_person, make_member, make_session


def _as(user):
    client = Client()
    client.force_login(user)
    return client


def test_public_agenda_shows_the_theme_and_only_public_sessions(event, opening):
    make_session(event, "Bilateral: Viet Nam – Lao", "bilateral", (11, 0), (11, 30),
                 is_public=False)
    page = Client().get("/programme/agenda/").content.decode()
    assert "Countering Cybercrime – Sharing Responsibility – Securing our Future" in page
    assert "Opening session" in page and "Bilateral" not in page


def test_ical_feed_over_http_needs_only_the_token(focal_vnm, viet_nam, opening):
    feed = services.create_feed(focal_vnm, delegation=viet_nam)
    response = Client().get(f"/programme/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "SUMMARY:Opening session" in body and "SEQUENCE:1" in body
    assert Client().get("/programme/calendar/not-a-token.ics").status_code == 404


def test_ical_sequence_grows_when_the_session_changes(organiser, focal_vnm, event, viet_nam,
                                                      opening):
    feed = services.create_feed(focal_vnm, delegation=viet_nam)
    services.save_session(organiser, event, {"title": "Opening session (moved)"},
                          Session.objects.get(pk=opening.pk))
    body = Client().get(f"/programme/calendar/{feed.token}.ics").content.decode()
    assert "SEQUENCE:2" in body and "Opening session (moved)" in body


def test_follower_panel_answers_304_until_the_cue_changes(organiser, opening, script):
    client = _as(organiser)
    run = services.start_run(organiser, opening, "rehearsal")
    url = f"/programme/sessions/{opening.pk}/live/"
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert "no-cache" in first["Cache-Control"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    services.go(organiser, run)
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert "Cue 1" in changed.content.decode()


def test_the_304_does_not_bypass_the_permission(users_by_role, organiser, opening):
    etag = _as(organiser).get(f"/programme/sessions/{opening.pk}/live/")["ETag"]
    response = _as(users_by_role["press_officer"]).get(
        f"/programme/sessions/{opening.pk}/live/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 403


def test_go_from_the_console_with_htmx_swaps_the_panel(organiser, opening, script):
    client = _as(organiser)
    run = services.start_run(organiser, opening, "live")
    response = client.post(f"/programme/sessions/{opening.pk}/runs/{run.pk}/go/",
                           {"expected": script[0].pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="live-panel"' in html and "Cue 1" in html
    assert f'name="expected" value="{script[1].pk}"' in html
    # A stale console (it still thinks cue 1 is next) is told, and nothing moves.
    stale = client.post(f"/programme/sessions/{opening.pk}/runs/{run.pk}/go/",
                        {"expected": script[0].pk}, follow=True)
    assert "moved on from another console" in stale.content.decode()
    assert run.timings.count() == 1


def test_script_pdf(organiser, opening, script):
    response = _as(organiser).get(f"/programme/sessions/{opening.pk}/script/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_session_form_shows_rule_errors_next_to_the_field(organiser, event, opening):
    response = _as(organiser).post("/programme/sessions/new/", {
        "day": opening.day.pk, "kind": "plenary", "title": "Plenary",
        "starts_at": "2025-10-26T09:00", "ends_at": "2025-10-26T10:00", "allowed_zones": "A"})
    assert response.status_code == 200
    assert "not on the day chosen" in str(response.context["form"].errors["starts_at"])
    assert Session.objects.filter(title="Plenary").count() == 0


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", ["/programme/", "/programme/agenda/", "/programme/conflicts/"])
def test_programme_lists_use_a_fixed_number_of_queries(url, organiser, event, hall):
    client = _as(organiser)

    def grow(start, stop):
        for n in range(start, stop):
            d = make_delegation(event, f"S{n:02}", f"State {n}")
            s = make_session(event, f"Session {n}", "side_event", (8 + n % 10, 0),
                             (8 + n % 10, 30), room=hall)
            add_person(s, make_member(d, f"Person {n}"), "speaker")

    grow(0, 3)
    few = _count(client, url)
    grow(3, 25)
    assert _count(client, url) == few
