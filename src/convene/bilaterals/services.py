"""What people do with bilateral meetings: each action is one transaction, checked and audited.

Views, the JSON API and the background task call these functions, so they cannot disagree.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.audit.services import record, snapshot
from convene.bilaterals import checker, grid, ical, planning
from convene.bilaterals.models import (
    AgendaFeed,
    AvailabilityBlock,
    BilateralRequest,
    BilateralSettings,
    Meeting,
    PlacedBy,
    Priority,
    PublishedMeeting,
    RequestStatus,
    Room,
    RunStatus,
    ScheduleRun,
    Slot,
)

logger = logging.getLogger(__name__)

REQUEST_FIELDS = ["requester", "counterpart", "topic", "priority", "counterpart_priority",
                  "length", "extra_seats", "min_seats", "status", "note"]
MAX_LENGTH = 3  # slots: a bilateral is short; a longer one is a session of the programme


class BilateralRefused(Exception):
    """A rule refuses the action; `message` is for the person who tried."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def settings_for(event) -> BilateralSettings:
    """The event's settings (defaults, unsaved, until the organiser saves them)."""
    found = BilateralSettings.objects.filter(event=event).first()
    return found or BilateralSettings(event=event)


def active_run(event) -> ScheduleRun | None:
    return ScheduleRun.objects.filter(
        event=event, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()


def _refuse_while_running(event) -> None:
    if active_run(event) is not None:
        raise BilateralRefused(_("The scheduler is running; wait until it has finished."))


def seats_needed(own: int, theirs: int, extra: int) -> int:
    """Seats a meeting needs: its attendees (at least the principal on each side) and extras."""
    return max(1, own) + max(1, theirs) + extra


# --- requests ---------------------------------------------------------------------------------
def _open_between(a, b):
    return BilateralRequest.objects.filter(
        Q(requester=a, counterpart=b) | Q(requester=b, counterpart=a),
        status__in=[RequestStatus.PENDING, RequestStatus.ACCEPTED])


@transaction.atomic
def request_meeting(user, requester, data: dict) -> BilateralRequest:
    """A focal point (or the organiser) asks another delegation for a bilateral."""
    _require(user, "bilaterals.request_meeting", requester)
    counterpart = data["counterpart"]
    if counterpart.pk == requester.pk:
        raise BilateralRefused(_("A delegation cannot meet itself."), "counterpart")
    if counterpart.event_id != requester.event_id:
        raise BilateralRefused(_("That delegation is not at this event."), "counterpart")
    if _open_between(requester, counterpart).exists():
        raise BilateralRefused(
            _("There is already a request between %(a)s and %(b)s.")
            % {"a": requester, "b": counterpart}, "counterpart")
    length = data.get("length", 1)
    if not 1 <= length <= MAX_LENGTH:
        raise BilateralRefused(_("A bilateral takes 1 to %(n)d slots.") % {"n": MAX_LENGTH},
                               "length")
    attendees = list(data.get("attendees", []))
    if any(m.delegation_id != requester.pk for m in attendees):
        raise BilateralRefused(_("Attendees must be members of your delegation."),
                               "attendees")
    preferred = list(data.get("preferred_slots", []))
    if any(s.event_id != requester.event_id for s in preferred):
        raise BilateralRefused(_("A preferred time is not in this event's grid."),
                               "preferred_slots")
    request = BilateralRequest(
        event_id=requester.event_id, requester=requester, counterpart=counterpart,
        topic=data["topic"], priority=data.get("priority", Priority.NORMAL), length=length,
        extra_seats=data.get("extra_seats", 0), requested_by=user,
        min_seats=seats_needed(len(attendees), 0, data.get("extra_seats", 0)))
    auto = settings_for(requester.event).auto_accept
    if auto:
        # Opt-out mode (research notes §3.2, b2match): accepted for the other side at once.
        request.status = RequestStatus.ACCEPTED
        request.counterpart_priority = Priority.NORMAL
        request.answered_at = timezone.now()
        request.note = _("Accepted automatically.")
    _validated(request)
    request.save()
    request.requester_attendees.set(attendees)
    request.preferred_slots.set(preferred)
    record(user, "bilateral.requested", request, after=snapshot(request, REQUEST_FIELDS),
           summary=f"{requester} asks {counterpart}: {request.topic}"
                   + (" (accepted automatically)" if auto else ""))
    return request


def _validated(request: BilateralRequest) -> None:
    """The model's own field rules (lengths, choices), said as a refusal next to the field."""
    try:
        request.full_clean(exclude=["requester", "counterpart", "event"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise BilateralRefused(messages[0], field) from None


def _locked(request: BilateralRequest) -> BilateralRequest:
    return (BilateralRequest.objects.select_for_update()
            .select_related("requester__entity", "counterpart__entity").get(pk=request.pk))


@transaction.atomic
def answer_request(user, request: BilateralRequest, accept: bool, *, attendees=(),
                   priority: int | None = None, note: str = "") -> BilateralRequest:
    """The other delegation's focal point (or the organiser) accepts or declines."""
    _require(user, "bilaterals.answer_request", request)
    request = _locked(request)
    if request.status != RequestStatus.PENDING:
        raise BilateralRefused(_("This request has already been answered (%(status)s).")
                               % {"status": request.get_status_display()})
    attendees = list(attendees)
    if any(m.delegation_id != request.counterpart_id for m in attendees):
        raise BilateralRefused(_("Attendees must be members of your delegation."),
                               "attendees")
    before = snapshot(request, REQUEST_FIELDS)
    request.status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    request.counterpart_priority = (priority or Priority.NORMAL) if accept else None
    request.note = note
    request.answered_by, request.answered_at = user, timezone.now()
    _validated(request)
    if accept:
        request.counterpart_attendees.set(attendees)
        request.min_seats = seats_needed(request.requester_attendees.count(), len(attendees),
                                         request.extra_seats)
    request.save()
    record(user, "bilateral.accepted" if accept else "bilateral.declined", request,
           before=before, after=snapshot(request, REQUEST_FIELDS), summary=str(request))
    return request


def _cancel_published(published: PublishedMeeting | None) -> bool:
    if published is None or published.cancelled:
        return False
    published.cancelled = True
    published.sequence += 1
    published.changed_at = timezone.now()
    published.save()
    return True


@transaction.atomic
def cancel_request(user, request: BilateralRequest, note: str = "") -> BilateralRequest:
    """Either side (or the organiser) calls a request or meeting off; a published meeting is
    cancelled in both agendas and calendar feeds at once."""
    _require(user, "bilaterals.cancel_request", request)
    request = _locked(request)
    if request.status not in (RequestStatus.PENDING, RequestStatus.ACCEPTED):
        raise BilateralRefused(_("This request is no longer open."))
    before = snapshot(request, REQUEST_FIELDS)
    request.status = RequestStatus.CANCELLED
    request.note = note or request.note
    request.save()
    Meeting.objects.filter(request=request).delete()
    cancelled = _cancel_published(PublishedMeeting.objects.filter(request=request).first())
    record(user, "bilateral.cancelled", request, before=before,
           after=snapshot(request, REQUEST_FIELDS),
           summary=f"{request}" + (" (published meeting cancelled)" if cancelled else ""))
    return request


# --- availability ------------------------------------------------------------------------------
@transaction.atomic
def set_availability(user, delegation, slots) -> None:
    """The slots in which the delegation's principal cannot meet (replacing the previous)."""
    _require(user, "bilaterals.set_availability", delegation)
    wanted = {s.pk for s in slots if s.event_id == delegation.event_id}
    current = set(AvailabilityBlock.objects.filter(delegation=delegation)
                  .values_list("slot_id", flat=True))
    if wanted == current:
        return
    AvailabilityBlock.objects.filter(delegation=delegation, slot_id__in=current - wanted).delete()
    AvailabilityBlock.objects.bulk_create(
        [AvailabilityBlock(delegation=delegation, slot_id=pk) for pk in sorted(wanted - current)])
    record(user, "bilateral.availability_set", delegation,
           before={"unavailable_slots": sorted(current)},
           after={"unavailable_slots": sorted(wanted)},
           summary=f"{delegation}: {len(wanted)} slot(s) unavailable")


# --- rooms and the grid ---------------------------------------------------------------------------
@transaction.atomic
def save_room(user, event, data: dict, room: Room | None = None) -> Room:
    _require(user, "bilaterals.manage_schedule")
    before = snapshot(room, ["name", "seats", "location"]) if room else None
    room = room or Room(event=event)
    for name in ("name", "seats", "location"):
        if name in data:
            setattr(room, name, data[name])
    room.full_clean()
    room.save()
    record(user, "bilateral.room_saved", room, before=before,
           after=snapshot(room, ["name", "seats", "location"]), summary=room.name)
    return room


@transaction.atomic
def delete_room(user, room: Room) -> None:
    _require(user, "bilaterals.manage_schedule")
    if Meeting.objects.filter(room=room).exists():
        raise BilateralRefused(_("Meetings are placed in %(room)s; move them first.")
                               % {"room": room})
    record(user, "bilateral.room_deleted", room, before=snapshot(room, ["name", "seats"]),
           summary=room.name)
    room.delete()


@dataclass
class GridSpec:
    first_day: date
    last_day: date
    windows: str
    meeting_minutes: int
    changeover_minutes: int
    auto_accept: bool


def grid_spec(event) -> GridSpec:
    """The current grid, read back from its slots (for the set-up form)."""
    config = settings_for(event)
    slots = list(Slot.objects.filter(event=event))
    if not slots:
        return GridSpec(event.start_date, event.end_date, "09:00-12:30, 14:00-18:00",
                        config.meeting_minutes, config.changeover_minutes, config.auto_accept)
    days = sorted({timezone.localtime(s.start).date() for s in slots})
    first_day = [s for s in slots if timezone.localtime(s.start).date() == days[0]]
    windows = []  # runs of consecutive slots of the first day: (first start, last meeting end)
    for previous, slot in zip([None, *first_day], first_day, strict=False):
        if previous is None or previous.end != slot.start:
            windows.append([slot.start, slot.meeting_end])
        else:
            windows[-1][1] = slot.meeting_end
    text = ", ".join(f"{timezone.localtime(a):%H:%M}-{timezone.localtime(b):%H:%M}"
                     for a, b in windows)
    return GridSpec(days[0], days[-1], text, config.meeting_minutes, config.changeover_minutes,
                    config.auto_accept)


@transaction.atomic
def configure(user, event, spec: GridSpec) -> int:
    """Save the request mode and (re)build the slot grid; returns the number of slots.

    A grid in use (meetings placed or published on it) is not rebuilt: its slots are what
    delegations were told.
    """
    _require(user, "bilaterals.manage_schedule")
    if spec.last_day < spec.first_day:
        raise BilateralRefused(_("The last day is before the first."), "last_day")
    if (spec.last_day - spec.first_day).days > 13:
        raise BilateralRefused(_("A grid covers at most 14 days."), "last_day")
    try:
        windows = grid.parse_windows(spec.windows)
        days = [date.fromordinal(d) for d in range(spec.first_day.toordinal(),
                                                   spec.last_day.toordinal() + 1)]
        wanted = grid.slot_times(days, windows, spec.meeting_minutes, spec.changeover_minutes,
                                 timezone.get_current_timezone())
    except grid.GridError as exc:
        raise BilateralRefused(str(exc), "windows") from None
    config, _created = BilateralSettings.objects.get_or_create(event=event)
    before = snapshot(config, ["meeting_minutes", "changeover_minutes", "auto_accept"])
    config.meeting_minutes, config.changeover_minutes = (spec.meeting_minutes,
                                                         spec.changeover_minutes)
    config.auto_accept = spec.auto_accept
    config.save()
    current = [(s.start, s.meeting_end, s.end) for s in Slot.objects.filter(event=event)]
    rebuilt = current != [(w.start, w.meeting_end, w.end) for w in wanted]
    if rebuilt:
        in_use = Meeting.objects.filter(request__event=event).exists() or (
            PublishedMeeting.objects.filter(request__event=event, cancelled=False).exists())
        if in_use:
            raise BilateralRefused(_("Meetings are placed on the current grid. Remove them "
                                     "(and publish) before changing the grid."), "windows")
        _refuse_while_running(event)
        Slot.objects.filter(event=event).delete()
        Slot.objects.bulk_create([Slot(event=event, start=w.start, meeting_end=w.meeting_end,
                                       end=w.end) for w in wanted])
    record(user, "bilateral.configured", config, before=before,
           after={**snapshot(config, ["meeting_minutes", "changeover_minutes", "auto_accept"]),
                  "windows": spec.windows, "first_day": spec.first_day.isoformat(),
                  "last_day": spec.last_day.isoformat(), "slots": len(wanted)},
           summary=f"{len(wanted)} slots" + (" (grid rebuilt)" if rebuilt else ""))
    return len(wanted)


# --- the scheduler -------------------------------------------------------------------------------
@transaction.atomic
def start_run(user, event, *, time_limit: int = 20, keep_published: bool = True) -> ScheduleRun:
    """Queue a scheduler run on what is accepted now; the task does the solving."""
    from convene.bilaterals.tasks import run_scheduler

    _require(user, "bilaterals.manage_schedule")
    _refuse_while_running(event)
    if not 1 <= time_limit <= 600:
        raise BilateralRefused(_("Give the scheduler 1 to 600 seconds."), "time_limit")
    snap = planning.build_instance(event, keep_published=keep_published)
    if not snap.instance["requests"]:
        raise BilateralRefused(_("There are no accepted requests to schedule."))
    if not snap.instance["slots"] or not snap.instance["rooms"]:
        raise BilateralRefused(_("Set up the slot grid and at least one room first."))
    run = ScheduleRun.objects.create(event=event, created_by=user, time_limit=time_limit,
                                     keep_published=keep_published, instance=snap.instance,
                                     result={"warnings": snap.warnings})
    record(user, "bilateral.run_started", run,
           after={"requests": len(snap.instance["requests"]), "time_limit": time_limit,
                  "keep_published": keep_published},
           summary=f"{len(snap.instance['requests'])} accepted requests")
    # Enqueued in this transaction: the database backend's worker sees the task only once the
    # run it refers to is committed.
    run_scheduler.enqueue(run.pk)
    return run


def run_output(result, warnings: list[str], counts: dict) -> dict:
    """What a run keeps of the solver's answer: the JSON schedule, each reason as code and
    parameters (for the review page, in the reader's language), warnings and figures."""
    output = result.to_json()
    output["reasons"] = {u.request: {"code": u.code, "params": u.params}
                         for u in result.unscheduled}
    output["warnings"] = list(warnings) + list(result.warnings)
    output["stats"] = result.stats
    output["applied"] = counts
    return output


def execute_run(run_id: int) -> None:
    """The body of the background task: solve, then replace the working schedule."""
    from convene.bilaterals.instance import parse_instance
    from convene.bilaterals.solver import Progress, solve

    # RUNNING too: a run whose worker died mid-solve is queued again by `convene tasks
    # recover` and solved afresh from its saved instance. The result replaces the working
    # schedule in one transaction with the run's DONE, so a re-run duplicates nothing.
    run = ScheduleRun.objects.filter(
        pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]).first()
    if run is None:
        return
    owner = threading.get_ident()
    ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, phase="preparing",
                                                 started_at=timezone.now())

    def progress(p: Progress) -> None:
        # CP-SAT reports from its own threads too; only this thread writes to the database.
        if threading.get_ident() == owner:
            ScheduleRun.objects.filter(pk=run.pk).update(phase=p.phase, objective=p.objective,
                                                         bound=p.bound)

    try:
        result = solve(parse_instance(run.instance), time_limit=run.time_limit,
                       on_progress=progress)
    except Exception as exc:  # noqa: BLE001 — reported on the run, not lost
        logger.exception("bilateral scheduler run %s failed", run.pk)
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(), phase="",
            error=f"{type(exc).__name__}: {exc}"[:2000])
        return
    with transaction.atomic():
        counts = planning.apply_result(run.event, run.instance, result.to_json())
        output = run_output(result, (run.result or {}).get("warnings", []), counts)
        ScheduleRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, finished_at=timezone.now(), phase="", result=output,
            objective=result.objective, bound=result.bound,
            greedy_objective=result.stats.get("greedy_objective"))
        run.refresh_from_db()
        record(None, "bilateral.run_finished", run,
               after={"status": result.status, "objective": result.objective,
                      "bound": result.bound, **counts},
               summary=f"run {run.pk}: {len(result.meetings)} meetings, priority "
                       f"{result.objective} of at most {result.bound}")


# --- changes by hand ---------------------------------------------------------------------------
def _who(request: BilateralRequest) -> str:
    return f"{request.requester} – {request.counterpart}"


def _check_place(event, request: BilateralRequest, room: Room, start_slot: Slot) -> list:
    snap = planning.build_instance(event, with_places=False)
    run = planning.slot_run(snap.slots, start_slot.pk, request.length)
    if run is None:
        raise BilateralRefused(_("There are not %(n)d consecutive slots from %(slot)s.")
                               % {"n": request.length, "slot": start_slot}, "start_slot")
    if room.seats < request.min_seats:
        raise BilateralRefused(_("%(room)s has %(seats)d seats; this meeting needs %(need)d.")
                               % {"room": room, "seats": room.seats,
                                  "need": request.min_seats}, "room")
    codes = {planning.slot_code(s.pk) for s in run}
    for principal in snap.instance["principals"]:
        if principal["id"] in (request.requester.entity.code, request.counterpart.entity.code) \
                and codes & set(principal["unavailable"]):
            raise BilateralRefused(_("%(who)s is not available then.")
                                   % {"who": principal["name"]}, "start_slot")
    slot_ids = {s.pk for s in run}
    others = (Meeting.objects.filter(request__event=event,
                                     request__status=RequestStatus.ACCEPTED)
              .exclude(request=request)
              .select_related("request__requester__entity", "request__counterpart__entity",
                              "room"))
    for other in others:
        other_run = planning.slot_run(snap.slots, other.start_slot_id, other.slot_count) or []
        if not slot_ids & {s.pk for s in other_run}:
            continue
        if other.room_id == room.pk:
            raise BilateralRefused(_("%(room)s is taken then by %(other)s.")
                                   % {"room": room, "other": _who(other.request)}, "room")
        shared = {other.request.requester_id, other.request.counterpart_id} & {
            request.requester_id, request.counterpart_id}
        if shared:
            raise BilateralRefused(_("%(other)s is at the same time.")
                                   % {"other": _who(other.request)}, "start_slot")
    # The independent checker has the last word on the whole working schedule.
    change = (request.pk, room.pk, run)
    problems = checker.check(snap.instance, planning.working_result(event, snap, change),
                             check_objective=False)
    if problems:
        raise BilateralRefused(_("The schedule would break a rule: %(problem)s")
                               % {"problem": problems[0]})
    return run


@transaction.atomic
def place_meeting(user, request: BilateralRequest, room: Room, start_slot: Slot) -> Meeting:
    """The organiser puts an accepted request (or moves its meeting) in a room at a time."""
    _require(user, "bilaterals.manage_schedule")
    request = _locked(request)
    if request.status != RequestStatus.ACCEPTED:
        raise BilateralRefused(_("Only an accepted request can be scheduled."))
    if room.event_id != request.event_id or start_slot.event_id != request.event_id:
        raise BilateralRefused(_("That room or time is not in this event."))
    _refuse_while_running(request.event)
    run = _check_place(request.event, request, room, start_slot)
    meeting = Meeting.objects.filter(request=request).first()
    before = snapshot(meeting, ["room", "start_slot", "slot_count"]) if meeting else None
    meeting = meeting or Meeting(request=request)
    meeting.room, meeting.start_slot, meeting.slot_count = room, run[0], len(run)
    meeting.start, meeting.end = run[0].start, run[-1].meeting_end
    meeting.placed_by = PlacedBy.ORGANISER
    meeting.save()
    record(user, "bilateral.placed", meeting, before=before,
           after=snapshot(meeting, ["room", "start_slot", "slot_count"]),
           summary=f"{_who(request)}: {room}, {start_slot}")
    return meeting


@transaction.atomic
def remove_meeting(user, request: BilateralRequest) -> None:
    _require(user, "bilaterals.manage_schedule")
    _refuse_while_running(request.event)
    meeting = Meeting.objects.filter(request=request).first()
    if meeting is None:
        return
    record(user, "bilateral.unplaced", meeting,
           before=snapshot(meeting, ["room", "start_slot", "slot_count"]), summary=_who(request))
    meeting.delete()


def pending_changes(event) -> dict:
    """What publishing now would change in the delegations' agendas."""
    working = {m.request_id: m for m in Meeting.objects.filter(
        request__event=event, request__status=RequestStatus.ACCEPTED)}
    published = {p.request_id: p for p in PublishedMeeting.objects.filter(request__event=event)}
    counts = {"new": 0, "changed": 0, "cancelled": 0}
    for pk, m in working.items():
        p = published.get(pk)
        if p is None or p.cancelled:
            counts["new"] += 1
        elif (p.room_id, p.start_slot_id, p.slot_count, p.start, p.end) != (
                m.room_id, m.start_slot_id, m.slot_count, m.start, m.end):
            counts["changed"] += 1
    counts["cancelled"] = sum(1 for pk, p in published.items()
                              if pk not in working and not p.cancelled)
    return counts


def _uid(event, request_pk: int) -> str:
    return f"bilateral-{request_pk}.{event.slug}@convene"


@transaction.atomic
def publish(user, event) -> dict:
    """Publish the working schedule: every delegation's agenda and feed follow it; a changed
    meeting keeps its UID with SEQUENCE + 1, a dropped one is cancelled (RFC 5545)."""
    _require(user, "bilaterals.manage_schedule")
    _refuse_while_running(event)
    counts = publish_working_schedule(event)
    record(user, "bilateral.published", None, object_type="core.event",
           object_id=str(event.pk), after=counts,
           summary=f"{counts['new']} new, {counts['changed']} changed, "
                   f"{counts['cancelled']} cancelled")
    return counts


def publish_working_schedule(event) -> dict:
    """The publication itself (the caller checks permission and writes the audit event)."""
    now = timezone.now()
    working = {m.request_id: m for m in Meeting.objects.filter(
        request__event=event, request__status=RequestStatus.ACCEPTED).select_related("room")}
    published = {p.request_id: p for p in
                 PublishedMeeting.objects.select_for_update().filter(request__event=event)}
    counts = {"new": 0, "changed": 0, "cancelled": 0, "unchanged": 0}
    for pk, m in working.items():
        p = published.get(pk)
        state = (m.room_id, m.start_slot_id, m.slot_count, m.start, m.end, m.room.name, False)
        if p is None:
            PublishedMeeting.objects.create(
                request_id=pk, uid=_uid(event, pk), room=m.room, start_slot=m.start_slot,
                slot_count=m.slot_count, room_name=m.room.name, start=m.start, end=m.end,
                changed_at=now)
            counts["new"] += 1
            continue
        if (p.room_id, p.start_slot_id, p.slot_count, p.start, p.end, p.room_name,
                p.cancelled) == state:
            counts["unchanged"] += 1
            continue
        counts["new" if p.cancelled else "changed"] += 1
        p.room, p.start_slot, p.slot_count = m.room, m.start_slot, m.slot_count
        p.room_name, p.start, p.end, p.cancelled = m.room.name, m.start, m.end, False
        p.sequence += 1
        p.changed_at = now
        p.save()
    for pk, p in published.items():
        if pk not in working and _cancel_published(p):
            counts["cancelled"] += 1
    return counts


# --- agendas and feeds ---------------------------------------------------------------------------
def agenda(delegation):
    """The delegation's published meetings, cancelled ones included (the feed needs them)."""
    return (PublishedMeeting.objects
            .filter(Q(request__requester=delegation) | Q(request__counterpart=delegation))
            .select_related("request__requester__entity", "request__counterpart__entity")
            .order_by("start"))


@transaction.atomic
def feed_of(delegation) -> AgendaFeed:
    """The delegation's calendar feed, created on first use."""
    feed, created = AgendaFeed.objects.get_or_create(delegation=delegation)
    if created:
        record(None, "bilateral.feed_created", feed, object_type="bilaterals.agendafeed",
               summary=str(delegation))
    return feed


@transaction.atomic
def reset_feed(user, delegation) -> AgendaFeed:
    """A new secret address; the old one stops working (e.g. after it was shared by mistake)."""
    _require(user, "bilaterals.manage_feed", delegation)
    feed = feed_of(delegation)
    feed.token = AgendaFeed._meta.get_field("token").default()
    feed.save()
    # The token itself never enters the audit trail: it is a secret.
    record(user, "bilateral.feed_reset", feed, summary=str(delegation))
    return feed


def feed_delegation(delegation_pk: int, token: str):
    """The delegation whose feed this token opens, or None (compared in constant time)."""
    import hmac

    feed = AgendaFeed.objects.select_related("delegation__entity", "delegation__event").filter(
        delegation_id=delegation_pk).first()
    if feed is None or not hmac.compare_digest(feed.token.encode(), token.encode()):
        return None
    return feed.delegation


def agenda_ics(delegation) -> bytes:
    items = []
    for p in agenda(delegation):
        r = p.request
        other = r.counterpart if r.requester_id == delegation.pk else r.requester
        items.append(ical.AgendaItem(
            uid=p.uid, start=p.start, end=p.end,
            summary=_("Bilateral: %(a)s – %(b)s") % {"a": delegation, "b": other},
            location=p.room_name, description=r.topic, sequence=p.sequence,
            cancelled=p.cancelled or r.status != RequestStatus.ACCEPTED,
            changed_at=p.changed_at))
    name = _("Bilateral meetings of %(d)s — %(event)s") % {"d": delegation,
                                                           "event": delegation.event.name}
    return ical.agenda_calendar(name, items, timezone.now())
