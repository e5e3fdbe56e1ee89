"""The run-of-show in real browsers (issue 4, "Done when").

An organiser builds the opening session's script, runs it as a rehearsal from the console
(timings recorded, a finding with an owner), while a second browser context following the
session sees each cue change within seconds, its polls answered 304 while nothing changes.
Then the speakers list and the seating chart render and print.
"""

import re

import pytest
from playwright.sync_api import expect

from convene.programme.models import CueTiming, Finding, Run
from convene.protocol import services as protocol
from tests.conftest import make_delegation, make_user
from tests.e2e.conftest import _REPORT_CSP_VIOLATIONS, TIMEOUT_MS, login
from tests.programme.builders import make_member, make_room, make_session

pytestmark = pytest.mark.e2e

CUES = [
    ("2025-10-25T08:55:00", "3", "Host President arrives at the VIP entrance", "VIP entrance",
     "Protocol"),
    ("2025-10-25T08:58:00", "2", "National anthem", "Plenary Hall", "Protocol"),
    ("2025-10-25T09:00:00", "7", "Remarks of the Secretary-General, 7 min", "Podium",
     "Protocol"),
]


def _second_page(browser, live_server, browser_errors):
    """Another browser context (another screen in the control room), watched like `page`."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                  timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(TIMEOUT_MS)
    context.expose_binding("__conveneReportCsp",
                           lambda source, text: browser_errors.add("CSP violation", text))
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and "favicon" not in m.text
            and browser_errors.add("console error (follower)", m.text))
    page.on("pageerror", lambda exc: browser_errors.add("uncaught exception", str(exc)))
    return context, page


def test_build_rehearse_and_follow_the_opening_script(page, browser, live_server, browser_errors,
                                                       event, organiser):
    hall = make_room(event)
    opening = make_session(event, room=hall)
    lead = make_user("tf.lead", "task_force_lead")
    make_user("security", "security_officer")
    url = live_server.url

    # --- The organiser builds the script -------------------------------------------------
    login(page, live_server, "organiser")
    page.goto(f"{url}/programme/sessions/{opening.pk}/")
    page.get_by_role("link", name="Run-of-show script").click()
    expect(page).to_have_url(f"{url}/programme/sessions/{opening.pk}/script/")
    for when, minutes, what, where, task_force in CUES:
        page.get_by_label("Planned time").fill(when)
        page.get_by_label("Duration (minutes)").fill(minutes)
        page.get_by_label("What happens").fill(what)
        page.get_by_label("Where").fill(where)
        page.get_by_label("Responsible task force").fill(task_force)
        if what == "National anthem":
            page.get_by_label("Notes for interpreters").fill("No interpretation")
        page.get_by_role("button", name="Add the cue").click()
        expect(page.locator("table.script tr.cue").last).to_contain_text(what)
    rows = page.locator("table.script tr.cue")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Interpreters: No interpretation")
    expect(rows.nth(2).locator("td").nth(1)).to_have_text("09:00:00")
    expect(rows.nth(2).locator("td").nth(2)).to_have_text("7:00")

    # --- A second screen follows the session ---------------------------------------------
    context2, follower = _second_page(browser, live_server, browser_errors)
    login(follower, live_server, "security")
    statuses = []
    follower.on("response", lambda r: "/live/" in r.url and statuses.append(r.status))
    follower.goto(f"{url}/programme/sessions/{opening.pk}/follow/")
    expect(follower.locator(".no-run")).to_have_text("No run of this session is under way.")

    # --- Rehearsal from the console ------------------------------------------------------
    page.get_by_role("link", name="Operator console").click()
    page.get_by_label("Kind of run").select_option("rehearsal")
    page.get_by_label("Label").fill("Dress rehearsal")
    page.get_by_role("button", name="Start a run").click()
    expect(page.locator("#live-panel .run-banner")).to_contain_text("REHEARSAL")
    expect(follower.locator("#live-panel .cue-title")).to_have_text(
        "Standing by for the first cue.")
    expect(follower.locator("#live-panel .run-banner")).to_contain_text("Dress rehearsal")

    # Nothing changes: the follower's next poll is answered 304 Not Modified, and the panel
    # (with its state) stays as it is.
    follower.evaluate("document.querySelector('#live-panel').dataset.marker = 'kept'")
    with follower.expect_response(lambda r: "/live/" in r.url and r.status == 304):
        pass
    expect(follower.locator("#live-panel[data-marker='kept']")).to_have_count(1)

    page.evaluate("window.__marker = 1")
    page.get_by_role("button", name=re.compile(r"^GO — 1\. Host President")).click()
    expect(page.locator("#live-panel .cue-title")).to_contain_text(
        "Host President arrives at the VIP entrance")
    assert page.evaluate("window.__marker") == 1, "GO reloaded the console instead of swapping"
    expect(follower.locator("#live-panel .cue-title")).to_contain_text(
        "Host President arrives at the VIP entrance")
    expect(follower.locator("#live-panel [data-next-cue]").first).to_contain_text(
        "National anthem")

    page.get_by_role("button", name=re.compile(r"^GO — 2\. National anthem")).click()
    expect(follower.locator("#live-panel .cue-title")).to_contain_text("National anthem")
    expect(follower.locator("#live-panel .cue-notes")).to_contain_text("No interpretation")
    # The clock of the current cue ticks on the follower's screen between polls.
    expect(follower.locator("#live-panel [data-elapsed]")).to_have_text(
        re.compile(r"^0:(0[1-9]|[1-5][0-9])$"))
    assert 304 in statuses and 200 in statuses

    # A finding, with an owner, during the rehearsal.
    page.get_by_label("Finding").fill("The anthem started late: cue the sound desk earlier")
    page.locator(".finding-form").get_by_label("Cue").select_option(label="2. National anthem")
    page.get_by_label("Owner").select_option(label="tf.lead")
    page.get_by_role("button", name="Record the finding").click()
    expect(page.locator(".messages")).to_contain_text("Finding recorded.")

    page.get_by_role("button", name=re.compile(r"^GO — 3\. Remarks")).click()
    expect(page.locator("#live-panel .cue-title")).to_contain_text(
        "Remarks of the Secretary-General")
    page.get_by_role("button", name="End the run").click()
    expect(follower.locator("#live-panel .cue-title")).to_have_text(
        "The script has been run to the end.")

    run = Run.objects.get(session=opening)
    assert run.kind == "rehearsal" and run.ended_at is not None
    timings = CueTiming.objects.filter(run=run).order_by("started_at")
    assert [t.cue.what for t in timings] == [c[2] for c in CUES]
    assert all(t.ended_at for t in timings)
    assert Finding.objects.get().owner == lead

    # The runs side by side, and the follow-up items with their owner.
    page.goto(f"{url}/programme/sessions/{opening.pk}/runs/")
    expect(page.locator("table.compare thead")).to_contain_text("Rehearsal: Dress rehearsal")
    expect(page.locator("table.compare tbody tr")).to_have_count(3)
    expect(page.locator("table.compare tbody tr").first.locator("td").nth(3)).to_have_text(
        "0:00")
    page.goto(f"{url}/programme/follow-ups/")
    expect(page.locator("table.followups tbody tr").first).to_contain_text("tf.lead")
    context2.close()


def test_speakers_list_and_seating_chart_render_and_print(page, live_server, event, organiser):
    hall = make_room(event, rows=3, seats_per_row=12)
    plenary = make_session(event, "Plenary", "plenary", (14, 0), (17, 0), room=hall)
    people = {}
    for code, name, rank in [("VNM", "Viet Nam", "minister"),
                             ("CIV", "Côte d'Ivoire", "head_of_state"),
                             ("TUR", "Türkiye", "vice_minister"),
                             ("ZWE", "Zimbabwe", "foreign_minister"),
                             ("AFG", "Afghanistan", "ambassador")]:
        d = make_delegation(event, code, name)
        d.status = "confirmed"
        d.save()
        people[code] = make_member(d, f"Speaker of {name}", rank)
        protocol.inscribe_speaker(organiser, plenary, d, people[code])
    protocol.record_draw(organiser, event, people["TUR"].delegation.entity,
                         "The Secretary-General")
    url = live_server.url
    login(page, live_server, "organiser")

    page.goto(f"{url}/protocol/sessions/{plenary.pk}/speakers/")
    names = page.locator("table.speakers tbody tr td:nth-child(3)")
    expect(names).to_have_text(["Côte d'Ivoire", "Zimbabwe", "Viet Nam", "Türkiye",
                                "Afghanistan"])
    page.get_by_role("link", name="Printable list").click()
    expect(page.locator("h1")).to_have_text("List of speakers")
    expect(page.locator("table.print-speakers tbody tr")).to_have_count(5)
    page.emulate_media(media="print")
    assert page.pdf(format="A4").startswith(b"%PDF")
    page.emulate_media(media="screen")

    page.goto(f"{url}/protocol/sessions/{plenary.pk}/seating/")
    first = page.locator("table.hall td[data-row='1'][data-seat='1']")
    expect(first).to_have_text("Türkiye")  # the State drawn by lot, at the first seat
    order = page.locator("ol.seating-order li")
    expect(order).to_have_count(5)
    expect(order.nth(1)).to_contain_text("Viet Nam")
    expect(order.nth(2)).to_contain_text("Zimbabwe")
    expect(order.nth(3)).to_contain_text("Afghanistan")  # wrapped round after Z
    expect(page.locator(".podium")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()  # the chart prints without the site frame
    expect(page.locator("table.hall")).to_be_visible()
    assert page.pdf(format="A4", landscape=True).startswith(b"%PDF")
    page.emulate_media(media="screen")
    pdf = page.request.get(f"{url}/protocol/sessions/{plenary.pk}/seating/?format=pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
