"""What the leadership sees: progress per task force, overdue and at-risk items, the critical
path, open issues by severity and the burn-down — computed from the data in a fixed number of
queries, for the dashboard, the readiness report and the API alike."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from convene.operations import escalation, readiness
from convene.operations.models import (
    PRIORITY_RANK,
    ChecklistItem,
    Issue,
    IssueStatus,
    Severity,
    TaskForce,
)


@dataclass
class TaskForceProgress:
    task_force: TaskForce
    total: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    at_risk: int = 0
    open_issues: int = 0
    escalated_issues: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class RiskRow:
    item: ChecklistItem
    reasons: tuple[str, ...]


@dataclass
class PathStep:
    item: ChecklistItem
    finish: datetime  # earliest finish given the chain before it


@dataclass
class ReadinessSummary:
    event: object
    now: datetime
    task_forces: list[TaskForceProgress]
    total: int
    done: int
    in_progress: int
    overdue: list[ChecklistItem]
    at_risk: list[RiskRow]
    critical_path: list[PathStep]
    critical_effort_days: float  # work left along the chain, in days (halves count)
    critical_slack: timedelta | None
    issues_by_severity: list[tuple[str, str, int]]  # (severity, label, open count)
    open_issues: list[Issue]
    escalated_issues: list[Issue]
    burndown: list[readiness.BurnPoint] = field(default_factory=list)
    items: dict[int, ChecklistItem] = field(default_factory=dict)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def critical_is_late(self) -> bool:
        return self.critical_slack is not None and self.critical_slack < timedelta(0)


def _local_date(value: datetime) -> date:
    return timezone.localtime(value).date()


def build_summary(event, now: datetime, task_force: TaskForce | None = None) -> ReadinessSummary:
    """The readiness picture of the whole event, or of one task force, at `now`."""
    task_forces = list(TaskForce.objects.filter(event=event).select_related("lead"))
    if task_force is not None:
        task_forces = [tf for tf in task_forces if tf.pk == task_force.pk]
    tf_ids = {tf.pk for tf in task_forces}
    rows = {i.pk: i for i in ChecklistItem.objects.filter(
        task_force__event=event).select_related("task_force", "owner")}
    edges = ChecklistItem.depends_on.through.objects.filter(
        from_checklistitem__task_force__event=event).values_list(
        "from_checklistitem_id", "to_checklistitem_id")
    deps: dict[int, list[int]] = {}
    for src, dst in edges:
        deps.setdefault(src, []).append(dst)
    # The rules see the whole event (dependencies cross task forces); the figures are scoped.
    graph = {pk: readiness.Item(
        id=pk, title=i.title, status=i.status, deadline=i.deadline,
        effort=timedelta(days=i.effort_days), depends_on=tuple(deps.get(pk, ())),
        task_force=i.task_force.name) for pk, i in rows.items()}
    for pk, item in rows.items():
        item.open_dependency_count = sum(1 for d in deps.get(pk, ()) if graph[d].is_open)
    finishes = readiness.earliest_finishes(graph, now)
    risks = [r for r in readiness.risks(graph, now, finishes)
             if rows[r.item.id].task_force_id in tf_ids]
    overdue = sorted((rows[pk] for pk, it in graph.items()
                      if readiness.is_overdue(it, now) and rows[pk].task_force_id in tf_ids),
                     key=lambda i: (i.deadline, PRIORITY_RANK[i.priority], i.pk))
    scoped = graph if task_force is None else {
        pk: it for pk, it in graph.items() if rows[pk].task_force_id in tf_ids}
    path = readiness.critical_path(graph if task_force is None else _with_chain(graph, scoped),
                                   now)
    progress = {tf.pk: TaskForceProgress(tf) for tf in task_forces}
    for pk, item in rows.items():
        p = progress.get(item.task_force_id)
        if p is None:
            continue
        p.total += 1
        p.done += item.status == readiness.DONE
        p.in_progress += item.status == readiness.IN_PROGRESS
        p.overdue += readiness.is_overdue(graph[pk], now)
    for risk in risks:
        progress[rows[risk.item.id].task_force_id].at_risk += 1
    issue_counts = Issue.objects.filter(task_force__in=tf_ids).values("task_force").annotate(
        open=Count("pk", filter=Q(status=IssueStatus.OPEN)),
        escalated=Count("pk", filter=Q(status=IssueStatus.OPEN, escalated_at__isnull=False)))
    for row in issue_counts:
        progress[row["task_force"]].open_issues = row["open"]
        progress[row["task_force"]].escalated_issues = row["escalated"]
    open_issues = sorted(
        Issue.objects.filter(task_force__in=tf_ids, status=IssueStatus.OPEN).select_related(
            "task_force", "owner", "delegation__entity"),
        key=lambda i: (i.escalated_at is None, -escalation.SEVERITY_ORDER[i.severity],
                       i.reported_at))
    by_severity = Counter(i.severity for i in open_issues)
    scoped_rows = [i for i in rows.values() if i.task_force_id in tf_ids]
    return ReadinessSummary(
        event=event, now=now,
        task_forces=[progress[tf.pk] for tf in task_forces],
        total=len(scoped_rows),
        done=sum(1 for i in scoped_rows if i.status == readiness.DONE),
        in_progress=sum(1 for i in scoped_rows if i.status == readiness.IN_PROGRESS),
        overdue=overdue,
        at_risk=[RiskRow(rows[r.item.id], r.reasons) for r in risks],
        critical_path=[PathStep(rows[it.id], finishes[it.id]) for it in path.items],
        critical_effort_days=round(path.effort.total_seconds() / 86400, 1),
        critical_slack=path.slack,
        issues_by_severity=[(s.value, s.label, by_severity.get(s.value, 0))
                            for s in reversed(Severity)],
        open_issues=open_issues,
        escalated_issues=[i for i in open_issues if i.escalated_at is not None],
        burndown=_burndown(event, scoped_rows, now),
        items=rows,
    )


def _with_chain(graph: dict, scoped: dict) -> dict:
    """One task force's items plus everything they wait on, for its own critical path."""
    keep, stack = set(scoped), list(scoped)
    while stack:
        for d in graph[stack.pop()].depends_on:
            if d not in keep:
                keep.add(d)
                stack.append(d)
    return {pk: graph[pk] for pk in keep}


def _burndown(event, rows: list[ChecklistItem], now: datetime) -> list[readiness.BurnPoint]:
    if not rows:
        return []
    first = min(_local_date(i.created_at) for i in rows)
    last = min(event.start_date, _local_date(now))
    if last < first:
        return []
    return readiness.burndown(((i.created_at, i.completed_at) for i in rows), first, last,
                              _local_date)
