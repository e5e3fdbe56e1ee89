"""The programme of an event (days, rooms, sessions, who is in them) and its run-of-show
(cue scripts, live and rehearsal runs with their timings, findings)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Day(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="days")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["event", "date"], name="one_day_per_date")]

    def __str__(self) -> str:
        return self.title or self.date.isoformat()


class Room(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=200)
    capacity = models.PositiveIntegerField(_("capacity"))
    rows = models.PositiveSmallIntegerField(
        _("rows of seats"), null=True, blank=True,
        help_text=_("For the seating chart; leave empty for rooms without a fixed layout."))
    seats_per_row = models.PositiveSmallIntegerField(_("seats per row"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="unique_room_name")]

    def __str__(self) -> str:
        return self.name


class SessionKind(models.TextChoices):
    OPENING = "opening", _("Opening session")
    SIGNING = "signing", _("Signing ceremony")
    PLENARY = "plenary", _("Plenary")
    HIGH_LEVEL = "high_level", _("High-level discussion")
    SIDE_EVENT = "side_event", _("Side event on international cooperation")
    PRESS_CONFERENCE = "press_conference", _("Press conference")
    RECEPTION = "reception", pgettext_lazy("kind of session: a social reception", "Reception")
    BILATERAL = "bilateral", _("Bilateral meeting")
    OTHER = "other", _("Other")


class Session(models.Model):
    event = models.ForeignKey("core.Event", on_delete=models.CASCADE, related_name="sessions")
    day = models.ForeignKey(Day, on_delete=models.PROTECT, related_name="sessions",
                            verbose_name=_("day"))
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.ForeignKey(Room, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="sessions", verbose_name=_("room"))
    expected_attendance = models.PositiveIntegerField(_("people expected"), null=True,
                                                      blank=True)
    # Accreditation zone codes whose badges admit to this session. Plain strings until the
    # accreditation app (issue 3) publishes its zones; then they are checked against them.
    allowed_zones = models.JSONField(_("access zones"), default=list, blank=True)
    is_public = models.BooleanField(_("on the public agenda"), default=True)
    # Grows with every change of the session, its script or its run: the iCalendar SEQUENCE,
    # and the ETag that lets screens following the session get "304 Not Modified".
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="session_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return self.title


class ParticipationRole(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("role in a session: presiding officer", "Chair")
    CO_CHAIR = "co_chair", _("Co-chair")
    MODERATOR = "moderator", _("Moderator")
    SPEAKER = "speaker", _("Speaker")
    PRINCIPAL = "principal", _("Principal attending")


class Participation(models.Model):
    """A person with a part in a session: a delegation member, or a name written by hand
    (a master of ceremonies who belongs to no delegation)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey("delegations.Member", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="participations",
                               verbose_name=_("person"))
    name = models.CharField(_("name (if not in a delegation)"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=ParticipationRole.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(member__isnull=False) | ~models.Q(name=""),
                name="participation_names_someone"),
            models.UniqueConstraint(fields=["session", "member", "role"],
                                    name="one_role_per_member_per_session",
                                    condition=models.Q(member__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.member.full_name if self.member_id else self.name


class Cue(models.Model):
    """One line of a session's script: what happens, when, where, and who makes it happen."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="cues")
    position = models.PositiveIntegerField()
    planned_at = models.DateTimeField(_("planned time"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=60)
    what = models.CharField(_("what happens"), max_length=300)
    where = models.CharField(_("where"), max_length=200, blank=True)
    task_force = models.CharField(
        _("responsible task force"), max_length=120, blank=True,
        help_text=_("e.g. Protocol, Reception, Security, Press, Technical."))
    notes_interpreters = models.TextField(_("notes for interpreters"), blank=True)
    notes_stage = models.TextField(_("notes for stage management"), blank=True)
    notes_media = models.TextField(_("notes for media"), blank=True)
    speaker_entry = models.ForeignKey("protocol.SpeakerEntry", on_delete=models.SET_NULL,
                                      null=True, blank=True, related_name="cues",
                                      help_text="Set when the cue comes from the speakers list.")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["session", "position"],
                                               name="one_cue_per_position")]

    def __str__(self) -> str:
        return self.what


class RunKind(models.TextChoices):
    LIVE = "live", pgettext_lazy("kind of run: live, not a rehearsal", "Live")
    REHEARSAL = "rehearsal", _("Rehearsal")


class Run(models.Model):
    """One performance of a session's script: the ceremony itself or a rehearsal of it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="runs")
    kind = models.CharField(_("kind"), max_length=10, choices=RunKind.choices)
    label = models.CharField(_("label"), max_length=120, blank=True,
                             help_text=_("e.g. Dress rehearsal, 23 October"))
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [
            # One script cannot be performed twice at the same time.
            models.UniqueConstraint(fields=["session"], condition=models.Q(ended_at__isnull=True),
                                    name="one_open_run_per_session"),
        ]

    def __str__(self) -> str:
        return self.label or self.get_kind_display()

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class CueTiming(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="timings")
    cue = models.ForeignKey(Cue, on_delete=models.CASCADE, related_name="timings")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["started_at"]
        constraints = [models.UniqueConstraint(fields=["run", "cue"], name="one_timing_per_cue")]

    def __str__(self) -> str:
        return f"{self.cue} @ {self.started_at:%H:%M:%S}"


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status of a follow-up item", "Open")
    DONE = "done", pgettext_lazy("status of a follow-up item", "Done")


class Finding(models.Model):
    """Something a run showed that must be fixed before the ceremony: a follow-up item with an
    owner. The operations app (issue 7) will take them over through its
    create_items_from_findings(); until then they are followed here."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="findings")
    cue = models.ForeignKey(Cue, on_delete=models.SET_NULL, null=True, blank=True,
                            related_name="findings",
                            verbose_name=pgettext_lazy("run-of-show cue", "cue"))
    text = models.TextField(_("finding"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="programme_findings", verbose_name=_("owner"))
    task_force = models.CharField(_("task force"), max_length=120, blank=True)
    status = models.CharField(pgettext_lazy("status of a follow-up item", "status"),
                              max_length=10, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    operations_ref = models.CharField(max_length=100, blank=True, editable=False,
                                      help_text="The follow-up item in the operations app.")

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """A secret calendar URL for a delegation or for one person; revoked, it answers 404."""

    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    delegation = models.ForeignKey("delegations.Delegation", on_delete=models.CASCADE,
                                   null=True, blank=True, related_name="calendar_feeds")
    member = models.ForeignKey("delegations.Member", on_delete=models.CASCADE, null=True,
                               blank=True, related_name="calendar_feeds")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(delegation__isnull=False, member__isnull=True)
                           | models.Q(delegation__isnull=True, member__isnull=False)),
                name="feed_for_a_delegation_or_a_person"),
        ]

    def __str__(self) -> str:
        return f"Calendar of {self.delegation or self.member}"
