"""The nomination flow in a real browser, from the focal point's form to the organiser's approval.

Done when: a focal point nominates one person by the form and more by file (a faulty file
lists every faulty row and changes nothing), the organiser sees the figures and approves in
place, and another delegation's focal point can neither see nor read Viet Nam's delegation.
"""

import re

import pytest
from playwright.sync_api import expect

from convene.delegations.models import Member
from tests.accreditation.helpers import vetted_for_approval
from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e

HEADER = "title,given_name,family_name,rank,function,email,is_head\n"
BAD_CSV = (
    HEADER
    + "Ms.,Thi B,Tran,vice_minister,Vice-Minister of Public Security,b@example.org,no\n"  # 2: fine
    + "\n"                                                       # 3: blank, skipped but counted
    + "Mr.,Van C,,minister,Adviser,not-an-email,no\n"          # 4: no family name, bad email
    + "Mr.,D,Pham,emperor,Adviser,,maybe\n"                    # 5: unknown rank, bad yes/no
    + "Mr.,E,Vo,other,Adviser,,yes\n"                          # 6: Nguyen is already the head
)
BAD_CSV_ERRORS = [  # (row, column) as the import page must list them, in this order
    ("4", "family_name"),
    ("4", "email"),
    ("5", "rank"),
    ("5", "is_head"),
    ("6", "is_head"),
]
GOOD_CSV = (
    HEADER
    + "Ms.,Thi B,Tran,vice_minister,Vice-Minister of Public Security,b@example.org,no\n"
    + "Mr.,Minh,Pham,Ambassador / Permanent Representative,Permanent Representative,,\n"
    + ",,Le,,Adviser,,\n"
)


def csv_file(name: str, text: str) -> dict:
    return {"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}


def member_rows(page):
    return page.locator("table.members tbody tr[id^='member-']")


def upload(page, live_server, delegation, payload: dict) -> None:
    page.goto(f"{live_server.url}/delegations/{delegation.pk}/members/import/")
    page.locator("input[type=file][name=file]").set_input_files(payload)
    page.get_by_role("button", name="Upload and nominate").click()


def test_nominate_import_approve_and_isolation(page, live_server, browser_errors, event,
                                               viet_nam, lao, organiser, focal_vnm, focal_lao):
    url = live_server.url

    # --- The focal point of Viet Nam nominates the head of delegation by the form -----------
    login(page, live_server, "focal.vnm")
    expect(page).to_have_url(f"{url}/delegations/{viet_nam.pk}/")  # straight to their delegation
    expect(page.locator("h1")).to_have_text("Viet Nam")
    expect(page.locator("table.members tbody")).to_contain_text("Nobody has been nominated yet.")

    page.get_by_role("link", name="Nominate a person").click()
    expect(page).to_have_url(f"{url}/delegations/{viet_nam.pk}/members/new/")
    page.get_by_label("Title").fill("H.E. Mr.")
    page.get_by_label("Given name(s)").fill("Van A")
    page.get_by_label("Family name").fill("Nguyen")
    page.get_by_label("Rank").select_option("minister")
    page.get_by_label("Function").fill("Minister of Public Security")
    page.get_by_label("Email").fill("nguyen.van.a@example.org")
    page.get_by_label("Head of delegation").check()
    page.get_by_role("button", name="Nominate", exact=True).click()

    expect(page).to_have_url(f"{url}/delegations/{viet_nam.pk}/")
    expect(page.locator(".messages")).to_contain_text("H.E. Mr. Van A Nguyen has been nominated.")
    expect(member_rows(page)).to_have_count(1)
    nguyen = member_rows(page).filter(has_text="H.E. Mr. Van A Nguyen")
    expect(nguyen).to_contain_text("(head of delegation)")
    expect(nguyen.locator("td").nth(1)).to_have_text("Minister")
    expect(nguyen.locator("td").nth(2)).to_have_text("Minister of Public Security")
    expect(nguyen.locator(".status")).to_have_text("Nominated")
    # A focal point nominates; only the secretariat approves.
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)

    # --- A faulty file: every faulty row listed, nobody nominated -----------------------------
    upload(page, live_server, viet_nam, csv_file("nominations-bad.csv", BAD_CSV))
    report = page.locator(".import-errors")
    expect(report).to_be_visible()
    expect(report.locator("h2")).to_have_text("The file was not imported: 5 problems.")
    expect(report).to_contain_text("Nothing has been changed.")
    errors = report.locator("tr.import-error")
    expect(errors).to_have_count(len(BAD_CSV_ERRORS))
    shown = [tuple(cell.strip() for cell in row.locator("td").all_inner_texts()[:2])
             for row in errors.all()]
    assert shown == BAD_CSV_ERRORS
    messages = errors.locator("td:nth-child(3)")
    expect(messages.nth(0)).to_have_text("This field is required.")
    expect(messages.nth(1)).to_have_text(re.compile("valid email"))
    expect(messages.nth(2)).to_contain_text("emperor")
    expect(messages.nth(3)).to_have_text("Write yes or no.")
    expect(messages.nth(4)).to_contain_text("H.E. Mr. Van A Nguyen is already the head")

    page.get_by_role("link", name="← Viet Nam").click()
    expect(page).to_have_url(f"{url}/delegations/{viet_nam.pk}/")
    expect(member_rows(page)).to_have_count(1)  # unchanged: the good row 2 was not saved either
    expect(page.locator("table.members")).not_to_contain_text("Tran")
    assert viet_nam.members.count() == 1

    # --- A correct file: everyone in it is nominated ------------------------------------------
    upload(page, live_server, viet_nam, csv_file("nominations.csv", GOOD_CSV))
    expect(page).to_have_url(f"{url}/delegations/{viet_nam.pk}/")
    expect(page.locator(".messages")).to_contain_text("3 people nominated from nominations.csv.")
    expect(member_rows(page)).to_have_count(4)
    for name, rank in [("Ms. Thi B Tran", "Vice-Minister"),
                       ("Mr. Minh Pham", "Ambassador / Permanent Representative"),
                       ("Le", "Other")]:
        row = member_rows(page).filter(has=page.get_by_role("cell", name=name, exact=True))
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(1)).to_have_text(rank)
        expect(row.locator(".status")).to_have_text("Nominated")
    expect(page.locator("main")).to_contain_text("1 place left.")
    logout(page)

    # --- The organiser sees the figures and approves one person in place ---------------------
    login(page, live_server, "organiser")
    expect(page).to_have_url(f"{url}/dashboard/")
    expect(page.locator("[data-figure=nominated] .figure")).to_have_text("4")
    expect(page.locator("[data-figure=approved] .figure")).to_have_text("0")
    vnm_row = page.locator("table.delegations tr[data-code=VNM]")
    expect(vnm_row.locator("td").nth(3)).to_have_text("4")  # nominated
    expect(vnm_row.locator("td").nth(4)).to_have_text("0")  # approved
    expect(vnm_row.locator("td").nth(5)).to_have_text("5")  # quota
    expect(page.locator("table.delegations tr[data-code=LAO] td").nth(3)).to_have_text("0")

    # Approval is the accreditation decision, which follows security vetting (issue 3).
    tran = Member.objects.get(delegation=viet_nam, family_name="Tran")
    vetted_for_approval(tran)
    vnm_row.get_by_role("link", name="Viet Nam").click()
    expect(page).to_have_url(f"{url}/delegations/{viet_nam.pk}/")
    row = page.locator(f"#member-{tran.pk}")
    expect(row.locator(".status")).to_have_text("Nominated")
    page.evaluate("window.__marker = 1")
    with page.expect_response(
        lambda r: r.url.endswith(f"/members/{tran.pk}/decision/") and r.request.method == "POST"
    ) as decided:
        row.get_by_role("button", name="Approve").click()
    assert decided.value.request.headers.get("hx-request") == "true", (
        "the Approve form was posted without htmx (did htmx load?)")
    assert decided.value.status == 200
    expect(row.locator(".status")).to_have_text("Approved")
    expect(row.get_by_role("button", name="Approve")).to_have_count(0)
    expect(row.get_by_role("button", name="Refuse")).to_have_count(1)
    assert page.evaluate("window.__marker") == 1, "the page reloaded instead of swapping the row"
    statuses = {r.get_attribute("id"): r.locator(".status").inner_text()
                for r in member_rows(page).all()}
    assert statuses == {f"member-{m.pk}": "Approved" if m.pk == tran.pk else "Nominated"
                        for m in viet_nam.members.all()}
    tran.refresh_from_db()
    assert tran.status == "approved"

    page.goto(f"{url}/dashboard/")
    expect(page.locator("[data-figure=approved] .figure")).to_have_text("1")
    expect(page.locator("table.delegations tr[data-code=VNM] td").nth(4)).to_have_text("1")
    logout(page)

    # --- The focal point of Lao can neither see nor read Viet Nam ----------------------------
    login(page, live_server, "focal.lao")
    expect(page).to_have_url(f"{url}/delegations/{lao.pk}/")
    page.goto(f"{url}/delegations/")
    expect(page.locator("table.delegations tr[data-code=LAO]")).to_have_count(1)
    expect(page.locator("table.delegations tr[data-code=VNM]")).to_have_count(0)
    expect(page.locator("table.delegations")).not_to_contain_text("Viet Nam")

    # Chromium logs the refused page as a failed resource; that one is expected.
    browser_errors.expect(rf"status of 403 .*/delegations/{viet_nam.pk}/\)$")
    response = page.goto(f"{url}/delegations/{viet_nam.pk}/")
    assert response.status == 403
    expect(page.locator("body")).not_to_contain_text("Nguyen")

    api = page.request.get(f"{url}/api/delegations/{viet_nam.pk}/members")
    assert api.status == 403, api.text()
    assert "Nguyen" not in api.text()
    own = page.request.get(f"{url}/api/delegations/{lao.pk}/members")  # the session is sent
    assert own.status == 200 and own.json() == []
