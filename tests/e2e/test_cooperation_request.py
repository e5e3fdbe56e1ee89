"""A case officer's request in a real browser, from State A's node to State B's node.

Done when: an incomplete request is refused and the form says what is missing (article and
paragraph); completed, it is sent; the receiving officer's inbox on B's node shows it. A is the
live test server (and, as in the demo, the depositary); B is a separate node process.
"""

import json
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from convene.accounts.models import Role
from convene.cooperation import directory, keys
from convene.cooperation.designations import designate
from convene.cooperation.nodes import LocalNode
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e


@pytest.fixture
def node_b(live_server, settings, tmp_path):
    settings.CONVENE_COOPERATION_KEY_DIR = str(tmp_path / "a-keys")
    settings.CONVENE_COOPERATION_EVIDENCE_DIR = str(tmp_path / "a-evidence")
    settings.CONVENE_NODE_ID, settings.CONVENE_NODE_STATE = "node-a", "VNM"
    settings.CONVENE_NODE_URL = live_server.url
    # Delivery at once, on commit: no worker in the test process.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    keys._load.cache_clear()
    b = LocalNode("node-b", "LAO", tmp_path / "b")
    b.setup()
    b_keys = json.loads(b.export_keys().read_text())["keys"]
    designate(state="VNM", node_id="node-a", url=live_server.url, keys=keys.public_keys(),
              languages=["en"], name="Viet Nam")
    designate(state="LAO", node_id="node-b", url=b.url, keys=b_keys, languages=["en", "fr"],
              central_authority="Supreme People's Prosecutor", name="Lao PDR")
    pin = tmp_path / "pin.json"
    pin.write_text(json.dumps({"keys": [{k: v for k, v in j.items() if k != "status"}
                                        for j in keys.public_keys()["sign"]]}))
    settings.CONVENE_DEPOSITARY_PUBLIC_KEY = str(pin)
    directory.accept(directory.publish().token)
    b.extra_env.update({"CONVENE_DEPOSITARY_URL": live_server.url,
                        "CONVENE_DEPOSITARY_PUBLIC_KEY": str(pin)})
    b.manage("cooperation", "refresh")
    b.python("from convene.accounts.models import Role, RoleAssignment, User\n"
             f"u = User.objects.create_user('lao.officer', 'l@example.org', {PASSWORD!r})\n"
             "RoleAssignment.objects.create(user=u, role=Role.CASE_OFFICER)\nprint(1)")
    b.start(worker=False)
    yield b
    b.stop()


def test_incomplete_request_refused_then_sent_and_in_the_receivers_inbox(page, live_server,
                                                                        node_b, db):
    make_user("case.officer", Role.CASE_OFFICER)
    login(page, live_server, "case.officer")
    page.goto(f"{live_server.url}/cooperation/")
    page.get_by_role("link", name="New request").click()
    page.locator("select[name=kind]").select_option("preservation")
    page.get_by_role("button", name="Continue").click()
    page.locator("select[name=requested_state]").select_option("LAO")
    page.locator("select[name=request_language]").select_option("en")
    page.locator("select[name=offence]").select_option("art7")
    page.locator("#f-facts_summary").fill("Intrusion into a ministry's network on 1 November.")
    page.get_by_role("button", name="Send request").click()

    missing = page.locator("#missing")
    expect(missing).to_contain_text("cannot be sent yet")
    expect(missing.locator("li[data-field=requesting_authority]")).to_contain_text("40(15)(a)")
    expect(missing.locator("li[data-field=intends_mla]")).to_contain_text("42(2)")
    expect(missing.locator("li[data-field=facts_summary]")).to_have_count(0)
    # What was typed is still there.
    expect(page.locator("#f-facts_summary")).to_have_value(
        "Intrusion into a ministry's network on 1 November.")

    page.locator("#f-requesting_authority").fill("Cybercrime Department, Ministry of Public "
                                                 "Security")
    page.locator("#f-data_description").fill("Traffic data of account x at HostCo.")
    page.locator("#f-necessity").fill("The provider deletes logs after 7 days.")
    page.get_by_label("A request for mutual legal assistance will follow").check()
    page.get_by_role("button", name="Send request").click()
    expect(page.locator("#case-status")).to_have_attribute("data-status", "sent")
    expect(page.locator(".coop-msg[data-type=request]")).to_have_attribute(
        "data-status", "accepted")
    ref = page.locator("code").first.inner_text()

    # The receiving officer, on State B's node.
    login(page, SimpleNamespace(url=node_b.url), "lao.officer")
    page.goto(f"{node_b.url}/cooperation/")
    row = page.locator(f"#incoming tr[data-ref='{ref}']")
    expect(row).to_contain_text("Expedited preservation")
    expect(row).to_contain_text("VNM")
    row.get_by_role("link").click()
    expect(page.locator("#case-status")).to_have_attribute("data-status", "sent")
    expect(page.locator("body")).to_contain_text("Cybercrime Department")
