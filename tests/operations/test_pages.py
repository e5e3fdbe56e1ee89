"""The operations pages: what each shows, errors next to the field, fixed query counts, the live
board's polling, the printable report."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from convene.operations import services
from convene.operations.models import ChecklistItem, Issue, OperationsSettings
from tests.conftest import make_user
from tests.files import pdf_bytes
from tests.operations.conftest import T0, item


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def at_t0(ops):
    """Operations run as of T0 (ten days before the ceremony) through the exercise clock."""
    OperationsSettings.objects.update_or_create(
        event=ops.event, defaults={"clock_offset": timezone.now() - T0})
    return ops


def _populate(ops, n: int, start: int = 0) -> None:
    for k in range(start, start + n):
        tf = ops.protocol if k % 2 else ops.logistics
        owner = make_user(f"owner{k}")
        services.add_member(ops.organiser, tf, owner)
        a = item(tf, f"Item {k}", days=k % 7 - 2, owner=owner,
                 decision_needed="Decide" * (k % 2))
        b = item(tf, f"Follow-up {k}", days=k % 7, deps=[a], owner=owner)
        services.add_evidence(ops.organiser, b, kind="note", note=f"note {k}")
        services.report_issue(owner, tf, {"title": f"Issue {k}", "severity": "high",
                                          "delegation": None}, now=T0 - timedelta(hours=k))


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url", [
    "/operations/", "/operations/task-forces/", "/operations/issues/",
    "/operations/issues/?panel=1", "/operations/report/", "/operations/notifications/",
    "/api/operations/readiness", "/api/operations/task-forces", "/api/operations/issues",
    "protocol-page", "protocol-report", "protocol-items-api",
])
def test_list_pages_use_a_fixed_number_of_queries(at_t0, url):
    ops = at_t0
    url = {"protocol-page": f"/operations/task-forces/{ops.protocol.pk}/",
           "protocol-report": f"/operations/task-forces/{ops.protocol.pk}/report/",
           "protocol-items-api": f"/api/operations/task-forces/{ops.protocol.pk}/items",
           }.get(url, url)
    client = client_for(ops.organiser)
    _populate(ops, 3)
    client.get(url)  # first load escalates and reminds: writes, once
    few = _queries(client, url)
    _populate(ops, 12, start=3)
    client.get(url)
    assert _queries(client, url) == few


def test_dashboard_shows_progress_risks_critical_path_and_escalates_on_load(at_t0):
    ops = at_t0
    venue = item(ops.logistics, "Venue handed over", days=-1, effort=1)      # overdue
    item(ops.protocol, "Seating plan", days=3, effort=2, deps=[venue])
    item(ops.protocol, "Flags", status="done", days=-3)
    issue = services.report_issue(ops.m1, ops.protocol, {
        "title": "Lift to the VIP lounge out of order", "severity": "medium"},
        now=T0 - timedelta(hours=9))  # past its 8-hour limit, not yet evaluated
    assert Issue.objects.get(pk=issue.pk).escalated_at is None
    page = client_for(ops.organiser).get("/operations/").content.decode()
    assert Issue.objects.get(pk=issue.pk).escalation_reason == "time_limit"
    assert "As of 15 October 2025 09:0" in page
    assert re.search(r'data-figure="progress"><div class="figure">33 %', page)
    overdue = page.split('id="overdue"')[1].split("</section>")[0]
    assert "Venue handed over" in overdue and "Seating plan" not in overdue
    chain = page.split('id="critical-path"')[1].split("</section>")[0]
    assert chain.index("Venue handed over") < chain.index("Seating plan")
    escalated = page.split('id="escalated-issues"')[1].split("</ul>")[0]
    assert "Lift to the VIP lounge out of order" in escalated
    assert '<svg class="burndown"' in page and "<polyline" in page


def test_no_inline_script_or_style_in_operations_pages(at_t0):
    ops = at_t0
    it_ = item(ops.protocol, "Seating plan")
    issue = services.report_issue(ops.m1, ops.protocol, {"title": "x"}, now=T0)
    client = client_for(ops.organiser)
    for url in ["/operations/", "/operations/task-forces/", "/operations/issues/",
                "/operations/issues/new/", f"/operations/items/{it_.pk}/",
                f"/operations/issues/{issue.pk}/", "/operations/report/",
                f"/operations/task-forces/{ops.protocol.pk}/template/"]:
        html = client.get(url).content.decode()
        assert " style=" not in html and "<style" not in html, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url


def test_the_board_polls_and_answers_304_when_nothing_changed(at_t0, monkeypatch):
    ops = at_t0
    # Frozen: the panel's countdown (and so its ETag) changes with each minute.
    monkeypatch.setattr("convene.operations.clock.now", lambda event: T0 + timedelta(minutes=1))
    services.report_issue(ops.m1, ops.protocol, {"title": "Interpreter booth 4 silent",
                                                 "severity": "high"}, now=T0)
    client = client_for(ops.m2)  # a member sees the board
    page = client.get("/operations/issues/").content.decode()
    assert 'hx-get="/operations/issues/?panel=1"' in page and 'hx-trigger="every 10s"' in page
    panel = client.get("/operations/issues/?panel=1", HTTP_HX_REQUEST="true")
    assert "Interpreter booth 4 silent" in panel.content.decode()
    assert "<html" not in panel.content.decode()
    assert "escalates in 1 h 59 min" in panel.content.decode()
    etag = panel["ETag"]
    same = client.get("/operations/issues/?panel=1", HTTP_HX_REQUEST="true",
                      HTTP_IF_NONE_MATCH=etag)
    assert same.status_code == 304
    services.report_issue(ops.m1, ops.protocol, {"title": "Another"}, now=T0)
    changed = client.get("/operations/issues/?panel=1", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and "Another" in changed.content.decode()


def test_reporting_an_issue_from_a_phone(at_t0):
    ops = at_t0
    ops.protocol.venues = "Signing hall\nVIP lounge"
    ops.protocol.save()
    client = client_for(ops.m1)
    form = client.get(f"/operations/issues/new/?task_force={ops.protocol.pk}").content.decode()
    assert 'class="phone-form"' in form and '<option value="VIP lounge">' in form
    assert f'<option value="{ops.protocol.pk}" selected>' in form
    # Without a task force in the link, the reporter's own is chosen.
    own = client_for(ops.m1).get("/operations/issues/new/").content.decode()
    assert f'<option value="{ops.protocol.pk}" selected>' in own
    response = client.post("/operations/issues/new/", {
        "task_force": ops.protocol.pk, "title": "", "severity": "high"})
    assert "This field is required." in response.content.decode()
    response = client.post("/operations/issues/new/", {
        "task_force": ops.protocol.pk, "title": "Name plate missing for Lao PDR",
        "severity": "high", "location": "Signing hall", "session": "Signing ceremony"})
    issue = Issue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/operations/issues/{issue.pk}/"
    assert (issue.reported_by, issue.owner) == (ops.m1, ops.lead)
    assert abs(issue.reported_at - T0) < timedelta(minutes=1)  # on the exercise clock


def test_a_blocked_completion_is_explained_next_to_the_status(at_t0):
    ops = at_t0
    venue = item(ops.logistics, "Venue handed over")
    seating = item(ops.protocol, "Seating plan", deps=[venue])
    page = client_for(ops.m1).post(f"/operations/items/{seating.pk}/status/",
                                   {"status": "done"}).content.decode()
    status_section = page.split('id="status"')[1].split("</section>")[0]
    assert "errorlist" in status_section and "“Venue handed over” (Logistics)" in status_section


def test_a_cycle_is_explained_next_to_the_dependency(at_t0):
    ops = at_t0
    a = item(ops.protocol, "Order of precedence")
    b = item(ops.protocol, "Seating plan", deps=[a])
    page = client_for(ops.lead).post(f"/operations/items/{a.pk}/dependencies/",
                                     {"dependency": b.pk}).content.decode()
    form = page.split('id="dependency-form"')[1].split("</form>")[0]
    assert "would wait on each other" in form


def test_evidence_upload_and_download(at_t0):
    ops = at_t0
    target = item(ops.protocol, "Venue contract", evidence_required=True)
    client = client_for(ops.m1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = client.post(f"/operations/items/{target.pk}/evidence/", {
        "kind": "photo", "file": SimpleUploadedFile("contract.jpg", b"GIF89a..."),
        "done": "on"})
    assert "This file is a GIF image; upload a JPEG or PNG image." in bad.content.decode()
    pdf = pdf_bytes()
    ok = client.post(f"/operations/items/{target.pk}/evidence/", {
        "kind": "file", "file": SimpleUploadedFile("contract.pdf", pdf), "done": "on"})
    assert ok.status_code == 302
    target.refresh_from_db()
    assert target.status == "done"
    evidence = target.evidence.get()
    download = client.get(f"/operations/evidence/{evidence.pk}/")
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf
    assert client_for(ops.outsider).get(f"/operations/evidence/{evidence.pk}/").status_code \
        == 403


def test_the_printed_report_is_a_pdf_made_from_the_report_html(at_t0):
    ops = at_t0
    item(ops.protocol, "Seating plan", days=-1)
    services.report_issue(ops.m1, ops.protocol, {"title": "Flag of Lao PDR upside down",
                                                 "severity": "high"}, now=T0)
    client = client_for(ops.organiser)
    html = client.get("/operations/report/").content.decode()
    for section in ("report-status", "report-changes", "report-risks", "report-decisions"):
        assert f'id="{section}"' in html
    assert "Seating plan" in html.split('id="report-risks"')[1]
    response = client.get("/operations/report/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and len(response.content) > 10_000
    tf_pdf = client_for(ops.m1).get(f"/operations/task-forces/{ops.protocol.pk}/report/pdf/")
    assert tf_pdf["Content-Type"] == "application/pdf"


def test_applying_a_template_from_the_page(at_t0):
    ops = at_t0
    client = client_for(ops.lead)
    page = client.get(f"/operations/task-forces/{ops.protocol.pk}/template/").content.decode()
    assert "Order of precedence for the ceremony agreed" in page
    response = client.post(f"/operations/task-forces/{ops.protocol.pk}/template/",
                           {"area": "protocol", "keys": ["prot-delegation-list",
                                                         "prot-precedence"]})
    assert response.status_code == 302
    assert ChecklistItem.objects.filter(task_force=ops.protocol).count() == 2
    page = client.get(f"/operations/task-forces/{ops.protocol.pk}/template/").content.decode()
    assert page.count("already on the checklist") == 2


def test_members_see_the_board_but_not_the_leadership_dashboard(ops):
    member = client_for(ops.m1)
    assert member.get("/operations/task-forces/").status_code == 200
    assert member.get("/operations/").status_code == 403
    assert member.get(f"/operations/task-forces/{ops.protocol.pk}/report/").status_code == 200
    assert member.get(f"/operations/task-forces/{ops.logistics.pk}/report/").status_code == 403
    assert client_for(ops.outsider).get("/operations/task-forces/").status_code == 403
