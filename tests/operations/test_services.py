"""Services: the dependency rules as people meet them, evidence, templates, findings, reviews,
who may do what — each change audited."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from PIL import Image

from convene.accounts.models import Role
from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.operations import checklist_templates, services
from convene.operations.models import ChecklistItem, Evidence, ItemSource, Notification
from convene.operations.reports import build_report, changes_since
from tests.files import HTML, pdf_bytes
from tests.operations.conftest import T0, item


def refused(fn, *args, **kwargs) -> services.OperationsRefused:
    with pytest.raises(services.OperationsRefused) as exc:
        fn(*args, **kwargs)
    return exc.value


def png_bytes(size=(4, 4)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


# --- Dependencies ---------------------------------------------------------------------------

def test_a_cycle_is_refused_also_across_task_forces(ops):
    a = item(ops.protocol, "Order of precedence")
    b = item(ops.logistics, "Signing hall fitted out")
    c = item(ops.protocol, "Signing order")
    services.add_dependency(ops.organiser, b, c)  # the hall waits on the signing order
    services.add_dependency(ops.organiser, c, a)  # which waits on the precedence
    error = refused(services.add_dependency, ops.organiser, a, b)
    assert error.field == "dependency"
    assert "“Order of precedence” → “Signing hall fitted out” → “Signing order” → " \
           "“Order of precedence”" in error.message
    assert list(a.depends_on.all()) == []
    assert refused(services.add_dependency, ops.organiser, a, a).field == "dependency"


def test_an_item_cannot_be_done_while_a_dependency_is_open(ops):
    venue = item(ops.logistics, "Venue handed over")
    seating = item(ops.protocol, "Seating plan", deps=[venue])
    error = refused(services.set_item_status, ops.m1, seating, "done", now=T0)
    assert "“Venue handed over” (Logistics)" in error.message
    seating.refresh_from_db()
    assert seating.status == "todo" and seating.completed_at is None
    # In progress is allowed while it waits; done once the dependency is done.
    services.set_item_status(ops.m1, seating, "in_progress", now=T0)
    services.set_item_status(ops.logistics_lead, venue, "done", now=T0)
    done = services.set_item_status(ops.m1, seating, "done", now=T0 + timedelta(hours=1))
    assert (done.status, done.completed_at, done.completed_by) == (
        "done", T0 + timedelta(hours=1), ops.m1)


def test_reopening_what_a_done_item_depends_on_is_refused(ops):
    venue = item(ops.logistics, "Venue handed over", status="done")
    seating = item(ops.protocol, "Seating plan", status="done", deps=[venue])
    error = refused(services.set_item_status, ops.logistics_lead, venue, "in_progress")
    assert "“Seating plan”" in error.message
    services.set_item_status(ops.m1, seating, "in_progress")
    services.set_item_status(ops.logistics_lead, venue, "in_progress")
    venue.refresh_from_db()
    assert venue.status == "in_progress" and venue.completed_at is None


def test_a_done_item_cannot_start_waiting_on_an_open_one(ops):
    done = item(ops.protocol, "Flags procured", status="done")
    open_ = item(ops.logistics, "Flag stands")
    assert "Reopen it first" in refused(services.add_dependency, ops.lead, done, open_).message


def test_dependencies_are_audited(ops):
    a, b = item(ops.protocol, "A"), item(ops.protocol, "B")
    services.add_dependency(ops.lead, a, b)
    services.remove_dependency(ops.lead, a, b)
    actions = list(AuditEvent.objects.filter(object_id=str(a.pk)).values_list("action",
                                                                               flat=True))
    assert actions[-2:] == ["readiness.dependency_added", "readiness.dependency_removed"]
    assert verify_chain() == []


# --- Evidence -------------------------------------------------------------------------------

def test_an_item_that_needs_evidence_is_done_only_with_it(ops):
    contract = item(ops.protocol, "Venue contract", evidence_required=True)
    assert "needs evidence" in refused(services.set_item_status, ops.m1, contract,
                                       "done").message
    services.add_evidence_and_complete(ops.m1, contract, kind="photo", filename="x.png",
                                       content=png_bytes(), now=T0)
    contract.refresh_from_db()
    assert contract.status == "done"
    evidence = contract.evidence.get()
    assert (evidence.content_type, evidence.size) == ("image/png", len(png_bytes()))
    assert evidence.file.name.startswith(f"operations/evidence/{contract.pk}/")
    assert "x.png" not in evidence.file.name  # stored under a name of ours


def test_completing_with_evidence_is_all_or_nothing(ops):
    venue = item(ops.logistics, "Venue handed over")
    seating = item(ops.protocol, "Seating plan", deps=[venue])
    refused(services.add_evidence_and_complete, ops.m1, seating, kind="note",
            note="Plan attached")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(("kind", "name", "content", "message"), [
    ("photo", "photo.jpg", b"not an image at all", "upload a JPEG or PNG image"),
    ("photo", "big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024), "larger than the 10.0\xa0MB"),
    ("file", "report.pdf", b"MZ\x90\x00 an executable", "This file is a program"),
    ("file", "tool.exe", b"MZ\x90\x00", "upload a PDF, Word, Excel"),
    ("file", "plan.pdf", HTML, "This file is a web page (HTML)"),
    ("file", "seats.csv", png_bytes(), "This file is a PNG image, but its name ends in .csv"),
    ("file", "plan.pdf", pdf_bytes(javascript="app.alert(1)"), "The PDF contains JavaScript"),
    ("file", "empty.txt", b"", "Choose a file"),
    ("note", "", None, "Write the note"),
])
def test_evidence_is_checked_by_content_and_size(ops, kind, name, content, message):
    target = item(ops.protocol, "Seating plan")
    error = refused(services.add_evidence, ops.m1, target, kind=kind, filename=name,
                    content=content)
    assert message in error.message
    assert not Evidence.objects.exists()


def test_files_of_the_allowed_kinds_are_accepted(ops):
    target = item(ops.protocol, "Seating plan")
    pdf = services.add_evidence(ops.m1, target, kind="file", filename="plan.pdf",
                                content=pdf_bytes())
    csv = services.add_evidence(ops.m1, target, kind="file", filename="seats.csv",
                                content=b"seat,delegation\n1,Viet Nam\n")
    photo_as_file = services.add_evidence(ops.m1, target, kind="file", filename="IMG_0001",
                                          content=png_bytes())
    assert [e.content_type for e in (pdf, csv, photo_as_file)] == [
        "application/pdf", "text/csv", "image/png"]


# --- Who may do what ------------------------------------------------------------------------

def test_members_change_their_own_task_force_items_only(ops):
    theirs = item(ops.protocol, "Seating plan")
    other = item(ops.logistics, "Catering")
    services.set_item_status(ops.m1, theirs, "in_progress")
    with pytest.raises(PermissionDenied):
        services.set_item_status(ops.m1, other, "in_progress")
    with pytest.raises(PermissionDenied):  # members do not manage the checklist
        services.create_item(ops.m1, ops.protocol, {"title": "x", "deadline": T0})
    with pytest.raises(PermissionDenied):  # a lead manages only their own task force
        services.create_item(ops.lead, ops.logistics, {"title": "x", "deadline": T0})
    with pytest.raises(PermissionDenied):
        services.set_item_status(ops.outsider, theirs, "done")


def test_an_owner_from_elsewhere_may_update_the_item_they_own(ops):
    owned = item(ops.logistics, "Catering", owner=ops.m1)
    services.set_item_status(ops.m1, owned, "in_progress")
    assert ChecklistItem.objects.get(pk=owned.pk).status == "in_progress"


def test_a_lead_gets_the_task_force_lead_role(ops):
    assert Role.TASK_FORCE_LEAD in ops.logistics_lead.role_set()
    assert ops.logistics_lead.has_perm("operations.view_readiness")


def test_removing_a_member_takes_their_rights_away(ops):
    target = item(ops.protocol, "Seating plan")
    assert ops.m2.has_perm("operations.change_item", target)
    services.remove_member(ops.lead, ops.protocol, ops.m2)
    assert not ops.m2.has_perm("operations.change_item", target)


# --- Templates ------------------------------------------------------------------------------

def test_the_shipped_template_is_consistent():
    template = checklist_templates.get_template("treaty-signing-summit")
    by_key = {i.key: i for i in template.items}
    areas = {tf["area"] for tf in checklist_templates.default_task_forces()}
    assert set(template.areas) == areas == {
        "protocol", "reception", "security", "communications", "logistics", "technical",
        "medical", "interpretation"}
    for i in template.items:
        for dep in i.depends_on:  # nothing waits on something due after it
            assert by_key[dep].deadline_days <= i.deadline_days, (i.key, dep)


def test_a_template_with_a_cycle_is_refused():
    spec = {"slug": "x", "name": "x", "items": [
        {"key": "a", "area": "p", "title": "A", "deadline_days": -2, "depends_on": ["b"]},
        {"key": "b", "area": "p", "title": "B", "deadline_days": -3, "depends_on": ["a"]}]}
    with pytest.raises(checklist_templates.TemplateError, match="cycle"):
        checklist_templates.parse_template(spec)


def test_applying_a_template_creates_items_and_links_them_across_task_forces(ops):
    created = services.apply_template(ops.lead, ops.protocol, "treaty-signing-summit",
                                      now=T0)
    keys = {i.template_key for i in created}
    assert "prot-precedence" in keys and all(i.source == ItemSource.TEMPLATE for i in created)
    precedence = ChecklistItem.objects.get(template_key="prot-precedence")
    assert list(precedence.depends_on.values_list("template_key", flat=True)) == [
        "prot-delegation-list"]
    # Deadlines are relative to the event: ten days before 25 October, at 18:00 local time.
    assert precedence.deadline.isoformat() == "2025-10-15T11:00:00+00:00"
    assert precedence.owner == ops.lead
    # Logistics applies its section later: the signing hall waits on protocol's signing order
    # (an edge into an existing task force's item) and protocol's seating on logistics' plenary
    # layout (an edge from an existing item to a new one).
    services.apply_template(ops.logistics_lead, ops.logistics, "treaty-signing-summit", now=T0)
    hall = ChecklistItem.objects.get(template_key="log-signing-hall")
    seating = ChecklistItem.objects.get(template_key="prot-seating")
    assert set(hall.depends_on.values_list("template_key", flat=True)) == {
        "log-venue-handover", "prot-signing-order"}
    assert "log-plenary-layout" in set(seating.depends_on.values_list("template_key",
                                                                     flat=True))
    # Applying again adds nothing.
    assert services.apply_template(ops.lead, ops.protocol, "treaty-signing-summit") == []


def test_a_lead_may_pick_template_items(ops):
    created = services.apply_template(ops.lead, ops.protocol, "treaty-signing-summit",
                                      ["prot-flags", "prot-seating"])
    assert sorted(i.template_key for i in created) == ["prot-flags", "prot-seating"]
    assert "Unknown template items" in refused(
        services.apply_template, ops.lead, ops.protocol, "treaty-signing-summit",
        ["sec-sweep"]).message


def test_assigning_an_item_notifies_its_owner(ops, immediate_tasks, mailoutbox,
                                             django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.create_item(ops.lead, ops.protocol, {"title": "Name plates printed",
                                                      "deadline": T0, "owner": ops.m1})
    n = Notification.objects.get(user=ops.m1)
    assert n.kind == "item_assigned" and n.emailed_at is not None
    assert [m.to for m in mailoutbox] == [[ops.m1.email]]
    assert "Name plates printed" in mailoutbox[0].subject


# --- Dress-rehearsal findings (for the run-of-show app) -------------------------------------

def test_findings_become_items_with_owners_once(ops):
    findings = [
        services.Finding("Microphone 3 at the signing table crackles", "logistics",
                         ref="rehearsal-1/cue-12"),
        services.Finding("Name plate of Lao PDR misspelt", "protocol", ref="rehearsal-1/cue-3",
                         owner=ops.m2, priority="critical"),
    ]
    first = services.create_items_from_findings(ops.organiser, ops.event, findings, now=T0)
    assert [(i.task_force, i.owner, i.source) for i in first] == [
        (ops.logistics, ops.logistics_lead, "rehearsal"), (ops.protocol, ops.m2, "rehearsal")]
    assert first[0].deadline == T0 + timedelta(hours=24)
    again = services.create_items_from_findings(ops.organiser, ops.event, findings, now=T0)
    assert [i.pk for i in again] == [i.pk for i in first]
    assert ChecklistItem.objects.count() == 2
    # A lead may file findings for their own task force only.
    with pytest.raises(PermissionDenied):
        services.create_items_from_findings(ops.lead, ops.event, findings[:1])
    assert "No task force" in refused(
        services.create_items_from_findings, ops.organiser, ops.event,
        [services.Finding("x", "catering", ref="r")]).message


# --- Reviews --------------------------------------------------------------------------------

def test_the_report_says_what_changed_since_the_last_review(ops):
    a = item(ops.protocol, "Seating plan")
    b = item(ops.protocol, "Flags procured")
    services.record_review(ops.organiser, ops.event, now=T0)
    services.set_item_status(ops.m1, a, "done", now=T0 + timedelta(days=1))
    services.update_item(ops.lead, b, {"deadline": b.deadline + timedelta(days=2)})
    item(ops.logistics, "Signage installed")
    services.report_issue(ops.m1, ops.protocol, {"title": "Flag of Lao PDR upside down",
                                                 "severity": "low"}, now=T0)
    report = build_report(ops.event, T0 + timedelta(days=1))
    kinds = {(c.kind, c.title) for c in report.changes}
    assert kinds == {("item_status", "Seating plan"), ("item_deadline", "Flags procured"),
                     ("item_added", "Signage installed"),
                     ("issue_added", "Flag of Lao PDR upside down")}
    # The protocol report compares with the combined review, protocol's part of it only.
    tf_report = build_report(ops.event, T0 + timedelta(days=1), ops.protocol)
    assert ("item_added", "Signage installed") not in {(c.kind, c.title)
                                                        for c in tf_report.changes}
    with pytest.raises(PermissionDenied):  # the combined review is the committee's
        services.record_review(ops.lead, ops.event)
    services.record_review(ops.lead, ops.event, ops.protocol)


def test_changes_since_lists_resolutions_and_escalations():
    before = {"1": {"title": "Hotel short", "status": "open", "severity": "high",
                    "task_force": "Reception", "escalated": False}}
    now = {"1": {**before["1"], "status": "resolved", "escalated": True}}
    changes = changes_since({}, before, {}, now)
    assert [c.kind for c in changes] == ["issue_escalated", "issue_resolved"]
