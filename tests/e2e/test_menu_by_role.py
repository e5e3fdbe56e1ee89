"""The menu by role in a real browser: on a phone a focal point opens "Menu" and finds their
tasks; on a wide screen an organiser sees the labelled groups, always open."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_focal_point_on_a_phone_and_organiser_on_a_desk(page, live_server, event, viet_nam,
                                                        focal_vnm, organiser):
    url = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "focal.vnm")
    toggle = page.locator(".topbar details.menu > summary")
    nav = page.get_by_role("navigation", name="Main")
    expect(toggle).to_be_visible()
    expect(nav).to_be_hidden()  # folded on a phone
    toggle.click()
    expect(nav.get_by_role("link")).to_have_text(
        ["Our delegation", "Speakers", "Signature booking", "Bilaterals", "Programme",
         "Travel and daily plan", "Interviews", "Treaty status"])
    nav.get_by_role("link", name="Our delegation").click()
    expect(page).to_have_url(f"{url}/delegations/{viet_nam.pk}/")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()  # folded again
    page.locator(".topbar details.menu > summary").click()
    expect(page.locator(".topbar nav a[aria-current=page]")).to_have_text("Our delegation")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 1280, "height": 800})
    login(page, live_server, organiser.username)
    expect(page.locator(".topbar details.menu > summary")).to_be_hidden()
    groups = page.locator(".topbar .menu-group-label")
    expect(groups.first).to_have_text("Delegations")
    expect(groups.last).to_have_text("Reference & audit")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("list", name="Security").get_by_role("link")).to_have_text(
        ["Gates", "Security live"])
    nav.get_by_role("link", name="Audit trail").click()
    expect(page.locator(".topbar nav a[aria-current=page]")).to_have_text("Audit trail")
