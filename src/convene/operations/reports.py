"""The readiness report for a review meeting, per task force or combined: status, what changed
since the last review, risks, decisions needed — generated from the data, never written twice.

The same ReadinessReport feeds the printable page and the PDF (WeasyPrint renders the very
HTML the page shows), so the two cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from convene.operations import services
from convene.operations.charts import BurndownChart, burndown_chart
from convene.operations.models import ChecklistItem, Issue, ReviewSnapshot, TaskForce
from convene.operations.summary import ReadinessSummary, build_summary


@dataclass(frozen=True)
class Change:
    kind: str  # item_added, item_status, item_deadline, item_removed, issue_added,
    #            issue_resolved, issue_escalated
    title: str
    task_force: str
    before: str = ""
    after: str = ""

    @property
    def before_at(self) -> datetime | None:  # for deadline changes
        return datetime.fromisoformat(self.before) if self.kind == "item_deadline" else None

    @property
    def after_at(self) -> datetime | None:
        return datetime.fromisoformat(self.after) if self.kind == "item_deadline" else None


def changes_since(before_items: dict, before_issues: dict, items: dict,
                  issues: dict) -> list[Change]:
    """What differs between two review states (as services.review_state returns them)."""
    changes = []
    for key, now in items.items():
        old = before_items.get(key)
        if old is None:
            changes.append(Change("item_added", now["title"], now["task_force"],
                                  after=now["status"]))
            continue
        if old["status"] != now["status"]:
            changes.append(Change("item_status", now["title"], now["task_force"],
                                  old["status"], now["status"]))
        if old["deadline"] != now["deadline"]:
            changes.append(Change("item_deadline", now["title"], now["task_force"],
                                  old["deadline"], now["deadline"]))
    for key, old in before_items.items():
        if key not in items:
            changes.append(Change("item_removed", old["title"], old["task_force"]))
    for key, now in issues.items():
        old = before_issues.get(key)
        if old is None:
            changes.append(Change("issue_added", now["title"], now["task_force"],
                                  after=now["severity"]))
            old = {"status": "open", "escalated": False}
        if old["status"] == "open" and now["status"] == "resolved":
            changes.append(Change("issue_resolved", now["title"], now["task_force"]))
        if not old["escalated"] and now["escalated"]:
            changes.append(Change("issue_escalated", now["title"], now["task_force"]))
    order = ["issue_escalated", "item_status", "item_added", "issue_added", "issue_resolved",
             "item_deadline", "item_removed"]
    return sorted(changes, key=lambda c: (order.index(c.kind), c.task_force, c.title))


@dataclass
class Decision:
    kind: str  # "item" or "issue"
    text: str
    item: ChecklistItem | None = None
    issue: Issue | None = None


@dataclass
class ReadinessReport:
    event: object
    now: datetime
    task_force: TaskForce | None
    summary: ReadinessSummary
    chart: BurndownChart
    last_review: ReviewSnapshot | None
    changes: list[Change] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    serious_issues: list[Issue] = field(default_factory=list)
    status_labels: dict = field(default_factory=dict)

    @property
    def risk_count(self) -> int:
        s = self.summary
        return len(s.overdue) + len(s.at_risk) + len(self.serious_issues)


def build_report(event, now: datetime, task_force: TaskForce | None = None) -> ReadinessReport:
    from convene.operations.models import IssueStatus, ItemStatus

    summary = build_summary(event, now, task_force)
    review = services.last_review(event, task_force)
    items, issues = services.review_state(event, task_force)
    changes = []
    if review is not None:
        before_items, before_issues = review.items, review.issues
        if task_force is not None and review.task_force_id is None:
            # A combined review covered every task force; compare this one's part of it.
            before_items = {k: v for k, v in before_items.items()
                            if v["task_force"] == task_force.name}
            before_issues = {k: v for k, v in before_issues.items()
                             if v["task_force"] == task_force.name}
        changes = changes_since(before_items, before_issues, items, issues)
    decisions = [Decision("item", i.decision_needed, item=i)
                 for i in sorted(summary.items.values(), key=lambda i: (i.deadline, i.pk))
                 if i.decision_needed and not i.is_done
                 and (task_force is None or i.task_force_id == task_force.pk)]
    decisions += [Decision("issue", i.title, issue=i) for i in summary.open_issues
                  if i.escalated_at is not None]
    serious = [i for i in summary.open_issues if i.severity in ("high", "critical")]
    today = timezone.localtime(summary.now).date()
    return ReadinessReport(
        event=event, now=now, task_force=task_force, summary=summary,
        chart=burndown_chart(summary.burndown, event.start_date, today),
        last_review=review, changes=changes, decisions=decisions, serious_issues=serious,
        status_labels={**dict(ItemStatus.choices), **dict(IssueStatus.choices)})
