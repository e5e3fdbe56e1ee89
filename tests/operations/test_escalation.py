"""Escalation to the organising committee and reminders, evaluated at explicit times, through
the services and the periodic command `convene operations escalate`."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from convene.audit.models import AuditEvent
from convene.operations import services
from convene.operations.models import Issue, Notification, OperationsSettings
from tests.operations.conftest import T0, item


def report(ops, who=None, **data):
    data = {"title": "Lift to the VIP lounge out of order", "severity": "medium",
            "location": "VIP lounge", **data}
    return services.report_issue(who or ops.m1, ops.protocol, data, now=T0)


def escalations(issue):
    return AuditEvent.objects.filter(action="issue.escalated", object_id=str(issue.pk)).count()


def test_an_issue_escalates_only_after_its_time_limit(ops):
    issue = report(ops)  # medium: 8 hours
    assert issue.time_limit == timedelta(hours=8) and issue.owner == ops.lead
    assert services.evaluate_escalations(ops.event, T0 + timedelta(hours=8)) == []
    assert Issue.objects.get(pk=issue.pk).escalated_at is None
    escalated = services.evaluate_escalations(ops.event, T0 + timedelta(hours=8, minutes=1))
    assert [i.pk for i in escalated] == [issue.pk]
    issue.refresh_from_db()
    assert issue.escalated_at == T0 + timedelta(hours=8, minutes=1)
    assert issue.escalation_reason == "time_limit"


def test_escalation_is_idempotent(ops):
    issue = report(ops)
    later = T0 + timedelta(hours=9)
    services.evaluate_escalations(ops.event, later)
    assert services.evaluate_escalations(ops.event, later) == []
    assert services.evaluate_escalations(ops.event, later + timedelta(days=2)) == []
    assert escalations(issue) == 1
    # Each person is told once: the organiser, the lead (also the owner).
    assert sorted(Notification.objects.filter(kind="escalation").values_list(
        "user__username", flat=True)) == ["lead.protocol", "organiser"]


def test_a_resolved_issue_never_escalates(ops):
    issue = report(ops)
    services.resolve_issue(ops.lead, issue, "Technician on site, lift working.",
                           now=T0 + timedelta(hours=2))
    assert services.evaluate_escalations(ops.event, T0 + timedelta(days=1)) == []
    with pytest.raises(services.OperationsRefused):
        services.resolve_issue(ops.lead, issue, "again")


def test_beyond_authority_escalates_when_reported(ops):
    flagged = report(ops, beyond_authority=True, title="Head of State arrives a day early")
    too_severe = report(ops, severity="critical", title="Fire alarm in the signing hall")
    for issue in (flagged, too_severe):  # protocol settles up to "high" on its own
        issue.refresh_from_db()
        assert (issue.escalated_at, issue.escalation_reason) == (T0, "beyond_authority")
    assert too_severe.time_limit == timedelta(minutes=30)


def test_a_lead_escalates_by_hand(ops):
    issue = report(ops)
    with pytest.raises(PermissionDenied):
        services.escalate_issue(ops.m2, issue)  # a member who does not own it
    services.escalate_issue(ops.lead, issue, now=T0 + timedelta(minutes=5))
    issue.refresh_from_db()
    assert issue.beyond_authority and issue.escalation_reason == "beyond_authority"
    assert services.evaluate_escalations(ops.event, T0 + timedelta(days=1)) == []


def test_the_owner_resolves_and_others_may_not(ops):
    issue = report(ops)
    services.assign_issue(ops.lead, issue, ops.m2)
    with pytest.raises(PermissionDenied):
        services.resolve_issue(ops.m1, issue, "done")  # the reporter is not the owner
    resolved = services.resolve_issue(ops.m2, issue, "Fixed", now=T0 + timedelta(hours=1))
    assert (resolved.status, resolved.resolved_by) == ("resolved", ops.m2)


def test_escalation_mails_the_committee(ops, immediate_tasks, mailoutbox,
                                       django_capture_on_commit_callbacks):
    issue = report(ops)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluate_escalations(ops.event, T0 + timedelta(hours=9))
    assert sorted(m.to[0] for m in mailoutbox) == ["lead.protocol@example.org",
                                                   "organiser@example.org"]
    assert all(issue.title in m.subject for m in mailoutbox)
    assert "Open past its time limit" in mailoutbox[0].body


def test_owners_are_reminded_once_of_items_coming_due(ops):
    soon = item(ops.protocol, "Seating plan", days=1, owner=ops.m1)
    item(ops.protocol, "Flags", days=5, owner=ops.m1)           # not yet
    item(ops.protocol, "Script", days=1, owner=ops.m2, status="done")  # done
    item(ops.protocol, "Late", days=-1, owner=ops.m2)            # already overdue
    sent = services.send_due_reminders(ops.event, T0)
    assert [(n.user, n.item) for n in sent] == [(ops.m1, soon)]
    assert services.send_due_reminders(ops.event, T0 + timedelta(hours=1)) == []
    # A new deadline is a new reminder.
    services.update_item(ops.lead, soon, {"deadline": soon.deadline + timedelta(hours=12)})
    assert len(services.send_due_reminders(ops.event, T0 + timedelta(hours=2))) == 1


def test_the_command_escalates_as_of_now_and_twice_is_harmless(ops):
    issue = report(ops)
    out = StringIO()
    call_command("operations", "escalate", "--now", (T0 + timedelta(hours=7)).isoformat(),
                 stdout=out)
    assert "0 issue(s) escalated" in out.getvalue()
    call_command("operations", "escalate", "--event", ops.event.slug, "--now",
                 (T0 + timedelta(hours=8, minutes=30)).isoformat(), stdout=out)
    assert f"escalated: #{issue.pk}" in out.getvalue()
    call_command("operations", "escalate", stdout=out)  # real time, long after: nothing new
    assert escalations(issue) == 1
    with pytest.raises(CommandError):
        call_command("operations", "escalate", "--now", "yesterday")


def test_the_exercise_clock_shifts_what_now_means(ops):
    from django.utils import timezone

    from convene.operations import clock

    OperationsSettings.objects.update_or_create(
        event=ops.event, defaults={"clock_offset": timezone.now() - T0})
    assert abs(clock.now(ops.event) - T0) < timedelta(seconds=5)
    issue = report(ops)
    assert services.evaluate_escalations(ops.event) == []  # only minutes have passed
    OperationsSettings.objects.filter(event=ops.event).update(
        clock_offset=timezone.now() - T0 - timedelta(hours=9))
    assert [i.pk for i in services.evaluate_escalations(ops.event)] == [issue.pk]
