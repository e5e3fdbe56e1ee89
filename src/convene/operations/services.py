"""What people do in operations: each action one transaction, permission-checked and audited.

Views, the JSON API, the periodic command and other apps (the run-of-show's rehearsal mode:
`create_items_from_findings`) call these functions, so they cannot disagree on the rules. The
rules themselves are plain functions in readiness.py and escalation.py.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.accounts.models import Role, User
from convene.accounts.permissions import require as _require
from convene.audit.services import record, snapshot
from convene.operations import checklist_templates, clock, escalation, readiness
from convene.operations.evidence_checks import EvidenceRefused, check_evidence_file, check_photo
from convene.operations.membership import forget_task_force_roles
from convene.operations.models import (
    ChecklistItem,
    Evidence,
    EvidenceKind,
    Issue,
    IssueStatus,
    ItemSource,
    ItemStatus,
    Notification,
    NotificationKind,
    OperationsSettings,
    ReviewSnapshot,
    TaskForce,
    TaskForceMembership,
)

ITEM_FIELDS = ["title", "description", "owner", "deadline", "effort_days", "priority",
               "evidence_required", "decision_needed"]
ITEM_AUDIT = ["task_force", "title", "status", "owner", "deadline", "priority", "effort_days"]
TASK_FORCE_FIELDS = ["name", "area", "mandate", "lead", "venues", "authority_ceiling", "order"]
ISSUE_AUDIT = ["task_force", "title", "severity", "status", "owner", "location", "session",
               "delegation", "beyond_authority", "time_limit", "escalated_at",
               "escalation_reason"]
REMINDER_WINDOW = timedelta(hours=48)


class OperationsRefused(Exception):
    """A readiness rule refuses the action; `message` is for the person who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def operations_settings(event) -> OperationsSettings:
    return OperationsSettings.objects.get_or_create(event=event)[0]


def _lock_graph(event) -> None:
    """Serialise changes to the event's dependency graph and item statuses.

    Two people adding opposite dependencies at the same moment must not both pass the cycle
    check; one waits for the other (a row lock on PostgreSQL; SQLite's IMMEDIATE transactions
    serialise writers anyway).
    """
    operations_settings(event)
    OperationsSettings.objects.select_for_update().get(event=event)


# --- Reading the graph ---------------------------------------------------------------------

def load_items(event, task_force=None) -> dict[int, readiness.Item]:
    """The event's checklist items as plain rule data, dependencies included (two queries)."""
    rows = ChecklistItem.objects.filter(task_force__event=event)
    edges = ChecklistItem.depends_on.through.objects.filter(
        from_checklistitem__task_force__event=event)
    if task_force is not None:
        rows = rows.filter(task_force=task_force)
    deps: dict[int, list[int]] = {}
    for src, dst in edges.values_list("from_checklistitem_id", "to_checklistitem_id"):
        deps.setdefault(src, []).append(dst)
    return {
        pk: readiness.Item(id=pk, title=title, status=status, deadline=deadline,
                           effort=timedelta(days=effort), depends_on=tuple(deps.get(pk, ())),
                           task_force=tf_name)
        for pk, title, status, deadline, effort, tf_name in rows.values_list(
            "pk", "title", "status", "deadline", "effort_days", "task_force__name")
    }


def _describe(items: Iterable[readiness.Item]) -> str:
    return ", ".join(f"“{i.title}” ({i.task_force})" for i in items)


# --- Task forces ---------------------------------------------------------------------------

def _ensure_lead_role(actor, lead) -> None:
    # A lead follows readiness across task forces: that is the task_force_lead role.
    if lead is not None and Role.TASK_FORCE_LEAD not in lead.role_set():
        from convene.accounts.services import assign_role

        assign_role(actor, lead, Role.TASK_FORCE_LEAD)


@transaction.atomic
def install_default_task_forces(user, event) -> list[TaskForce]:
    """The summit's default task forces (data/operations/task_forces.json), those missing."""
    _require(user, "operations.manage_task_forces")
    return _install_default_task_forces(user, event)


def _install_default_task_forces(actor, event, *, demo: bool = False) -> list[TaskForce]:
    operations_settings(event)
    existing = set(TaskForce.objects.filter(event=event).values_list("area", flat=True))
    created = []
    for order, spec in enumerate(checklist_templates.default_task_forces(), start=1):
        if spec["area"] in existing:
            continue
        tf = TaskForce.objects.create(
            event=event, area=spec["area"], name=spec["name"], mandate=spec["mandate"],
            venues="\n".join(spec["venues"]), authority_ceiling=spec["authority_ceiling"],
            order=order, is_demo=demo)
        record(actor, "task_force.created", tf, after=snapshot(tf, TASK_FORCE_FIELDS),
               summary=f"{tf.name}{' (demo)' if demo else ''}")
        created.append(tf)
    return created


@transaction.atomic
def save_task_force(user, event, data: dict, task_force: TaskForce | None = None) -> TaskForce:
    """Create a task force or change its lead, area, mandate, venues and delegations."""
    _require(user, "operations.manage_task_forces")
    operations_settings(event)
    before = snapshot(task_force, TASK_FORCE_FIELDS) if task_force else None
    tf = task_force or TaskForce(event=event)
    for name in TASK_FORCE_FIELDS:
        if name in data:
            setattr(tf, name, data[name])
    try:
        tf.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise OperationsRefused(" ".join(messages),
                                field=None if field == "__all__" else field) from None
    tf.save()
    if "delegations" in data:
        delegations = list(data["delegations"])
        if any(d.event_id != event.pk for d in delegations):
            raise OperationsRefused(_("A delegation of another event was chosen."),
                                    field="delegations")
        tf.delegations.set(delegations)
    _ensure_lead_role(user, tf.lead)
    if tf.lead is not None:
        forget_task_force_roles(tf.lead)
    record(user, "task_force.updated" if task_force else "task_force.created", tf,
           before=before, after=snapshot(tf, TASK_FORCE_FIELDS), summary=tf.name)
    return tf


@transaction.atomic
def add_member(user, task_force: TaskForce, member: User) -> TaskForceMembership:
    _require(user, "operations.manage_task_force", task_force)
    membership, created = TaskForceMembership.objects.get_or_create(
        task_force=task_force, user=member)
    if created:
        record(user, "task_force.member_added", task_force,
               after={"member": member.username}, summary=f"{member.username} → {task_force}")
    forget_task_force_roles(member)
    return membership


@transaction.atomic
def remove_member(user, task_force: TaskForce, member: User) -> None:
    _require(user, "operations.manage_task_force", task_force)
    deleted, _ignored = TaskForceMembership.objects.filter(
        task_force=task_force, user=member).delete()
    if deleted:
        record(user, "task_force.member_removed", task_force,
               before={"member": member.username}, summary=f"{member.username} ← {task_force}")
    forget_task_force_roles(member)


# --- Checklist items -----------------------------------------------------------------------

def _clean_item(item: ChecklistItem) -> None:
    try:
        item.full_clean(exclude=["task_force"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise OperationsRefused(" ".join(messages),
                                field=None if field == "__all__" else field) from None


@transaction.atomic
def create_item(user, task_force: TaskForce, data: dict, *, now=None) -> ChecklistItem:
    _require(user, "operations.manage_task_force", task_force)
    item = ChecklistItem(task_force=task_force,
                         created_at=now or clock.now(task_force.event),
                         **{k: v for k, v in data.items() if k in ITEM_FIELDS})
    _clean_item(item)
    item.save()
    record(user, "readiness.item_created", item, after=snapshot(item, ITEM_AUDIT),
           summary=f"{item.title} ({task_force})")
    _notify_assignment(user, item)
    return item


@transaction.atomic
def update_item(user, item: ChecklistItem, data: dict) -> ChecklistItem:
    _require(user, "operations.manage_task_force", item)
    before = snapshot(item, ITEM_AUDIT)
    old_owner = item.owner_id
    for name, value in data.items():
        if name in ITEM_FIELDS:
            setattr(item, name, value)
    _clean_item(item)
    item.save()
    record(user, "readiness.item_updated", item, before=before,
           after=snapshot(item, ITEM_AUDIT), summary=item.title)
    if item.owner_id != old_owner:
        _notify_assignment(user, item)
    return item


@transaction.atomic
def set_item_status(user, item: ChecklistItem, status: str, *, now=None) -> ChecklistItem:
    """Move an item to to-do, in progress or done.

    Done only when everything it depends on is done, and with evidence when the item asks
    for it; reopening only when nothing done depends on it (so a done item never waits on an
    open one).
    """
    _require(user, "operations.change_item", item)
    if status not in ItemStatus.values:
        raise OperationsRefused(_("Unknown status."), field="status")
    event = item.task_force.event
    now = now or clock.now(event)
    _lock_graph(event)
    item = ChecklistItem.objects.select_related("task_force__event").get(pk=item.pk)
    if status == item.status:
        return item
    items = load_items(event)
    before = snapshot(item, ["status", "completed_at", "completed_by"])
    if status == ItemStatus.DONE:
        blocking = readiness.open_dependencies(items[item.pk], items)
        if blocking:
            raise OperationsRefused(
                _("It cannot be done while what it depends on is open: %(items)s.")
                % {"items": _describe(blocking)}, field="status")
        if item.evidence_required and not item.evidence.exists():
            raise OperationsRefused(
                _("This item needs evidence (a note, a file or a photo) before it is done."),
                field="status")
        item.completed_at, item.completed_by = now, user
    else:
        if item.status == ItemStatus.DONE:
            dependents = readiness.done_dependents(item.pk, items)
            if dependents:
                raise OperationsRefused(
                    _("Done items depend on it: %(items)s. Reopen them first.")
                    % {"items": _describe(dependents)}, field="status")
        item.completed_at, item.completed_by = None, None
    item.status = status
    item.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])
    record(user, "readiness.item_status", item, before=before,
           after=snapshot(item, ["status", "completed_at", "completed_by"]),
           summary=f"{item.title}: {item.get_status_display()}")
    return item


@transaction.atomic
def add_dependency(user, item: ChecklistItem, dependency: ChecklistItem) -> None:
    """`item` cannot be done before `dependency` is: refused if it would close a cycle."""
    _require(user, "operations.manage_task_force", item)
    event = item.task_force.event
    if dependency.task_force.event_id != event.pk:
        raise OperationsRefused(_("Both items must belong to the same event."),
                                field="dependency")
    _lock_graph(event)
    items = load_items(event)
    current, other = items[item.pk], items[dependency.pk]
    if dependency.pk in current.depends_on:
        return
    graph = {pk: it.depends_on for pk, it in items.items()}
    cycle = readiness.dependency_cycle(graph, item.pk, dependency.pk)
    if cycle:
        raise OperationsRefused(
            _("Refused: the items would wait on each other (%(chain)s).")
            % {"chain": " → ".join(f"“{items[pk].title}”" for pk in cycle)},
            field="dependency")
    if not current.is_open and other.is_open:
        raise OperationsRefused(
            _("This item is done, so it cannot wait on an open item. Reopen it first."),
            field="dependency")
    item.depends_on.add(dependency)
    record(user, "readiness.dependency_added", item, after={"depends_on": dependency.pk},
           summary=f"{item.title} depends on {dependency.title}")


@transaction.atomic
def remove_dependency(user, item: ChecklistItem, dependency: ChecklistItem) -> None:
    _require(user, "operations.manage_task_force", item)
    if item.depends_on.filter(pk=dependency.pk).exists():
        item.depends_on.remove(dependency)
        record(user, "readiness.dependency_removed", item,
               before={"depends_on": dependency.pk},
               summary=f"{item.title} no longer depends on {dependency.title}")


@transaction.atomic
def add_evidence(user, item: ChecklistItem, *, kind: str, note: str = "",
                 filename: str = "", content: bytes | None = None, now=None) -> Evidence:
    """Attach a note, a file or a photo to an item; files are checked by their content."""
    _require(user, "operations.change_item", item)
    evidence = Evidence(item=item, kind=kind, note=note.strip(), added_by=user,
                        added_at=now or clock.now(item.task_force.event))
    checked = None
    if kind == EvidenceKind.NOTE:
        if not evidence.note:
            raise OperationsRefused(_("Write the note."), field="note")
    elif kind in (EvidenceKind.FILE, EvidenceKind.PHOTO):
        if not content:
            raise OperationsRefused(_("Choose a file."), field="file")
        try:
            checked = (check_photo if kind == EvidenceKind.PHOTO else check_evidence_file)(
                filename, content)
        except EvidenceRefused as exc:
            raise OperationsRefused(exc.message, field="file") from None
        evidence.content_type, evidence.size = checked.content_type, len(content)
        evidence.original_name = filename[-200:]
        evidence.file.save(f"upload{checked.suffix}", ContentFile(content), save=False)
    else:
        raise OperationsRefused(_("Unknown kind of evidence."), field="kind")
    evidence.save()
    record(user, "readiness.evidence_added", item,
           after={"evidence": evidence.pk, "kind": kind, "name": evidence.original_name,
                  "size": evidence.size, "content_type": evidence.content_type,
                  **({"sha256": checked.audit()["sha256"]} if checked else {})},
           summary=f"{item.title}: {evidence.get_kind_display()}")
    return evidence


@transaction.atomic
def add_evidence_and_complete(user, item: ChecklistItem, *, kind: str, note: str = "",
                              filename: str = "", content: bytes | None = None,
                              now=None) -> Evidence:
    """Attach evidence and mark the item done, both or neither."""
    _require(user, "operations.change_item", item)
    event = item.task_force.event
    _lock_graph(event)
    items = load_items(event)
    blocking = readiness.open_dependencies(items[item.pk], items)
    if blocking:  # checked first, so no file is stored for a completion that is refused
        raise OperationsRefused(
            _("It cannot be done while what it depends on is open: %(items)s.")
            % {"items": _describe(blocking)}, field="status")
    evidence = add_evidence(user, item, kind=kind, note=note, filename=filename,
                            content=content, now=now)
    set_item_status(user, item, ItemStatus.DONE, now=now)
    return evidence


@transaction.atomic
def apply_template(user, task_force: TaskForce, slug: str, keys: Iterable[str] | None = None,
                   *, area: str | None = None, owner: User | None = None,
                   now=None) -> list[ChecklistItem]:
    """Create a task force's items from a template section, with their dependencies.

    Items the task force already has from the template are skipped, so applying twice adds
    nothing. Dependencies link to the template's items wherever they are in the event (also in
    other task forces), in both directions; an edge that would close a cycle with dependencies
    added by hand, or make a done item wait on an open one, is left out.
    """
    _require(user, "operations.manage_task_force", task_force)
    try:
        template = checklist_templates.get_template(slug)
    except KeyError:
        raise OperationsRefused(_("There is no such template."), field="template") from None
    section = template.for_area(area or task_force.area)
    if keys is not None:
        keys = set(keys)
        unknown = keys - {i.key for i in section}
        if unknown:
            raise OperationsRefused(_("Unknown template items: %(keys)s.")
                                    % {"keys": ", ".join(sorted(unknown))}, field="keys")
        section = [i for i in section if i.key in keys]
    return _apply_template(user, task_force, template, section, owner=owner,
                           now=now or clock.now(task_force.event))


def _apply_template(actor, task_force, template, section, *, owner=None, now,
                    demo: bool = False) -> list[ChecklistItem]:
    event = task_force.event
    owner = owner or task_force.lead
    _lock_graph(event)
    have = set(task_force.items.exclude(template_key="").values_list("template_key", flat=True))
    created: list[ChecklistItem] = []
    for ti in section:
        if ti.key in have:
            continue
        item = ChecklistItem.objects.create(
            task_force=task_force, title=ti.title, description=ti.description, owner=owner,
            deadline=template.deadline(ti, event), effort_days=ti.effort_days,
            priority=ti.priority, evidence_required=ti.evidence_required,
            decision_needed=ti.decision_needed, source=ItemSource.TEMPLATE,
            template_key=ti.key, created_at=now)
        record(actor, "readiness.item_created", item, after=snapshot(item, ITEM_AUDIT),
               summary=f"{item.title} ({task_force}, template {template.slug})"
               f"{' (demo)' if demo else ''}")
        created.append(item)
    if created:
        _link_template_dependencies(actor, event, template, created)
        if not demo:
            for item in created:
                _notify_assignment(actor, item)
    return created


def _link_template_dependencies(user, event, template, created: list[ChecklistItem]) -> None:
    by_key: dict[str, list[int]] = {}
    for key, pk in ChecklistItem.objects.filter(task_force__event=event).exclude(
            template_key="").values_list("template_key", "pk"):
        by_key.setdefault(key, []).append(pk)
    wanted = {ti.key: ti.depends_on for ti in template.items}
    new_keys = {i.template_key for i in created}
    edges = set()
    for key, pks in by_key.items():
        for dep_key in wanted.get(key, ()):
            # New items take their dependencies; existing items take the new ones they wait on.
            if key in new_keys or dep_key in new_keys:
                edges.update((src, dst) for src in pks for dst in by_key.get(dep_key, ()))
    items = load_items(event)
    graph = {pk: list(it.depends_on) for pk, it in items.items()}
    Through = ChecklistItem.depends_on.through
    rows = []
    for src, dst in sorted(edges):
        if dst in graph[src] or readiness.dependency_cycle(graph, src, dst):
            continue
        if not items[src].is_open and items[dst].is_open:
            continue
        graph[src].append(dst)
        rows.append(Through(from_checklistitem_id=src, to_checklistitem_id=dst))
    Through.objects.bulk_create(rows)
    if rows:
        record(user, "readiness.dependencies_from_template", None,
               object_type="operations.checklistitem", object_id="",
               after={"edges": [[r.from_checklistitem_id, r.to_checklistitem_id] for r in rows]},
               summary=f"{len(rows)} dependencies from template {template.slug}")


@dataclass
class Finding:
    """A dress-rehearsal finding to turn into a readiness item (see create_items_from_findings).

    `ref` identifies the finding in the app it comes from (e.g. "rehearsal-3/cue-17"); calling
    again with the same ref returns the item already made instead of a second one.
    """

    title: str
    area: str  # the task force concerned, by area: "technical", "protocol"…
    ref: str
    description: str = ""
    owner: User | None = None  # default: the task force's lead
    deadline: datetime | None = None  # default: within 24 hours, and before the event starts
    priority: str = "high"


def task_force_area(event, name: str) -> str | None:
    """The area of the event's task force called `name` (its area or its name, any case)."""
    wanted = name.strip().lower()
    for area, tf_name in TaskForce.objects.filter(event=event).values_list("area", "name"):
        if wanted in (area.lower(), tf_name.lower()):
            return area
    return None


@transaction.atomic
def create_items_from_findings(user, event, findings: Iterable[Finding], *,
                               now=None) -> list[ChecklistItem]:
    """Turn dress-rehearsal findings into readiness items with owners (issue 7).

    For the run-of-show app's rehearsal mode (issue 4): it calls this with the findings of a
    rehearsal. The caller must be allowed to manage each task force concerned (organiser or
    its lead). Returns one item per finding, in order; idempotent per finding `ref`.
    """
    findings = list(findings)
    now = now or clock.now(event)
    task_forces = {tf.area: tf for tf in TaskForce.objects.filter(event=event)
                   .select_related("lead", "event")}
    for f in findings:
        if f.area not in task_forces:
            raise OperationsRefused(_("No task force for the area “%(area)s”.")
                                    % {"area": f.area}, field="area")
        _require(user, "operations.manage_task_force", task_forces[f.area])
    start = datetime.combine(event.start_date, time(0, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    items = []
    for f in findings:
        tf = task_forces[f.area]
        existing = tf.items.filter(source_ref=f.ref).first()
        if existing is not None:
            items.append(existing)
            continue
        item = ChecklistItem(
            task_force=tf, title=f.title[:300], description=f.description,
            owner=f.owner or tf.lead, priority=f.priority, source=ItemSource.REHEARSAL,
            source_ref=f.ref, created_at=now,
            deadline=f.deadline or max(min(now + timedelta(hours=24), start), now))
        _clean_item(item)
        item.save()
        record(user, "readiness.item_created", item, after=snapshot(item, ITEM_AUDIT),
               summary=f"{item.title} ({tf}, rehearsal finding {f.ref})")
        _notify_assignment(user, item)
        items.append(item)
    return items


# --- Issues and incidents ------------------------------------------------------------------

def issue_state(issue: Issue) -> escalation.IssueState:
    return escalation.IssueState(
        severity=issue.severity, reported_at=issue.reported_at, time_limit=issue.time_limit,
        authority_ceiling=issue.task_force.authority_ceiling,
        beyond_authority=issue.beyond_authority, resolved=not issue.is_open,
        escalated=issue.escalated_at is not None)


@transaction.atomic
def report_issue(user, task_force: TaskForce, data: dict, *, now=None) -> Issue:
    """Anyone on a task force reports an issue to the task force concerned.

    It goes to the organising committee at once when it is beyond that task force's authority.
    """
    _require(user, "operations.report_issue")
    event = task_force.event
    now = now or clock.now(event)
    delegation = data.get("delegation")
    if delegation is not None and delegation.event_id != event.pk:
        raise OperationsRefused(_("That delegation is not at this event."), field="delegation")
    severity = data.get("severity") or escalation.MEDIUM
    issue = Issue(
        task_force=task_force, title=data.get("title", ""),
        description=data.get("description", ""), severity=severity,
        location=data.get("location", ""), session=data.get("session", ""),
        delegation=delegation, reported_by=user, reported_at=now,
        owner=data.get("owner") or task_force.lead,
        beyond_authority=bool(data.get("beyond_authority")),
        time_limit=data.get("time_limit") or escalation.DEFAULT_TIME_LIMITS.get(
            severity, escalation.DEFAULT_TIME_LIMITS[escalation.MEDIUM]))
    try:
        issue.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise OperationsRefused(" ".join(messages),
                                field=None if field == "__all__" else field) from None
    issue.save()
    record(user, "issue.reported", issue, after=snapshot(issue, ISSUE_AUDIT),
           summary=f"{issue.title} ({task_force}, {issue.get_severity_display()})")
    if issue.owner_id and issue.owner_id != user.pk:
        _notify([issue.owner], NotificationKind.ISSUE_ASSIGNED, f"issue-owner:{issue.pk}:"
                f"{issue.owner_id}", issue=issue, now=now)
    reason = escalation.escalation_reason(issue_state(issue), now)
    if reason:
        _escalate(issue, reason, now, actor=user)
    return issue


@transaction.atomic
def assign_issue(user, issue: Issue, owner: User) -> Issue:
    _require(user, "operations.manage_task_force", issue)
    before = snapshot(issue, ["owner"])
    issue.owner = owner
    issue.save(update_fields=["owner", "updated_at"])
    record(user, "issue.assigned", issue, before=before, after=snapshot(issue, ["owner"]),
           summary=f"{issue.title} → {owner.username}")
    if owner.pk != user.pk:
        _notify([owner], NotificationKind.ISSUE_ASSIGNED, f"issue-owner:{issue.pk}:{owner.pk}",
                issue=issue, now=clock.now(issue.task_force.event))
    return issue


@transaction.atomic
def escalate_issue(user, issue: Issue, *, now=None) -> Issue:
    """The lead (or owner) finds the issue beyond the task force's authority: up it goes."""
    _require(user, "operations.handle_issue", issue)
    if not issue.is_open:
        raise OperationsRefused(_("The issue is resolved."))
    now = now or clock.now(issue.task_force.event)
    if not issue.beyond_authority:
        Issue.objects.filter(pk=issue.pk).update(beyond_authority=True)
        issue.beyond_authority = True
    if issue.escalated_at is None:
        _escalate(issue, escalation.BEYOND_AUTHORITY, now, actor=user)
    return issue


@transaction.atomic
def resolve_issue(user, issue: Issue, resolution: str, *, now=None) -> Issue:
    _require(user, "operations.handle_issue", issue)
    issue = Issue.objects.select_for_update().select_related("task_force__event").get(
        pk=issue.pk)
    if not issue.is_open:
        raise OperationsRefused(_("The issue is already resolved."))
    if not resolution.strip():
        raise OperationsRefused(_("Say how it was resolved."), field="resolution")
    before = snapshot(issue, ["status", "resolution"])
    issue.status, issue.resolution = IssueStatus.RESOLVED, resolution.strip()
    issue.resolved_at = now or clock.now(issue.task_force.event)
    issue.resolved_by = user
    issue.save(update_fields=["status", "resolution", "resolved_at", "resolved_by",
                              "updated_at"])
    record(user, "issue.resolved", issue, before=before,
           after=snapshot(issue, ["status", "resolution"]), summary=issue.title)
    return issue


def _escalate(issue: Issue, reason: str, now: datetime, actor=None) -> bool:
    """Hand the issue to the organising committee, once: the conditional update makes two
    evaluations at the same moment (the command and a page load) escalate it only once."""
    with transaction.atomic():
        changed = Issue.objects.filter(
            pk=issue.pk, escalated_at__isnull=True, status=IssueStatus.OPEN,
        ).update(escalated_at=now, escalation_reason=reason, updated_at=timezone.now())
        if not changed:
            return False
        issue.escalated_at, issue.escalation_reason = now, reason
        record(actor, "issue.escalated", issue, before={"escalated_at": None},
               after={"escalated_at": now, "reason": reason},
               summary=f"{issue.title} ({issue.task_force}): {reason}")
        committee = list(User.objects.filter(role_assignments__role=Role.ORGANISER,
                                             is_active=True).distinct())
        recipients = {u.pk: u for u in committee}
        for extra in (issue.task_force.lead, issue.owner):
            if extra is not None:
                recipients.setdefault(extra.pk, extra)
        _notify(recipients.values(), NotificationKind.ESCALATION, f"escalation:{issue.pk}",
                issue=issue, now=now)
    return True


def evaluate_escalations(event, now: datetime | None = None) -> list[Issue]:
    """Escalate every open issue of the event that the rule sends up at `now` (idempotent).

    Run by `convene operations escalate` and on each load of the board and the dashboard.
    """
    now = now or clock.now(event)
    candidates = Issue.objects.filter(
        task_force__event=event, status=IssueStatus.OPEN, escalated_at__isnull=True,
    ).select_related("task_force__lead", "owner")
    escalated = []
    for issue in candidates:
        reason = escalation.escalation_reason(issue_state(issue), now)
        if reason and _escalate(issue, reason, now):
            escalated.append(issue)
    return escalated


# --- Notifications -------------------------------------------------------------------------

def _notify(users: Iterable[User], kind: str, key: str, *, item=None, issue=None,
            now=None) -> list[Notification]:
    """Tell each user once per `key` (in-app, and by email through a background task)."""
    from convene.operations.tasks import email_notification

    users = [u for u in users if u is not None]
    already = set(Notification.objects.filter(key=key, user__in=users).values_list(
        "user_id", flat=True))
    created = []
    for user in users:
        if user.pk in already:
            continue
        created.append(Notification.objects.create(
            user=user, kind=kind, key=key, item=item, issue=issue,
            created_at=now or timezone.now()))
    for n in created:
        transaction.on_commit(lambda pk=n.pk: email_notification.enqueue(pk))
    return created


def _notify_assignment(actor, item: ChecklistItem) -> None:
    if item.owner_id and item.owner_id != getattr(actor, "pk", None):
        _notify([item.owner], NotificationKind.ITEM_ASSIGNED,
                f"item-owner:{item.pk}:{item.owner_id}", item=item, now=item.created_at)


def send_due_reminders(event, now: datetime | None = None,
                       within: timedelta = REMINDER_WINDOW) -> list[Notification]:
    """Remind each owner once of an open item whose deadline falls within `within` (idempotent:
    one reminder per item and deadline; moving the deadline earns a new one)."""
    now = now or clock.now(event)
    due = list(ChecklistItem.objects.filter(
        task_force__event=event, owner__isnull=False, deadline__gte=now,
        deadline__lte=now + within).exclude(status=ItemStatus.DONE).select_related("owner"))
    if not due:
        return []
    keys = {item.pk: f"item-due:{item.pk}:{item.deadline:%Y%m%d%H%M}" for item in due}
    sent = set(Notification.objects.filter(key__in=keys.values()).values_list(
        "user_id", "key"))
    missing = [item for item in due if (item.owner_id, keys[item.pk]) not in sent]
    created = []
    if missing:
        with transaction.atomic():
            for item in missing:
                created += _notify([item.owner], NotificationKind.ITEM_DUE, keys[item.pk],
                                   item=item, now=now)
    return created


def tick(event, now: datetime | None = None) -> tuple[list[Issue], list[Notification]]:
    """What the periodic command does, and each load of the board and the dashboard."""
    now = now or clock.now(event)
    return evaluate_escalations(event, now), send_due_reminders(event, now)


@transaction.atomic
def mark_notifications_read(user, *, now=None) -> int:
    _require(user, "operations.view_notifications")
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=now or timezone.now())


# --- Reviews -------------------------------------------------------------------------------

def review_state(event, task_force: TaskForce | None = None) -> tuple[dict, dict]:
    """The items and issues as a review records them (JSON-safe, keyed by id)."""
    items = ChecklistItem.objects.filter(task_force__event=event).select_related(
        "task_force", "owner")
    issues = Issue.objects.filter(task_force__event=event).select_related("task_force")
    if task_force is not None:
        items, issues = items.filter(task_force=task_force), issues.filter(task_force=task_force)
    return (
        {str(i.pk): {"title": i.title, "status": i.status, "task_force": i.task_force.name,
                     "deadline": i.deadline.isoformat(),
                     "owner": i.owner.username if i.owner else ""} for i in items},
        {str(i.pk): {"title": i.title, "status": i.status, "severity": i.severity,
                     "task_force": i.task_force.name,
                     "escalated": i.escalated_at is not None} for i in issues},
    )


@transaction.atomic
def record_review(user, event, task_force: TaskForce | None = None, *,
                  now=None) -> ReviewSnapshot:
    """Record the state reviewed now, so the next report says what changed since."""
    _require(user, "operations.record_review", task_force)
    items, issues = review_state(event, task_force)
    review = ReviewSnapshot.objects.create(
        event=event, task_force=task_force, taken_at=now or clock.now(event), taken_by=user,
        items=items, issues=issues)
    record(user, "readiness.review_recorded", review,
           after={"task_force": task_force.pk if task_force else None, "items": len(items),
                  "issues": len(issues)},
           summary=f"Review of {task_force or 'all task forces'}")
    return review


def last_review(event, task_force: TaskForce | None = None) -> ReviewSnapshot | None:
    """The latest review that covered `task_force` (its own, or a combined one)."""
    reviews = ReviewSnapshot.objects.filter(event=event)
    if task_force is None:
        reviews = reviews.filter(task_force__isnull=True)
    else:
        reviews = reviews.filter(Q(task_force=task_force) | Q(task_force__isnull=True))
    return reviews.order_by("-taken_at", "-pk").first()
