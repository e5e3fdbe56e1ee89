"""Objections, denunciation and unverified article titles in a real browser.

Done when: the depositary records France's objection to Qatar's reservation and Viet Nam's
denunciation from its workspace; the public status page and the notifications show both; an
organiser confirms an article title marked "unverified" and the mark goes.
"""

from datetime import date

import pytest
from playwright.sync_api import expect

from convene.accounts.models import Role
from convene.treaty import services
from convene.treaty.models import Instrument, Signature
from tests.conftest import make_entity, make_user
from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e


def test_objection_denunciation_and_title_check(page, live_server, event, viet_nam, organiser):
    url = live_server.url
    treaty = services.load_treaty()
    depositary = make_user("treaty.officer", Role.DEPOSITARY)
    # Forty States (Viet Nam among them) ratified on 5 January 2026: the Convention entered
    # into force on 5 April 2026 (art. 65(1)).
    states = [viet_nam.entity] + [make_entity(f"S{i:02}", f"State {i:02}") for i in range(39)]
    for entity in states:
        Signature.objects.create(treaty=treaty, entity=entity, signed_on=date(2025, 10, 25),
                                 place="Hanoi", full_powers_required=False)
        Instrument.objects.create(treaty=treaty, entity=entity, kind="ratification",
                                  deposited_on=date(2026, 1, 5))
    make_entity("FRA", "France")
    qatar = make_entity("QAT", "Qatar")
    services.deposit_instrument(depositary, qatar, kind="accession",
                                deposited_on=date(2026, 2, 10))
    services.make_statement(depositary, qatar, kind="reservation-11-3", made_at="deposit",
                            made_on=date(2026, 2, 10), text="Qatar does not apply art. 11(1).")

    # --- The depositary records an objection, then a denunciation ---------------------------
    login(page, live_server, "treaty.officer")
    page.locator(".topbar nav").get_by_role("link", name="Depositary").click()
    page.get_by_role("link", name="Record an objection to it").click()
    expect(page.get_by_label("Reservation or declaration objected to")).to_contain_text("Qatar")
    page.get_by_label("Objecting State or REIO").select_option(label="France")
    page.get_by_label("Date of the objection").fill("2026-09-01")
    page.get_by_label("Text").fill("France objects to the reservation made by Qatar.")
    page.get_by_role("button", name="Record the objection").click()
    expect(page.locator(".messages")).to_contain_text("The objection of France is recorded.")

    page.get_by_role("link", name="Record a denunciation").click()
    # Before the Convention is in force for it (5 April 2026), Qatar cannot denounce.
    page.get_by_label("State or REIO").select_option(label="Qatar")
    page.get_by_label("Notification received on").fill("2026-03-01")
    page.get_by_role("button", name="Record the denunciation").click()
    expect(page.locator(".errorlist")).to_contain_text("withdraws its instrument")
    page.get_by_label("State or REIO").select_option(label="Viet Nam")
    page.get_by_label("Notification received on").fill("2026-06-01")
    page.get_by_role("button", name="Record the denunciation").click()
    expect(page.locator(".messages")).to_contain_text(
        "The denunciation of Viet Nam is recorded; it takes effect on 1 June 2027.")
    logout(page)

    # --- The public sees both, and their notifications --------------------------------------
    page.goto(f"{url}/treaty/")
    expect(page.locator("tr[data-code=VNM] [data-denunciation]")).to_have_text(
        "Denunciation received on 1 Jun 2026, takes effect on 1 Jun 2027 (art. 67(1))")
    expect(page.locator("tr[data-code=QAT] [data-objection]")).to_contain_text(
        "Objection by France, 1 Sep 2026")
    page.goto(f"{url}/treaty/notifications/")
    expect(page.get_by_text("VIET NAM: DENUNCIATION")).to_be_visible()
    expect(page.get_by_text(
        "FRANCE: OBJECTION TO THE RESERVATION UNDER ARTICLE 11(3) MADE BY QATAR")).to_be_visible()

    # --- An organiser confirms an unverified article title ----------------------------------
    page.goto(f"{url}/treaty/convention/")
    article = page.locator("#article-30")
    expect(article.locator(".unverified")).to_have_text("unverified")
    login(page, live_server, organiser.username)
    page.goto(f"{url}/treaty/convention/")
    article.get_by_role("link", name="Confirm the title of article 30").click()
    expect(page.get_by_label("Title as in the official text")).to_have_value(
        "Interception of content data")
    page.get_by_label("Checked against").fill("A/RES/79/243, annex")
    page.get_by_role("button", name="Confirm against the official text").click()
    expect(page).to_have_url(f"{url}/treaty/convention/#article-30")
    expect(article.locator(".unverified")).to_have_count(0)
    expect(article).to_contain_text("confirmed by organiser against A/RES/79/243, annex")
