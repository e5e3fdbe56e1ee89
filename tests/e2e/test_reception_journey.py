"""Reception in a real browser (issue 13, "Done when"): a focal point enters a head of State's
arrival; the desk sees it on the arrivals board; greeter, liaison officer, dedicated car and
hotel are assigned; the daily plan shows them; a later flight change raises the conflict it
causes and tells the liaison officer; the desk resolves it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from convene.accounts.models import Role
from convene.programme.models import Day, Participation, Session
from tests.conftest import make_user
from tests.e2e.conftest import login, logout
from tests.reception.conftest import build_reception

pytestmark = pytest.mark.e2e
H = ZoneInfo("Asia/Ho_Chi_Minh")


def test_arrival_board_plan_flight_change_and_resolution(page, live_server, event, viet_nam,
                                                         focal_vnm, mailoutbox):
    rc = build_reception(event, viet_nam)
    make_user("desk", Role.RECEPTION_OFFICER)
    day = Day.objects.create(event=event, date=datetime(2025, 10, 25).date())
    opening = Session.objects.create(
        event=event, day=day, kind="plenary", title="Opening of the signing ceremony",
        starts_at=datetime(2025, 10, 25, 9, 0, tzinfo=H),
        ends_at=datetime(2025, 10, 25, 11, 0, tzinfo=H))
    Participation.objects.create(session=opening, member=rc.president, role="principal")
    url = live_server.url

    # --- Viet Nam's focal point enters the President's arrival -------------------------------
    login(page, live_server, "focal.vnm")
    page.locator(".topbar nav").get_by_role("link", name="Travel and daily plan").click()
    page.get_by_role("link", name="arrivals and departures").click()
    expect(page.locator("h1")).to_contain_text("Arrivals and departures: Viet Nam")
    page.get_by_label("Arrival or departure").select_option(label="Arrival")
    page.locator(f"input[name=travellers][value='{rc.president.pk}']").check()
    page.locator(f"input[name=travellers][value='{rc.adviser.pk}']").check()
    page.locator("#id_flight_number").fill("VN18")
    page.get_by_label("Airline").fill("Vietnam Airlines")
    page.get_by_label("From / to (city)").fill("Paris")
    page.get_by_label("Airport terminal").select_option(label="Noi Bai VIP terminal (HAN-VIP)")
    page.get_by_label("Local date").fill("2025-10-24")
    page.get_by_label("Local time").fill("10:00")
    page.get_by_role("button", name="Save the flight").click()
    expect(page.locator(".messages")).to_contain_text("Travel saved.")
    expect(page.locator("#flights")).to_contain_text("VN18")
    logout(page)

    # --- The desk sees it on the arrivals board and plans the reception ----------------------
    login(page, live_server, "desk")
    page.goto(f"{url}/reception/arrivals/")
    row = page.locator(".arrival").filter(has_text="VN18")
    expect(row).to_contain_text("Viet Nam")
    expect(row.locator(".status")).to_have_text("Scheduled")
    page.goto(f"{url}/reception/")
    expect(page.locator(".conflicts")).to_contain_text("no car is planned")
    for button, said in [("Assign hotels", "rooms assigned"),
                         ("Plan movements", "movements planned"),
                         ("Roster greeters", "greetings rostered"),
                         ("Assign liaison officers", "liaison officers assigned"),
                         ("Dedicated cars", "dedicated cars assigned"),
                         ("Plan the fleet", "Fleet planned")]:
        page.get_by_role("button", name=button).click()
        expect(page.locator(".messages")).to_contain_text(said)
    expect(page.locator(".conflicts")).to_contain_text("No open conflicts.")
    expect(page.locator("#board-flight-1, tr").filter(has_text="VN18").first).to_contain_text(
        "Bui Thanh Son")

    # one tap on the phone board: landed
    page.goto(f"{url}/reception/arrivals/")
    row = page.locator(".arrival").filter(has_text="VN18")
    row.get_by_role("button", name="Mark: Landed").click()
    expect(page.locator(".arrival").filter(has_text="VN18").locator(".status")).to_have_text(
        "Landed")

    # --- The daily plan shows greeter, liaison officer, dedicated car and hotel --------------
    page.goto(f"{url}/reception/delegations/{viet_nam.pk}/plan/")
    expect(page.locator("#plan-liaison")).to_contain_text("Nguyen Thu Ha")
    expect(page.locator("#plan-hotel")).to_contain_text("Hotel Alpha")
    expect(page.locator("#plan-car")).to_contain_text("VS01")
    expect(page.locator("#plan-car")).to_contain_text("Pham Van Tai")
    expect(page.locator(".plan-items").first).to_contain_text(
        "Bui Thanh Son (deputy prime minister)")
    expect(page.locator("main")).to_contain_text("Opening of the signing ceremony")

    # --- A flight change: the President now lands after the opening begins -------------------
    page.goto(f"{url}/reception/")
    page.locator("tr").filter(has_text="VN18").get_by_role("link", name="Flight change").click()
    page.get_by_label("New local date").fill("2025-10-25")
    page.get_by_label("New local time").fill("08:40")
    page.get_by_label("Why").fill("Delayed in Paris")
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".messages")).to_contain_text("1 open conflict(s)")
    conflict = page.locator(".conflict").filter(has_text="too late for")
    expect(conflict.locator(".severity")).to_have_text("Critical")
    expect(conflict).to_contain_text("Opening of the signing ceremony")
    [message] = [m for m in mailoutbox if "VN18" in m.subject]
    assert "lo.ha@example.org" in message.to
    assert "Opening of the signing ceremony" in message.body

    # the plan follows the change
    page.goto(f"{url}/reception/delegations/{viet_nam.pk}/plan/")
    expect(page.locator(".plan-day").filter(has_text="Saturday 25 October 2025")).to_contain_text(
        "Arrival VN18")

    # --- The desk resolves it -----------------------------------------------------------------
    page.goto(f"{url}/reception/")
    conflict = page.locator(".conflict").filter(has_text="too late for")
    conflict.get_by_label("How it was resolved").fill("Opening speech moved to 11:00")
    conflict.get_by_role("button", name="Resolve").click()
    expect(page.locator(".messages")).to_contain_text("Conflict resolved.")
    expect(page.locator(".conflicts")).to_contain_text("No open conflicts.")
