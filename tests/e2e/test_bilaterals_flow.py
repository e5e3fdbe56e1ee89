"""Bilateral meetings in a real browser, from a focal point's request to both calendars.

Done when (issue 6): two focal points request and accept a bilateral, the organiser schedules
and publishes, both see it in their agenda, and the iCalendar feed contains it. On the way the
organiser drags the meeting to another time on the grid (the drop is checked by the server).
"""

import re

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from convene.bilaterals.models import Meeting, PublishedMeeting
from tests.bilaterals.conftest import make_grid, make_rooms
from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e


@pytest.fixture
def grid(event, organiser):
    return make_grid(event, organiser)


@pytest.fixture
def rooms(event, organiser):
    return make_rooms(event, organiser)


@pytest.fixture
def tasks_in_process(settings):
    # No worker runs beside the live server: the scheduler runs inside the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_request_accept_schedule_publish_and_subscribe(page, live_server, browser, event,
                                                       viet_nam, lao, organiser, focal_vnm,
                                                       focal_lao, grid, rooms,
                                                       tasks_in_process):
    url = live_server.url

    # --- Viet Nam's focal point asks Lao PDR for a bilateral --------------------------------
    login(page, live_server, "focal.vnm")
    page.locator(".topbar nav").get_by_role("link", name="Bilaterals").click()
    expect(page).to_have_url(f"{url}/bilaterals/delegations/{viet_nam.pk}/")
    page.get_by_role("link", name="Request a bilateral").click()
    page.get_by_label("Meet with").select_option(label="Lao People's Democratic Republic")
    page.get_by_label("Topic").fill("Joint investigations along the border")
    page.get_by_label("Priority").select_option(label="High")
    page.get_by_role("button", name="Send the request").click()
    expect(page.locator(".messages")).to_contain_text("its focal point will answer")
    made = page.locator("table.bil-made tbody tr").filter(has_text="Lao People")
    expect(made.locator(".status")).to_have_text("Awaiting answer")
    logout(page)

    # --- Lao PDR's focal point accepts ------------------------------------------------------
    login(page, live_server, "focal.lao")
    page.goto(f"{url}/bilaterals/")
    expect(page).to_have_url(f"{url}/bilaterals/delegations/{lao.pk}/")
    received = page.locator("table.bil-received tbody tr").filter(has_text="Viet Nam")
    received.get_by_role("link", name="Answer").click()
    expect(page.locator("h1")).to_have_text("Viet Nam asks for a bilateral")
    page.get_by_role("button", name="Accept").click()
    expect(page.locator(".messages")).to_contain_text("You accepted the bilateral with Viet Nam")
    expect(page.locator("table.bil-received tbody tr").filter(has_text="Viet Nam")
           .locator(".status")).to_have_text("Accepted")
    logout(page)

    # --- The organiser runs the scheduler, moves the meeting on the grid, publishes --------
    login(page, live_server, "organiser")
    page.goto(f"{url}/bilaterals/")
    expect(page).to_have_url(f"{url}/bilaterals/schedule/")
    expect(page.locator(".bil-unscheduled")).to_contain_text("The scheduler has not run yet.")
    page.get_by_label("Search for at most (seconds)").fill("5")
    page.get_by_role("button", name="Run the scheduler").click()
    expect(page.locator(".messages")).to_contain_text("The scheduler is running.")
    expect(page.locator("#run-status")).to_have_attribute("data-status", "done")
    expect(page.locator(".bil-run-summary")).to_contain_text("total priority served 5")
    chip = page.locator("a.bil-chip", has_text="VNM – LAO")
    expect(chip).to_have_count(1)
    expect(page.locator(".bil-unscheduled")).to_contain_text("Every accepted request is "
                                                             "scheduled.")

    meeting = Meeting.objects.get()
    target_slot = next(s for s in grid if s.pk != meeting.start_slot_id and
                       s.start.date() != meeting.start.date())
    target = page.locator(f"td.bil-cell[data-room='{rooms[1].pk}'][data-slot='{target_slot.pk}']")
    chip.drag_to(target)
    expect(page.locator(".messages")).to_contain_text("Hall B")
    expect(target.locator("a.bil-chip")).to_have_text("VNM – LAO")
    meeting.refresh_from_db()
    assert (meeting.room_id, meeting.start_slot_id) == (rooms[1].pk, target_slot.pk)
    assert meeting.placed_by == "organiser"

    expect(page.locator(".bil-publish")).to_contain_text("Not yet published: 1 new")
    page.get_by_role("button", name="Publish to the delegations").click()
    expect(page.locator(".messages")).to_contain_text("Published: 1 new, 0 changed, 0 cancelled")
    logout(page)

    published = PublishedMeeting.objects.get()
    when = re.compile(r"Sun 26 Oct, \d\d:\d\d–\d\d:\d\d")

    # --- Both focal points see it in their agenda --------------------------------------------
    for username, delegation, other in (("focal.lao", lao, "Viet Nam"),
                                        ("focal.vnm", viet_nam, "Lao People")):
        login(page, live_server, username)
        page.goto(f"{url}/bilaterals/delegations/{delegation.pk}/")
        row = page.locator("table.bil-agenda tbody tr")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(other)
        expect(row).to_contain_text("Hall B")
        expect(row).to_contain_text("Joint investigations along the border")
        expect(row.locator("td").first).to_have_text(when)
        feed_url = page.locator("input.bil-feed-url").input_value()  # Viet Nam's, last
        logout(page)

    # --- The calendar feed contains it, for a calendar app that cannot log in ----------------
    calendar_app = browser.new_context()
    try:
        response = calendar_app.request.get(feed_url)
        assert response.status == 200
        assert response.headers["content-type"].startswith("text/calendar")
        events = Calendar.from_ical(response.body()).walk("VEVENT")
    finally:
        calendar_app.close()
    assert len(events) == 1
    assert str(events[0]["UID"]) == published.uid
    assert str(events[0]["SUMMARY"]) == ("Bilateral: Viet Nam – Lao People's Democratic "
                                         "Republic")
    assert str(events[0]["LOCATION"]) == "Hall B"
    assert events[0].decoded("DTSTART") == published.start == target_slot.start
    assert events[0]["SEQUENCE"] == 0 and str(events[0]["STATUS"]) == "CONFIRMED"
