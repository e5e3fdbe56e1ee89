"""The demo: the organising committee ten days before the ceremony, loaded twice harmlessly."""

from datetime import timedelta

from django.utils import timezone

from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain
from convene.core.demo import load_demo as load_core_demo
from convene.core.models import Event
from convene.operations import clock
from convene.operations.demo import load_demo
from convene.operations.models import (
    ChecklistItem,
    Issue,
    Notification,
    ReviewSnapshot,
    TaskForce,
)
from convene.operations.reports import build_report


def _counts():
    return (TaskForce.objects.count(), ChecklistItem.objects.count(), Issue.objects.count(),
            Notification.objects.count(), ReviewSnapshot.objects.count(),
            AuditEvent.objects.count())


def test_demo_committee_ten_days_before_the_ceremony(db):
    load_core_demo()
    event = Event.objects.get(slug="hanoi-2025")
    load_demo(event)
    counts = _counts()
    load_demo(event)
    assert _counts() == counts
    assert verify_chain() == []

    now = clock.now(event)
    local = timezone.localtime(now)
    assert (local.date().isoformat(), local.hour) == ("2025-10-15", 9)
    assert event.start_date - local.date() == timedelta(days=10)

    tfs = {tf.area: tf for tf in TaskForce.objects.select_related("lead")}
    assert len(tfs) == 8 and all(tf.lead and tf.is_demo for tf in tfs.values())
    assert tfs["reception"].lead.username == "taskforce"
    assert tfs["reception"].members.count() == 2

    report = build_report(event, now)
    s = report.summary
    assert 15 <= s.percent <= 40  # realistic: most of the work falls in the last ten days
    assert len(s.overdue) >= 1 and len(s.at_risk) >= 3
    assert s.critical_path and not s.critical_is_late
    assert {i.escalation_reason for i in s.escalated_issues} == {"time_limit",
                                                                 "beyond_authority"}
    assert any(c.kind == "item_status" for c in report.changes)  # since the review of 8 Oct
    assert any(d.kind == "issue" for d in report.decisions)
    # Every done item has all it depends on done (the invariant the services keep).
    for item in ChecklistItem.objects.filter(status="done").prefetch_related("depends_on"):
        assert all(d.status == "done" for d in item.depends_on.all()), item
    # The burn-down starts when the checklists were drawn up and ends today.
    assert s.burndown[0].day.isoformat() == "2025-09-10"
    assert s.burndown[-1].day == local.date()
    assert s.burndown[-1].open == s.total - s.done
