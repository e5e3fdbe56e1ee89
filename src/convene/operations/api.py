"""Task forces, readiness and issues over JSON; the same services and rules as the pages."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from convene.core.models import current_event
from convene.operations import clock, escalation, services
from convene.operations.forms import IssueForm
from convene.operations.models import ChecklistItem, Issue, IssueStatus, TaskForce
from convene.operations.summary import build_summary

router = Router(tags=["operations"])


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


class TaskForceOut(Schema):
    id: int
    area: str
    name: str
    lead: str | None
    total: int
    done: int
    percent: int
    overdue: int
    at_risk: int
    open_issues: int
    escalated_issues: int


class ItemOut(Schema):
    id: int
    task_force_id: int
    title: str
    status: str
    priority: str
    owner: str | None
    deadline: datetime
    effort_days: int
    depends_on: list[int]
    completed_at: datetime | None


class StatusIn(Schema):
    status: str


class IssueIn(Schema):
    task_force_id: int
    title: str
    severity: str = escalation.MEDIUM
    location: str = ""
    session: str = ""
    delegation_id: int | None = None
    description: str = ""
    beyond_authority: bool = False


class IssueOut(Schema):
    id: int
    task_force_id: int
    title: str
    severity: str
    status: str
    location: str
    session: str
    delegation_id: int | None
    reported_at: datetime
    owner: str | None
    escalated_at: datetime | None
    escalation_reason: str
    due_at: datetime


class ResolveIn(Schema):
    resolution: str


class ReadinessOut(Schema):
    as_of: datetime
    total: int
    done: int
    percent: int
    overdue: list[int]
    at_risk: list[int]
    critical_path: list[int]
    critical_slack_hours: float | None
    open_issues_by_severity: dict[str, int]
    escalated_issues: list[int]
    task_forces: list[TaskForceOut]


DENIED = {401: Error, 403: Error, 404: Error}


def _event():
    event = current_event()
    if event is None:
        from django.http import Http404

        raise Http404
    return event


def _check(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _tf_out(p) -> dict:
    tf = p.task_force
    return {"id": tf.pk, "area": tf.area, "name": tf.name,
            "lead": tf.lead.username if tf.lead else None, "total": p.total, "done": p.done,
            "percent": p.percent, "overdue": p.overdue, "at_risk": p.at_risk,
            "open_issues": p.open_issues, "escalated_issues": p.escalated_issues}


def _item_out(item: ChecklistItem, depends_on: list[int]) -> dict:
    return {"id": item.pk, "task_force_id": item.task_force_id, "title": item.title,
            "status": item.status, "priority": item.priority,
            "owner": item.owner.username if item.owner else None, "deadline": item.deadline,
            "effort_days": item.effort_days, "depends_on": depends_on,
            "completed_at": item.completed_at}


def _issue_out(issue: Issue) -> dict:
    return {"id": issue.pk, "task_force_id": issue.task_force_id, "title": issue.title,
            "severity": issue.severity, "status": issue.status, "location": issue.location,
            "session": issue.session, "delegation_id": issue.delegation_id,
            "reported_at": issue.reported_at,
            "owner": issue.owner.username if issue.owner else None,
            "escalated_at": issue.escalated_at, "escalation_reason": issue.escalation_reason,
            "due_at": issue.due_at}


@router.get("/readiness", response={200: ReadinessOut, **DENIED},
            summary="The readiness dashboard's figures (organising committee, leads)")
def readiness(request):
    _check(request, "operations.view_readiness")
    event = _event()
    now = clock.now(event)
    services.tick(event, now)
    s = build_summary(event, now)
    return {
        "as_of": now, "total": s.total, "done": s.done, "percent": s.percent,
        "overdue": [i.pk for i in s.overdue], "at_risk": [r.item.pk for r in s.at_risk],
        "critical_path": [step.item.pk for step in s.critical_path],
        "critical_slack_hours": s.critical_slack.total_seconds() / 3600
        if s.critical_slack is not None else None,
        "open_issues_by_severity": {code: n for code, _label, n in s.issues_by_severity},
        "escalated_issues": [i.pk for i in s.escalated_issues],
        "task_forces": [_tf_out(p) for p in s.task_forces],
    }


@router.get("/task-forces", response={200: list[TaskForceOut], **DENIED})
def list_task_forces(request):
    _check(request, "operations.view_operations")
    event = _event()
    return [_tf_out(p) for p in build_summary(event, clock.now(event)).task_forces]


@router.get("/task-forces/{pk}/items", response={200: list[ItemOut], **DENIED},
            summary="A task force's readiness checklist")
def list_items(request, pk: int):
    tf = get_object_or_404(TaskForce, pk=pk)
    _check(request, "operations.view_operations", tf)
    items = list(ChecklistItem.objects.filter(task_force=tf).select_related("owner"))
    edges = ChecklistItem.depends_on.through.objects.filter(
        from_checklistitem__task_force_id=pk).values_list(
        "from_checklistitem_id", "to_checklistitem_id")
    deps: dict[int, list[int]] = {}
    for src, dst in edges:
        deps.setdefault(src, []).append(dst)
    return [_item_out(i, sorted(deps.get(i.pk, []))) for i in items]


@router.post("/items/{pk}/status", response={200: ItemOut, 409: Error, **DENIED},
             summary="Move an item to todo, in_progress or done (refused while it waits)")
def set_status(request, pk: int, payload: StatusIn):
    item = get_object_or_404(ChecklistItem.objects.select_related("task_force__event"), pk=pk)
    try:
        item = services.set_item_status(request.user, item, payload.status)
    except services.OperationsRefused as exc:
        return 409, {"detail": exc.message}
    return 200, _item_out(item, sorted(item.depends_on.values_list("pk", flat=True)))


@router.get("/issues", response={200: list[IssueOut], **DENIED},
            summary="Open issues of the event, escalated first")
def list_issues(request):
    _check(request, "operations.view_operations")
    event = _event()
    services.evaluate_escalations(event, clock.now(event))
    issues = Issue.objects.filter(task_force__event=event, status=IssueStatus.OPEN)
    issues = sorted(issues.select_related("owner"), key=lambda i: (
        i.escalated_at is None, -escalation.SEVERITY_ORDER[i.severity], i.reported_at))
    return [_issue_out(i) for i in issues]


@router.post("/issues", response={201: IssueOut, 409: Error, 422: FieldErrors, **DENIED},
             summary="Report an issue to a task force")
def report(request, payload: IssueIn):
    _check(request, "operations.report_issue")
    event = _event()
    data = payload.dict()
    form = IssueForm(data={**data, "task_force": data.pop("task_force_id"),
                           "delegation": data.pop("delegation_id")}, event=event)
    if not form.is_valid():
        errors = {k: [e["message"] for e in v] for k, v in form.errors.get_json_data().items()}
        return 422, {"detail": "Some fields are not valid.", "errors": errors}
    cleaned = dict(form.cleaned_data)
    try:
        issue = services.report_issue(request.user, cleaned.pop("task_force"), cleaned)
    except services.OperationsRefused as exc:
        return 409, {"detail": exc.message}
    return 201, _issue_out(issue)


@router.post("/issues/{pk}/resolve", response={200: IssueOut, 409: Error, **DENIED})
def resolve(request, pk: int, payload: ResolveIn):
    issue = get_object_or_404(Issue.objects.select_related("task_force__event"), pk=pk)
    try:
        issue = services.resolve_issue(request.user, issue, payload.resolution)
    except services.OperationsRefused as exc:
        return 409, {"detail": exc.message}
    return 200, _issue_out(issue)

