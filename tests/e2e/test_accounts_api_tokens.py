"""The API-token journey in a real browser (issue 16): a focal point opens "API tokens" from the
menu, creates a read-only token, copies its secret (shown once), a script uses it, and the
focal point revokes it in place; the script is refused from then on."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


def test_a_focal_point_creates_uses_and_revokes_a_token(page, live_server, focal_vnm, viet_nam):
    login(page, live_server, "focal.vnm")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    expect(page.get_by_text("You have no API token.")).to_be_visible()

    page.get_by_label("Name").fill("Nomination script")
    page.get_by_label("Read only").check()
    page.get_by_label("Valid for (days)").fill("7")
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_text("it is shown only this once")).to_be_visible()
    secret = page.locator("#new-token").inner_text()
    assert secret.startswith("cvn_")

    script = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert script.get(f"/api/delegations/{viet_nam.pk}/members").status_code == 200
    assert script.post(f"/api/delegations/{viet_nam.pk}/members", {"family_name": "Tran"},
                       content_type="application/json").status_code == 403

    # The list shows the last use (from the script's address) but never the secret again.
    page.reload()
    row = page.locator("table.api-tokens tbody tr", has_text="Nomination script")
    expect(row).to_contain_text("127.0.0.1")
    expect(page.locator("#new-token")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Revoke").click()
    expect(row).to_contain_text("revoked")
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)
    assert script.get(f"/api/delegations/{viet_nam.pk}/members").status_code == 401
