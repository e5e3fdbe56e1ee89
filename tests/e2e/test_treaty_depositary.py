"""The depositary's day in a real browser.

Done when: the depositary records signatures from the ceremony's list of delegations, an
instrument and a declaration; the public status page shows them and the list of depositary
notifications grows.
"""

import re

import pytest
from playwright.sync_api import expect

from convene.accounts.models import Role
from convene.delegations.models import Member
from convene.treaty import services
from tests.conftest import make_user
from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e


def test_ceremony_signatures_instrument_declaration_and_public_status(
        page, live_server, event, viet_nam, lao):
    url = live_server.url
    services.load_treaty()
    make_user("treaty.officer", Role.DEPOSITARY)
    Member.objects.create(delegation=viet_nam, title="H.E. Mr.", given_name="Van A",
                          family_name="Nguyen", rank="head_of_state", function="President",
                          is_head=True)
    Member.objects.create(delegation=lao, title="Mr.", given_name="Demo", family_name="Sisavath",
                          rank="minister", function="Minister of Public Security", is_head=True)

    # Before: one notification, the opening for signature.
    page.goto(f"{url}/treaty/notifications/")
    expect(page.locator("tr[data-reference]")).to_have_count(1)

    # --- The ceremony: each delegation's head signs -----------------------------------------
    login(page, live_server, "treaty.officer")
    page.locator(".topbar nav").get_by_role("link", name="Depositary").click()
    page.get_by_role("link", name="Signing ceremony").click()
    expect(page.locator("h1")).to_have_text("Signing ceremony — Hanoi")
    vnm = page.locator(f"#ceremony-{viet_nam.pk}")
    expect(vnm.locator("input[name=signatory_name]")).to_have_value("H.E. Mr. Van A Nguyen")
    expect(vnm.locator("select[name=signatory_capacity]")).to_have_value("head_of_state")
    page.evaluate("window.__marker = 1")
    with page.expect_response(lambda r: r.url.endswith(f"/ceremony/{viet_nam.pk}/sign/")) as r:
        vnm.get_by_role("button", name="Record signature").click()
    assert r.value.request.headers.get("hx-request") == "true"
    expect(page.locator(f"#ceremony-{viet_nam.pk} .signed")).to_have_text(
        "Signed on 25 October 2025")

    # Lao's head is a minister: full powers are needed (VCLT art. 7) and not yet checked.
    lao_row = page.locator(f"#ceremony-{lao.pk}")
    expect(lao_row.locator("select[name=signatory_capacity]")).to_have_value("other")
    lao_row.locator("select[name=signed_on]").select_option("2025-10-26")
    lao_row.get_by_role("button", name="Record signature").click()
    lao_row = page.locator(f"#ceremony-{lao.pk}")
    expect(lao_row.get_by_role("alert")).to_contain_text("full powers")
    lao_row.get_by_label("Full powers checked").check()
    lao_row.locator("select[name=signed_on]").select_option("2025-10-26")
    lao_row.get_by_role("button", name="Record signature").click()
    expect(page.locator(f"#ceremony-{lao.pk} .signed")).to_have_text("Signed on 26 October 2025")
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping rows"
    expect(page.locator("[data-figure=signed]")).to_have_count(1)

    # --- An instrument, then a refusal shown next to its field --------------------------------
    page.get_by_role("link", name="← Depositary").click()
    page.get_by_role("link", name="Record an instrument").click()
    page.get_by_label("State or REIO").select_option(label="Viet Nam")
    page.get_by_label("Instrument").select_option("ratification")
    page.get_by_label("Date of deposit").fill("2026-03-02")
    page.get_by_role("button", name="Record the instrument").click()
    expect(page.locator(".messages")).to_contain_text("The instrument of Viet Nam is recorded.")
    expect(page.locator("table.instruments tbody tr")).to_have_count(1)

    # --- A declaration: the central authority, designated on deposit --------------------------
    page.get_by_role("link", name="Record a declaration or notification").click()
    page.get_by_label("State or REIO").select_option(label="Viet Nam")
    page.get_by_label("Reservation, declaration or notification").select_option(
        "central-authority-40")
    page.get_by_label("Made").select_option("deposit")
    page.locator("#id_made_on").fill("2026-03-03")  # not the day of deposit
    page.get_by_label("Text").fill("Ministry of Public Security, Hanoi.")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".errorlist")).to_contain_text("the date is that of the instrument, "
                                                       "2 March 2026")
    page.locator("#id_made_on").fill("2026-03-02")
    page.get_by_role("button", name="Record it").click()
    expect(page.locator(".messages")).to_contain_text("is recorded")
    expect(page.locator("table.statements tbody tr")).to_have_count(1)
    logout(page)

    # --- What everyone sees -------------------------------------------------------------------
    page.goto(f"{url}/treaty/")
    expect(page.locator("[data-figure=signatories] .figure")).to_have_text("2")
    expect(page.locator("[data-figure=parties] .figure")).to_have_text("1")
    expect(page.locator("[data-figure=still-needed] .figure")).to_have_text("39")
    row = page.locator("tr[data-code=VNM]")
    expect(row.locator("td").nth(1)).to_have_text("25 Oct 2025")
    expect(row.locator("td").nth(2)).to_have_text(re.compile(r"^\s*2 Mar 2026\s*$"))
    expect(row.locator("td").nth(4)).to_contain_text("Designation of the central authority")
    expect(page.locator("tr[data-code=LAO] td").nth(1)).to_have_text("26 Oct 2025")
    expect(page.locator("svg.timeline-chart path.series-signatures")).to_have_count(1)

    page.get_by_role("link", name="Depositary notifications").click()
    references = page.locator("tr[data-reference]")
    expect(references).to_have_count(5)  # opening + 2 signatures + instrument + declaration
    expect(page.locator("table.notifications")).to_contain_text("VIET NAM: RATIFICATION")
    page.get_by_role("link", name=re.compile(r"^C\.N\.3\.")).click()
    expect(page.locator(".cn-subject")).to_have_text("VIET NAM: RATIFICATION")
    expect(page.locator(".cn-body")).to_contain_text("effected on 2 March 2026")
