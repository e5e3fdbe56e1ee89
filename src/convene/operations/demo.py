"""The Hanoi demo's organising committee, ten days before the ceremony (demo data).

Everything is dated relative to the first day of the event (data/operations/demo-hanoi-2025
.json), and the event's exercise clock is set so that the operations pages open on that
morning and then run on: the checklists, the burn-down and the issues look as they would ten
days out, and the open issues still escalate when their time limits pass.

Idempotent: when the event already has task forces, nothing is loaded (a second call, or a
committee that set up its own, changes nothing).
"""

import json
from datetime import datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from convene.accounts.models import User
from convene.accounts.services import create_account
from convene.audit.services import record, snapshot
from convene.delegations.models import Delegation
from convene.operations import checklist_templates, escalation, services
from convene.operations.models import (
    ChecklistItem,
    Evidence,
    EvidenceKind,
    Issue,
    IssueStatus,
    ItemSource,
    ItemStatus,
    OperationsSettings,
    ReviewSnapshot,
    TaskForce,
    TaskForceMembership,
)

DEMO_FILE = settings.BASE_DIR / "data" / "operations" / "demo-hanoi-2025.json"
CORE_DEMO_FILE = settings.BASE_DIR / "data" / "demo" / "hanoi-2025.json"
DEMO = " (demo)"


@cache
def _demo_password_hash() -> str:
    # One hash for every demo account: the demo has one published password, and hashing it
    # once keeps loading fast (a PBKDF2 hash per account would take seconds each).
    password = json.loads(CORE_DEMO_FILE.read_text(encoding="utf-8"))["demo_password"]
    return make_password(password)


def load_demo(event) -> None:
    if TaskForce.objects.filter(event=event).exists():
        return
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    tz = ZoneInfo(settings.TIME_ZONE)

    def at(days: int, hhmm: str = "09:00") -> datetime:
        return datetime.combine(event.start_date + timedelta(days=days),
                                time.fromisoformat(hhmm), tzinfo=tz)

    as_of = at(spec["as_of_days"], spec["as_of_time"])
    with transaction.atomic():
        ops, _created = OperationsSettings.objects.get_or_create(event=event)
        ops.clock_offset = timezone.now() - as_of
        ops.clock_note = "Demo: the organising committee ten days before the ceremony"
        ops.save()
        record(None, "operations.exercise_clock_set", ops,
               after={"as_of": as_of.isoformat()}, summary=ops.clock_note + DEMO)
        users = {p["username"]: _account(p) for p in spec["people"]}
        users.update({u.username: u for u in User.objects.filter(
            username__in=[m["username"] for m in spec.get("existing_members", [])])})
        task_forces = {tf.area: tf for tf in
                       services._install_default_task_forces(None, event, demo=True)}
        _staff(spec, task_forces, users)
        for area, codes in spec.get("delegations", {}).items():
            task_forces[area].delegations.set(
                Delegation.objects.filter(event=event, entity__code__in=codes))
        template = checklist_templates.get_template(spec["template"])
        applied = at(spec["template_applied_days"], "10:00")
        for tf in task_forces.values():
            services._apply_template(None, tf, template, template.for_area(tf.area),
                                     now=applied, demo=True)
        items = {i.template_key: i for i in ChecklistItem.objects.filter(
            task_force__event=event).select_related("task_force__lead")}
        started = {}
        for key, progress in spec["progress"].items():
            started[items[key].pk] = _progress(items[key], progress, users, at)
        for extra in spec["extra_items"]:
            item = _extra_item(extra, task_forces, items, users, at)
            started[item.pk] = _progress(item, extra, users, at)
        for review in spec.get("reviews", []):
            _review(event, at(review["days"], review["time"]), users.get(review["by"])
                    or User.objects.filter(username=review["by"]).first(), started)
        for data in sorted(spec["issues"], key=lambda d: (d["reported_days"],
                                                          d["reported_time"])):
            _issue(data, task_forces, users, at, as_of)
        services.send_due_reminders(event, as_of)


def _account(person: dict) -> User:
    user = User.objects.filter(username=person["username"]).first()
    if user is None:
        first, _sep, last = person["name"].partition(" ")
        user = create_account(None, person["username"], first_name=first, last_name=last,
                              email=f"{person['username']}@demo.convene.invalid")
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
    return user


def _staff(spec: dict, task_forces: dict, users: dict) -> None:
    for person in spec["people"] + spec.get("existing_members", []):
        user = users.get(person["username"])
        if user is None:
            continue
        if area := person.get("lead"):
            tf = task_forces[area]
            tf.lead = user
            tf.save(update_fields=["lead"])
            services._ensure_lead_role(None, user)
            record(None, "task_force.updated", tf, after={"lead": user.username},
                   summary=f"{tf.name}: lead {user.username}{DEMO}")
        if area := person.get("member"):
            tf = task_forces[area]
            TaskForceMembership.objects.get_or_create(task_force=tf, user=user)
            record(None, "task_force.member_added", tf, after={"member": user.username},
                   summary=f"{user.username} → {tf.name}{DEMO}")


def _progress(item: ChecklistItem, progress: dict, users: dict, at):
    """Apply a demo item's status, owner and evidence; return when work on it started."""
    before = snapshot(item, services.ITEM_AUDIT)
    if owner := progress.get("owner"):
        item.owner = users[owner]
    status = progress.get("status", ItemStatus.TO_DO)
    item.status = status
    started = at(progress["started_days"]) if "started_days" in progress else None
    if status == ItemStatus.DONE:
        item.completed_at = at(progress["done_days"], "17:00")
        item.completed_by = item.owner or item.task_force.lead
        # Work finished before the checklist was drawn up (the venue contract) stays on it as
        # done: the burn-down starts from the day the checklists were drawn up.
        started = started or item.completed_at - timedelta(days=item.effort_days)
    item.save()
    if note := progress.get("evidence"):
        Evidence.objects.create(item=item, kind=EvidenceKind.NOTE, note=note,
                                added_by=item.completed_by or item.owner,
                                added_at=item.completed_at or item.created_at)
    record(None, "readiness.item_status", item, before=before,
           after=snapshot(item, services.ITEM_AUDIT), summary=f"{item.title}{DEMO}")
    return started


def _extra_item(extra: dict, task_forces: dict, items: dict, users: dict, at):
    tf = task_forces[extra["area"]]
    item = ChecklistItem.objects.create(
        task_force=tf, title=extra["title"], owner=users.get(extra.get("owner")) or tf.lead,
        deadline=at(extra["deadline_days"], "18:00"), effort_days=extra["effort_days"],
        priority=extra["priority"], decision_needed=extra.get("decision_needed", ""),
        source=ItemSource.MANUAL, created_at=at(extra["created_days"], "10:00"))
    item.depends_on.set([items[k] for k in extra.get("depends_on", [])])
    record(None, "readiness.item_created", item, after=snapshot(item, services.ITEM_AUDIT),
           summary=f"{item.title} ({tf}){DEMO}")
    return item


def _review(event, taken_at: datetime, by, started: dict) -> None:
    """A combined review as it stood at `taken_at`, reconstructed from the demo's dates."""
    items = {}
    for i in ChecklistItem.objects.filter(task_force__event=event,
                                          created_at__lte=taken_at).select_related(
            "task_force", "owner"):
        if i.completed_at and i.completed_at <= taken_at:
            status = ItemStatus.DONE
        elif started.get(i.pk) and started[i.pk] <= taken_at:
            status = ItemStatus.IN_PROGRESS
        else:
            status = ItemStatus.TO_DO
        items[str(i.pk)] = {"title": i.title, "status": status, "task_force": i.task_force.name,
                            "deadline": i.deadline.isoformat(),
                            "owner": i.owner.username if i.owner else ""}
    review = ReviewSnapshot.objects.create(event=event, taken_at=taken_at, taken_by=by,
                                           items=items, issues={})
    record(None, "readiness.review_recorded", review, after={"items": len(items)},
           summary=f"Review of all task forces{DEMO}")


def _issue(data: dict, task_forces: dict, users: dict, at, as_of: datetime) -> None:
    tf = task_forces[data["area"]]
    reported = at(data["reported_days"], data["reported_time"])
    issue = Issue.objects.create(
        task_force=tf, title=data["title"], description=data.get("description", ""),
        severity=data["severity"], location=data.get("location", ""),
        session=data.get("session", ""), reported_by=users.get(data.get("reported_by")),
        reported_at=reported, owner=users.get(data.get("owner")) or tf.lead,
        beyond_authority=data.get("beyond_authority", False),
        time_limit=escalation.default_time_limit(data["severity"]))
    record(None, "issue.reported", issue, after=snapshot(issue, services.ISSUE_AUDIT),
           summary=f"{issue.title} ({tf}){DEMO}")
    resolved = at(data["reported_days"], data["resolved_time"]) if "resolved_time" in data \
        else None
    state = services.issue_state(issue)
    # Escalate it when the periodic command would have: at once, or when its limit passed.
    if escalation.exceeds_authority(state):
        services._escalate(issue, escalation.BEYOND_AUTHORITY, reported)
    elif (resolved is None or resolved > issue.due_at) and issue.due_at < as_of:
        services._escalate(issue, escalation.TIME_LIMIT, issue.due_at + timedelta(minutes=5))
    if resolved is not None:
        issue.status, issue.resolution = IssueStatus.RESOLVED, data["resolution"]
        issue.resolved_at, issue.resolved_by = resolved, issue.owner
        issue.save()
        record(None, "issue.resolved", issue, after={"resolution": issue.resolution},
               summary=f"{issue.title}{DEMO}")
