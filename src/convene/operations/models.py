"""Task forces, their readiness checklists, issues and incidents, and what the committee reviews.

The rules that decide on these rows (dependencies, escalation, risks) are plain functions in
readiness.py and escalation.py; services.py applies them and writes the audit trail.
"""

import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.operations import escalation, readiness


class Severity(models.TextChoices):
    LOW = escalation.LOW, pgettext_lazy("severity of a readiness issue", "Low")
    MEDIUM = escalation.MEDIUM, pgettext_lazy("severity of a readiness issue", "Medium")
    HIGH = escalation.HIGH, pgettext_lazy("severity of a readiness issue", "High")
    CRITICAL = escalation.CRITICAL, pgettext_lazy("severity of a readiness issue", "Critical")


class ItemStatus(models.TextChoices):
    TO_DO = readiness.TO_DO, _("To do")
    IN_PROGRESS = readiness.IN_PROGRESS, _("In progress")
    DONE = readiness.DONE, pgettext_lazy("status of a readiness item", "Done")


class Priority(models.TextChoices):
    LOW = "low", pgettext_lazy("priority of a readiness item", "Low")
    NORMAL = "normal", pgettext_lazy("priority of a readiness item", "Normal")
    HIGH = "high", pgettext_lazy("priority of a readiness item", "High")
    CRITICAL = "critical", pgettext_lazy("priority of a readiness item", "Critical")


PRIORITY_RANK = {"critical": 0, "high": 1, "normal": 2, "low": 3}


class ItemSource(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    TEMPLATE = "template", _("From a template")
    REHEARSAL = "rehearsal", _("Dress rehearsal finding")


class IssueStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status of a readiness issue", "Open")
    RESOLVED = "resolved", pgettext_lazy("status of a readiness issue", "Resolved")


class EscalationReason(models.TextChoices):
    BEYOND_AUTHORITY = escalation.BEYOND_AUTHORITY, _("Beyond the task force's authority")
    TIME_LIMIT = escalation.TIME_LIMIT, _("Open past its time limit")


class OperationsSettings(models.Model):
    """One row per event: the exercise clock, and the lock that serialises dependency changes.

    The clock lets a committee run a table-top exercise or a demo "as if" it were another
    date: every operations rule reads `clock.now(event)`, which is the real time minus
    `clock_offset`. It is zero in real use.
    """

    event = models.OneToOneField("core.Event", on_delete=models.CASCADE,
                                 related_name="operations_settings")
    clock_offset = models.DurationField(_("exercise clock offset"), default=timedelta(0))
    clock_note = models.CharField(_("why the clock is shifted"), max_length=200, blank=True)

    def __str__(self) -> str:
        return f"{self.event}"


class TaskForce(models.Model):
    """A unit of the organising committee: protocol, reception, security…"""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="task_forces")
    area = models.SlugField(_("area"), max_length=40,
                            help_text=_("e.g. protocol, reception, security; picks the template "
                                        "section it starts from."))
    name = models.CharField(_("name"), max_length=200)
    mandate = models.TextField(_("mandate"), blank=True)
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="led_task_forces",
                             verbose_name=pgettext_lazy("task-force lead (person)", "lead"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="TaskForceMembership",
                                     related_name="task_forces", blank=True)
    delegations = models.ManyToManyField("delegations.Delegation", blank=True,
                                         related_name="task_forces",
                                         verbose_name=_("delegations it looks after"))
    venues = models.TextField(_("venues it looks after"), blank=True,
                              help_text=_("One per line."))
    authority_ceiling = models.CharField(
        _("settles issues up to"), max_length=10, choices=Severity.choices,
        default=Severity.HIGH,
        help_text=_("More severe issues go to the organising committee at once."))
    order = models.PositiveSmallIntegerField(default=0)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "area"], name="one_task_force_per_area"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def venue_list(self) -> list[str]:
        return [v.strip() for v in self.venues.splitlines() if v.strip()]


class TaskForceMembership(models.Model):
    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE,
                                   related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="task_force_memberships")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_force", "user"], name="one_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.task_force}"


class ChecklistItem(models.Model):
    """One thing a task force must have done before the event, by a deadline."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="readiness_items",
                              verbose_name=_("owner"))
    deadline = models.DateTimeField(_("deadline"))
    effort_days = models.PositiveSmallIntegerField(
        _("work needed (days)"), default=1,
        help_text=_("How many days of work it takes; used for the critical path."))
    status = models.CharField(pgettext_lazy("status of a readiness item", "status"),
                              max_length=12, choices=ItemStatus.choices,
                              default=ItemStatus.TO_DO)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices,
                                default=Priority.NORMAL)
    depends_on = models.ManyToManyField("self", symmetrical=False, blank=True,
                                        related_name="dependents",
                                        verbose_name=_("depends on"))
    evidence_required = models.BooleanField(
        _("evidence required"), default=False,
        help_text=_("It cannot be marked done without a note, a file or a photo."))
    decision_needed = models.TextField(
        _("decision needed"), blank=True,
        help_text=_("What the organising committee must decide for this item, if anything."))
    source = models.CharField(max_length=12, choices=ItemSource.choices,
                              default=ItemSource.MANUAL)
    template_key = models.CharField(max_length=60, blank=True)
    source_ref = models.CharField(max_length=120, blank=True,
                                  help_text="e.g. the rehearsal finding it comes from")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="done", completed_at__isnull=False)
                           | (~models.Q(status="done") & models.Q(completed_at__isnull=True))),
                name="done_items_have_a_completion_time",
            ),
            models.UniqueConstraint(fields=["task_force", "template_key"],
                                    condition=~models.Q(template_key=""),
                                    name="one_item_per_template_key"),
            models.UniqueConstraint(fields=["task_force", "source_ref"],
                                    condition=~models.Q(source_ref=""),
                                    name="one_item_per_finding"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.status == ItemStatus.DONE


def evidence_path(evidence: "Evidence", filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no clashes.
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"operations/evidence/{evidence.item_id}/{uuid.uuid4().hex}{suffix}"


class EvidenceKind(models.TextChoices):
    NOTE = "note", pgettext_lazy("kind of evidence", "Note")
    FILE = "file", _("File")
    PHOTO = "photo", _("Photo")


class Evidence(models.Model):
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=EvidenceKind.choices)
    note = models.TextField(pgettext_lazy("a note added as evidence", "note"), blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="note") & ~models.Q(note=""))
                | (models.Q(kind__in=["file", "photo"]) & ~models.Q(file="")),
                name="evidence_has_content",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.note[:60]


class Issue(models.Model):
    """A problem or incident reported to a task force; escalates to the organising committee
    when it is beyond the task force's authority or open past its time limit."""

    task_force = models.ForeignKey(TaskForce, on_delete=models.CASCADE, related_name="issues",
                                   verbose_name=_("task force concerned"))
    title = models.CharField(_("what happened"), max_length=300)
    description = models.TextField(_("details"), blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices,
                                default=Severity.MEDIUM)
    location = models.CharField(_("location"), max_length=200, blank=True)
    session = models.CharField(_("session concerned"), max_length=200, blank=True)
    delegation = models.ForeignKey("delegations.Delegation", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("delegation concerned"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="owned_issues",
                              verbose_name=_("owner"))
    status = models.CharField(pgettext_lazy("status of a readiness issue", "status"),
                              max_length=10, choices=IssueStatus.choices,
                              default=IssueStatus.OPEN)
    beyond_authority = models.BooleanField(
        _("beyond the task force's authority"), default=False,
        help_text=_("The organising committee must decide: it is escalated at once."))
    time_limit = models.DurationField(_("time limit"))
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_reason = models.CharField(max_length=20, choices=EscalationReason.choices,
                                         blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="resolved", resolved_at__isnull=False)
                           | (models.Q(status="open") & models.Q(resolved_at__isnull=True))),
                name="resolved_issues_have_a_time",
            ),
            models.CheckConstraint(
                condition=models.Q(escalated_at__isnull=True, escalation_reason="")
                | (models.Q(escalated_at__isnull=False) & ~models.Q(escalation_reason="")),
                name="escalations_have_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == IssueStatus.OPEN

    @property
    def due_at(self):
        return self.reported_at + self.time_limit


class NotificationKind(models.TextChoices):
    ITEM_DUE = "item_due", _("Item coming due")
    ITEM_ASSIGNED = "item_assigned", _("Item assigned to you")
    ISSUE_ASSIGNED = "issue_assigned", _("Issue assigned to you")
    ESCALATION = "escalation", _("Issue escalated")


class Notification(models.Model):
    """What Convene tells one person (also by email); `key` makes sending it idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="operations_notifications")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    key = models.CharField(max_length=120)
    item = models.ForeignKey(ChecklistItem, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    issue = models.ForeignKey(Issue, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}"


class ReviewSnapshot(models.Model):
    """The state of the checklists and issues when the committee (or a task force) reviewed
    them, so the next report can say what changed since."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="+")
    task_force = models.ForeignKey(TaskForce, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="reviews",
                                   help_text="empty: the combined review of every task force")
    taken_at = models.DateTimeField(default=timezone.now)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    items = models.JSONField(default=dict)
    issues = models.JSONField(default=dict)

    class Meta:
        ordering = ["-taken_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task_force or 'all task forces'} @ {self.taken_at:%Y-%m-%d %H:%M}"
