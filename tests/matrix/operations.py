"""Task forces, readiness and issues (issue 7): pages and API.

The task_force_lead user leads the prepared task force; task-force *members* are ordinary
users with no role, tested in tests/operations (they are not a role of this matrix).
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from convene.operations.models import ChecklistItem, Evidence, Issue, TaskForce
from tests.conftest import make_user
from tests.matrix import LOGGED_IN, Operation, Page

ORGANISER = ["organiser"]
FOLLOWS = ["organiser", "observer", "task_force_lead"]  # the committee, its observer, leads
MANAGES = ["organiser", "task_force_lead"]  # the organiser, the task force's own lead


def prepare(world):
    w = world
    lead = w.users["task_force_lead"]
    w.tf = TaskForce.objects.create(event=w.event, area="protocol", name="Protocol", lead=lead)
    w.tf_member = make_user("tf.member")
    w.tf.memberships.create(user=w.tf_member)
    deadline = timezone.now() + timedelta(days=3)
    w.item = ChecklistItem.objects.create(task_force=w.tf, title="Seating plan",
                                          deadline=deadline)
    w.item2 = ChecklistItem.objects.create(task_force=w.tf, title="Flags", deadline=deadline)
    w.item3 = ChecklistItem.objects.create(task_force=w.tf, title="Script", deadline=deadline)
    w.item.depends_on.add(w.item2)
    # One file for every run (the matrix prepares a world per page; no pile of copies).
    name = "operations/evidence/matrix/plan.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(b"%PDF-1.4 seating plan"))
    w.evidence = Evidence.objects.create(item=w.item, kind="file", file=name, size=21,
                                         original_name="plan.pdf",
                                         content_type="application/pdf")
    w.issue = Issue.objects.create(task_force=w.tf, title="Lift out of order", owner=lead,
                                   time_limit=timedelta(hours=8))


def _u(name, *attrs):
    return lambda w: reverse(name, args=[getattr(w, a).pk for a in attrs])


PAGES = {
    "operations:dashboard": Page(FOLLOWS, _u("operations:dashboard")),
    "operations:report": Page(FOLLOWS, _u("operations:report")),
    "operations:report_pdf": Page(FOLLOWS, _u("operations:report_pdf")),
    "operations:review_record": Page(ORGANISER, _u("operations:review_record"), "post"),
    "operations:task_forces": Page(FOLLOWS, _u("operations:task_forces")),
    "operations:install_defaults": Page(ORGANISER, _u("operations:install_defaults"), "post"),
    "operations:task_force_create": Page(ORGANISER, _u("operations:task_force_create")),
    "operations:task_force": Page(FOLLOWS, _u("operations:task_force", "tf")),
    "operations:task_force_edit": Page(ORGANISER, _u("operations:task_force_edit", "tf")),
    "operations:task_force_members": Page(MANAGES, _u("operations:task_force_members", "tf")),
    "operations:member_remove": Page(MANAGES, _u("operations:member_remove", "tf", "tf_member"),
                                     "post"),
    "operations:apply_template": Page(MANAGES, _u("operations:apply_template", "tf")),
    "operations:item_create": Page(MANAGES, _u("operations:item_create", "tf")),
    "operations:task_force_report": Page(FOLLOWS, _u("operations:task_force_report", "tf")),
    "operations:task_force_report_pdf": Page(FOLLOWS,
                                             _u("operations:task_force_report_pdf", "tf")),
    "operations:task_force_review": Page(MANAGES, _u("operations:task_force_review", "tf"),
                                         "post"),
    "operations:item": Page(FOLLOWS, _u("operations:item", "item")),
    "operations:item_edit": Page(MANAGES, _u("operations:item_edit", "item")),
    "operations:item_status": Page(MANAGES, _u("operations:item_status", "item"), "post",
                                   lambda w: {"status": "in_progress"}),
    "operations:item_evidence": Page(MANAGES, _u("operations:item_evidence", "item"), "post",
                                     lambda w: {"kind": "note", "note": "Checked on site."}),
    "operations:item_dependency_add": Page(MANAGES,
                                           _u("operations:item_dependency_add", "item"),
                                           "post", lambda w: {"dependency": w.item3.pk}),
    "operations:item_dependency_remove": Page(
        MANAGES, _u("operations:item_dependency_remove", "item", "item2"), "post"),
    "operations:evidence_file": Page(FOLLOWS, _u("operations:evidence_file", "evidence")),
    "operations:board": Page(FOLLOWS, _u("operations:board")),
    "operations:issue_report": Page(MANAGES, _u("operations:issue_report")),
    "operations:issue": Page(FOLLOWS, _u("operations:issue", "issue")),
    "operations:issue_resolve": Page(MANAGES, _u("operations:issue_resolve", "issue"), "post",
                                     lambda w: {"resolution": "Technician fixed it."}),
    "operations:issue_assign": Page(MANAGES, _u("operations:issue_assign", "issue"), "post",
                                    lambda w: {"owner": w.tf_member.pk}),
    "operations:issue_escalate": Page(MANAGES, _u("operations:issue_escalate", "issue"),
                                      "post"),
    "operations:notifications": Page(LOGGED_IN, _u("operations:notifications")),
    "operations:notifications_read": Page(LOGGED_IN, _u("operations:notifications_read"),
                                          "post"),
}


def _api(path, attr=None):
    return lambda w: path.replace("{pk}", str(getattr(w, attr).pk)) if attr else path


OPERATIONS = {
    ("get", "/api/operations/readiness"): Operation(FOLLOWS),
    ("get", "/api/operations/task-forces"): Operation(FOLLOWS),
    ("get", "/api/operations/task-forces/{pk}/items"): Operation(
        FOLLOWS, _api("/api/operations/task-forces/{pk}/items", "tf")),
    ("post", "/api/operations/items/{pk}/status"): Operation(
        MANAGES, _api("/api/operations/items/{pk}/status", "item"),
        lambda w: {"status": "in_progress"}),
    ("get", "/api/operations/issues"): Operation(FOLLOWS),
    ("post", "/api/operations/issues"): Operation(
        MANAGES, body=lambda w: {"task_force_id": w.tf.pk, "title": "Badge printer jams",
                                 "severity": "medium"}),
    ("post", "/api/operations/issues/{pk}/resolve"): Operation(
        MANAGES, _api("/api/operations/issues/{pk}/resolve", "issue"),
        lambda w: {"resolution": "Printer replaced."}),
}
