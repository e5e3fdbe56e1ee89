"""Bilateral meetings: requests between delegations, rooms and a slot grid, the working
schedule the organiser adjusts, what was published to each delegation, and solver runs."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class BilateralSettings(models.Model):
    """The slot grid and request mode of one event."""

    event = models.OneToOneField("core.Event", on_delete=models.CASCADE,
                                 related_name="bilateral_settings")
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=30)
    changeover_minutes = models.PositiveSmallIntegerField(
        _("changeover between meetings (minutes)"), default=10)
    auto_accept = models.BooleanField(
        _("accept requests automatically"), default=False,
        help_text=_("Requests are accepted for the other delegation as soon as they are made "
                    "(opt-out mode); otherwise its focal point accepts or declines."))

    def __str__(self) -> str:
        return f"{self.event} bilaterals"


class Room(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE,
                              related_name="bilateral_rooms")
    name = models.CharField(_("name"), max_length=100)
    seats = models.PositiveSmallIntegerField(
        pgettext_lazy("number of seats in a meeting room", "seats"))
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"],
                                               name="bilateral_room_name_once_per_event")]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """One cell of the grid: a meeting from `start` to `meeting_end`, then the changeover up
    to `end`; the next slot of the same run starts at `end` (so slots are consecutive)."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE,
                              related_name="bilateral_slots")
    start = models.DateTimeField(pgettext_lazy("start time of a meeting slot", "start"))
    meeting_end = models.DateTimeField(_("meeting ends"))
    end = models.DateTimeField(_("end (after changeover)"))

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["event", "start"], name="bilateral_slot_once"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("meeting_end"))
                                   & models.Q(meeting_end__gt=models.F("start")),
                                   name="bilateral_slot_in_order"),
        ]

    def __str__(self) -> str:
        from django.utils import formats, timezone

        # In the reader's language: "Sat 25 Oct 09:00", "sam. 25 oct. 09:00"…
        return formats.date_format(timezone.localtime(self.start), "D j M H:i")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting answer")
    ACCEPTED = "accepted", pgettext_lazy("status of a bilateral request", "Accepted")
    DECLINED = "declined", pgettext_lazy("status of a bilateral request", "Declined")
    CANCELLED = "cancelled", pgettext_lazy("status of a bilateral request", "Cancelled")


class Priority(models.IntegerChoices):
    LOW = 1, pgettext_lazy("priority of a bilateral request", "Low")
    NORMAL = 2, pgettext_lazy("priority of a bilateral request", "Normal")
    HIGH = 3, pgettext_lazy("priority of a bilateral request", "High")


class BilateralRequest(models.Model):
    """A delegation asks another for a bilateral meeting; the other side accepts or declines."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE,
                              related_name="bilateral_requests")
    requester = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                  related_name="bilaterals_requested",
                                  verbose_name=_("requested by"))
    counterpart = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                    related_name="bilaterals_received",
                                    verbose_name=_("with"))
    topic = models.CharField(_("topic"), max_length=300)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices,
                                                default=Priority.NORMAL)
    counterpart_priority = models.PositiveSmallIntegerField(
        _("priority for the other side"), choices=Priority.choices, null=True, blank=True)
    length = models.PositiveSmallIntegerField(_("length (slots)"), default=1)
    requester_attendees = models.ManyToManyField("delegations.Member", blank=True,
                                                 related_name="+",
                                                 verbose_name=_("who attends"))
    counterpart_attendees = models.ManyToManyField("delegations.Member", blank=True,
                                                   related_name="+",
                                                   verbose_name=_("who attends for them"))
    extra_seats = models.PositiveSmallIntegerField(
        _("other seats"), default=0, help_text=_("Interpreters, note-takers."))
    min_seats = models.PositiveSmallIntegerField(_("seats needed"), default=2)
    preferred_slots = models.ManyToManyField(Slot, blank=True, related_name="+",
                                             verbose_name=_("preferred times"))
    status = models.CharField(pgettext_lazy("status of a bilateral request", "status"),
                              max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING)
    note = models.CharField(_("answer"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(requester=models.F("counterpart")),
                                   name="bilateral_between_two_delegations"),
            models.CheckConstraint(condition=models.Q(length__gte=1),
                                   name="bilateral_at_least_one_slot"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} – {self.counterpart}"

    @property
    def weight(self) -> int:
        """The priority the scheduler maximises: both sides' interest together."""
        return self.priority + (self.counterpart_priority or 0)

    def involves(self, delegation_id: int) -> bool:
        return delegation_id in (self.requester_id, self.counterpart_id)


class PlacedBy(models.TextChoices):
    SOLVER = "solver", _("scheduler")
    ORGANISER = "organiser", _("organiser, by hand")


class Meeting(models.Model):
    """The working schedule: where an accepted request is, until the organiser publishes."""

    request = models.OneToOneField(BilateralRequest, on_delete=models.CASCADE,
                                   related_name="meeting")
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="meetings")
    start_slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="+")
    slot_count = models.PositiveSmallIntegerField(default=1)
    start = models.DateTimeField()
    end = models.DateTimeField()
    placed_by = models.CharField(max_length=20, choices=PlacedBy.choices,
                                 default=PlacedBy.SOLVER)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "room__name"]

    def __str__(self) -> str:
        return f"{self.request} ({self.room}, {self.start:%Y-%m-%d %H:%M})"


class PublishedMeeting(models.Model):
    """What a delegation's agenda and calendar feed say: changed only by publishing (or by a
    cancellation), each change with a higher SEQUENCE (RFC 5545 §3.8.7.4)."""

    request = models.OneToOneField(BilateralRequest, on_delete=models.CASCADE,
                                   related_name="published")
    uid = models.CharField(max_length=200, unique=True)
    room = models.ForeignKey(Room, null=True, on_delete=models.SET_NULL, related_name="+")
    start_slot = models.ForeignKey(Slot, null=True, on_delete=models.SET_NULL, related_name="+")
    slot_count = models.PositiveSmallIntegerField(default=1)
    room_name = models.CharField(max_length=200)
    start = models.DateTimeField()
    end = models.DateTimeField()
    sequence = models.PositiveIntegerField(default=0)
    cancelled = models.BooleanField(default=False)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.uid} #{self.sequence}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", pgettext_lazy("status of a scheduler run", "Running")
    DONE = "done", pgettext_lazy("status of a scheduler run", "Finished")
    FAILED = "failed", pgettext_lazy("status of a scheduler run", "Failed")


class ScheduleRun(models.Model):
    """One run of the scheduler: the instance it was given, its progress and its answer."""

    event = models.ForeignKey("core.Event", on_delete=models.CASCADE,
                              related_name="bilateral_runs")
    status = models.CharField(max_length=20, choices=RunStatus.choices,
                              default=RunStatus.QUEUED)
    phase = models.CharField(max_length=40, blank=True)
    time_limit = models.PositiveSmallIntegerField(default=20)
    keep_published = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    instance = models.JSONField(default=dict)
    result = models.JSONField(null=True, blank=True)
    objective = models.IntegerField(null=True, blank=True)
    bound = models.IntegerField(null=True, blank=True)
    greedy_objective = models.IntegerField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"scheduler run {self.pk} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    PHASES = {
        "preparing": _("preparing the requests"),
        "greedy": _("first come, first served"),
        "relaxation": _("bounding the best possible"),
        "support": _("searching near the bound"),
        "complete": _("searching every option"),
    }

    @property
    def phase_label(self) -> str:
        return self.PHASES.get(self.phase, self.phase)

    @property
    def elapsed(self) -> int:
        """Whole seconds since the run started (for its progress bar)."""
        from django.utils import timezone

        if self.started_at is None:
            return 0
        end = self.finished_at or timezone.now()
        return min(int((end - self.started_at).total_seconds()), self.time_limit)


class AvailabilityBlock(models.Model):
    """A slot in which a delegation's principal cannot meet (set by its focal point)."""

    delegation = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                   related_name="bilateral_blocks")
    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="blocks")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["delegation", "slot"],
                                               name="bilateral_block_once")]

    def __str__(self) -> str:
        return f"{self.delegation}: {self.slot}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class AgendaFeed(models.Model):
    """The secret that calendar apps use to read a delegation's agenda (they cannot log in)."""

    delegation = models.OneToOneField("delegations.Delegation", on_delete=models.CASCADE,
                                      related_name="bilateral_feed")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.delegation}"
