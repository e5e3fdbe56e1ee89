"""Task forces and readiness in a real browser (issue 7, "Done when").

A task-force lead creates items from a template; a member completes one with evidence (and is
told why another cannot be done yet); another member reports an issue from a phone, which
escalates on the live board once its time limit passes; the organiser sees both on the
readiness dashboard and in the report that feeds the printable PDF.
"""

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from convene.accounts.models import Role
from convene.operations import services
from convene.operations.models import ChecklistItem, Issue, OperationsSettings
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e

T0 = datetime(2025, 10, 15, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # ten days before
AIRPORT = "VIP reception plan agreed with the airport"
WELCOME = "Welcome desks staffed at the airport and the hotels"
LIAISON = "A liaison officer assigned to every delegation"
ISSUE = "Delegation bus from the hotel did not arrive"


def set_clock(event, as_of: datetime) -> None:
    """The exercise clock: operations run as if it were `as_of` (time still runs)."""
    OperationsSettings.objects.update_or_create(
        event=event, defaults={"clock_offset": timezone.now() - as_of})


def login_to(page, live_server, username: str, next_url: str) -> None:
    """Log in from a link to an operations page (as from a notification email).

    Members of a task force hold no role, so the generic after-login page (the delegations
    list) is not theirs; they come in through the link they were sent.
    """
    page.goto(f"{live_server.url}/accounts/login/?next={next_url}")
    form = page.locator("form:has(input[name=login])")
    form.locator("input[name=login]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}{next_url}")


def photo() -> dict:
    buf = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 90, 160)).save(buf, "PNG")
    return {"name": "signed-plan.png", "mimeType": "image/png", "buffer": buf.getvalue()}


def test_lead_member_issue_and_organiser(page, live_server, browser_errors, event, viet_nam,
                                         organiser, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the uploaded photo goes to a throwaway directory
    url = live_server.url
    lead = make_user("lead.reception", Role.TASK_FORCE_LEAD)
    an, binh = make_user("member.an"), make_user("member.binh")
    reception = services.save_task_force(organiser, event, {
        "name": "Reception", "area": "reception", "lead": lead,
        "venues": "Noi Bai International Airport, VIP terminal\nDelegation hotels"})
    services.add_member(organiser, reception, an)
    services.add_member(organiser, reception, binh)
    set_clock(event, T0 - timedelta(days=1))
    services.record_review(organiser, event)  # the last review meeting, the day before
    set_clock(event, T0)

    # --- The lead starts the checklist from the treaty-signing-summit template ---------------
    login(page, live_server, "lead.reception")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Task forces").click()
    page.locator("#main").get_by_role("link", name="Reception", exact=True).click()
    expect(page.locator("h1")).to_have_text("Reception")
    page.get_by_role("link", name="Start from a template").click()
    expect(page.locator("#area-choice")).to_have_value("reception")
    expect(page.locator("input[name=keys]:checked")).to_have_count(7)
    page.get_by_role("button", name="Create the items").click()
    expect(page.locator(".messages")).to_contain_text("7 items created from the template.")
    expect(page.locator("table.checklist tbody tr")).to_have_count(7)
    expect(page.locator("table.checklist")).to_contain_text(AIRPORT)
    logout(page)

    # --- A member completes an item with evidence ------------------------------------------
    login_to(page, live_server, "member.an", f"/operations/task-forces/{reception.pk}/")
    page.get_by_role("link", name=WELCOME).click()
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Update the status").click()
    expect(page.locator("#status .errorlist")).to_contain_text(
        f"It cannot be done while what it depends on is open: “{LIAISON}” (Reception).")

    page.goto(f"{url}/operations/task-forces/{reception.pk}/")
    page.get_by_role("link", name=AIRPORT).click()
    page.get_by_label("Status").select_option("done")
    page.get_by_role("button", name="Update the status").click()
    expect(page.locator("#status .errorlist")).to_contain_text("needs evidence")
    form = page.locator("#evidence-form")
    form.get_by_role("radio", name="Photo").check()
    form.get_by_label("File or photo").set_input_files(photo())
    form.get_by_label("and mark the item done").check()
    form.get_by_role("button", name="Add the evidence").click()
    expect(page.locator(".messages")).to_contain_text("Evidence added and the item is done.")
    expect(page.locator("#item-status")).to_have_text("Done")
    expect(page.locator("#evidence")).to_contain_text("signed-plan.png")
    logout(page)

    # --- Another member reports an issue from a phone -------------------------------------
    page.set_viewport_size({"width": 390, "height": 844})
    login_to(page, live_server, "member.binh", "/operations/issues/new/")
    page.get_by_label("Task force concerned").select_option(label="Reception")
    page.get_by_label("What happened").fill(ISSUE)
    page.get_by_label("Medium").check()
    page.get_by_label("Location").fill("Delegation hotels")
    page.get_by_label("Delegation concerned").select_option(label="Viet Nam")
    submit = page.get_by_role("button", name="Report")
    assert submit.bounding_box()["width"] > 300  # a full-width button on a phone
    submit.click()
    expect(page.locator("h1")).to_have_text(ISSUE)
    expect(page.locator("#issue-status")).to_have_text("Open")
    expect(page.locator("#issue-escalated")).to_have_count(0)

    page.goto(f"{url}/operations/issues/")
    card = page.locator(".issue-card", has_text=ISSUE)
    # Eight hours from the report, less the seconds this journey took since (on any machine).
    expect(card).to_contain_text(re.compile(r"escalates in 7 h 5\d min"))
    # Nine hours later on the exercise clock: the live board shows it with the committee
    # at its next poll, without a reload.
    issue = Issue.objects.get(title=ISSUE)
    set_clock(event, T0 + timedelta(hours=9))
    expect(card).to_contain_text("with the committee", timeout=15_000)
    assert Issue.objects.get(pk=issue.pk).escalation_reason == "time_limit"
    logout(page)

    # --- The organiser sees both on the dashboard and in the report ------------------------
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, live_server, "organiser")
    page.goto(f"{url}/operations/")
    row = page.locator("#progress-per-task-force tr[data-task-force=reception]")
    expect(row).to_contain_text("1/7")
    expect(page.locator("#escalated-issues")).to_contain_text(ISSUE)
    expect(page.locator("[data-figure=escalated] .figure")).to_have_text("1")

    page.get_by_role("link", name="Readiness report").click()
    changes = page.locator("#report-changes")
    expect(changes.locator("tr", has_text=AIRPORT)).to_contain_text("Done")
    expect(changes.locator("tr[data-change=issue_escalated]")).to_contain_text(ISSUE)
    expect(page.locator("#report-decisions")).to_contain_text(ISSUE)
    expect(page.locator("#report-status tbody tr", has_text="Reception")).to_contain_text(
        "1/7")

    response = page.request.get(f"{url}/operations/report/pdf/")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF-") and len(body) > 10_000
    assert ChecklistItem.objects.get(title=AIRPORT).evidence.get().content_type == "image/png"
