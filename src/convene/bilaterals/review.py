"""What the organiser reviews: the grid by room and time, each delegation's meetings, and the
requests that were not scheduled with the reason in words. Read-only, a fixed number of
queries whatever the number of rooms, slots and meetings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from convene.bilaterals import planning
from convene.bilaterals import schedule as sch
from convene.bilaterals.models import (
    BilateralRequest,
    Meeting,
    RequestStatus,
    Room,
    RunStatus,
    ScheduleRun,
    Slot,
)


def explain(code: str, params: dict, principals: dict[str, str],
            requests: dict[str, str]) -> str:
    """A solver reason in the reader's language, with delegations named."""
    def names(ids):
        return ", ".join(principals.get(i, i) for i in ids)

    if code == sch.UNKNOWN_PRINCIPAL:
        return _("Unknown delegation: %(names)s.") % {"names": names(params["principals"])}
    if code == sch.NO_SLOTS:
        return _("There are no slots in the grid.")
    if code == sch.NEVER_AVAILABLE:
        return _("%(name)s is never available.") % {"name": names([params["principal"]])}
    if code == sch.NO_ROOM:
        return _("No room is large enough: %(seats)d seats needed, the largest room has "
                 "%(largest)d.") % params
    if code == sch.NO_COMMON_SLOTS:
        return _("%(names)s are never free at the same time for %(n)d consecutive slot(s).") \
            % {"names": names(params["principals"]), "n": params["slots"]}
    if code == sch.NOT_CHOSEN:
        blocking = [requests.get(b, b) for b in params.get("blocking", [])]
        if blocking:
            return _("Not chosen: it conflicts with higher-priority meetings (%(list)s).") \
                % {"list": "; ".join(blocking)}
        return _("Not chosen: it conflicts with higher-priority meetings.")
    if code == sch.ROOMS_FULL:
        return _("Not chosen: whenever both principals are free, every room large enough is "
                 "taken by higher-priority meetings.")
    if code in (sch.INVALID, sch.DUPLICATE):
        return _("The request is not valid: %(problem)s") % {
            "problem": params.get("problem", code)}
    return code


@dataclass
class Cell:
    room: Room
    meeting: Meeting | None = None
    rowspan: int = 1
    covered: bool = False  # part of a longer meeting that starts above


@dataclass
class Row:
    slot: Slot
    cells: list[Cell]


@dataclass
class Day:
    day: date
    rows: list[Row] = field(default_factory=list)


@dataclass
class Unscheduled:
    request: BilateralRequest
    reason: str


@dataclass
class Review:
    rooms: list[Room]
    days: list[Day]
    meetings: list[Meeting]
    unscheduled: list[Unscheduled]
    run: ScheduleRun | None
    last_done: ScheduleRun | None


def _meetings(event):
    return list(Meeting.objects.filter(request__event=event,
                                       request__status=RequestStatus.ACCEPTED)
                .select_related("room", "start_slot", "request__requester__entity",
                                "request__counterpart__entity")
                .order_by("start", "room__name"))


def build(event, delegation_id: int | None = None) -> Review:
    rooms = list(Room.objects.filter(event=event).order_by("seats", "name"))
    slots = list(Slot.objects.filter(event=event))
    meetings = _meetings(event)
    at: dict[tuple[int, int], tuple[Meeting, bool]] = {}
    for m in meetings:
        run = planning.slot_run(slots, m.start_slot_id, m.slot_count) or []
        for n, slot in enumerate(run):
            at[(m.room_id, slot.pk)] = (m, n == 0)
    days: list[Day] = []
    for slot in slots:
        day = timezone.localtime(slot.start).date()
        if not days or days[-1].day != day:
            days.append(Day(day))
        cells = []
        for room in rooms:
            meeting, first = at.get((room.pk, slot.pk), (None, False))
            cells.append(Cell(room, meeting, meeting.slot_count if meeting and first else 1,
                              covered=meeting is not None and not first))
        days[-1].rows.append(Row(slot, cells))
    runs = list(ScheduleRun.objects.filter(event=event).defer("instance")[:10])
    last_done = next((r for r in runs if r.status == RunStatus.DONE), None)
    unscheduled = _unscheduled(event, meetings, last_done)
    if delegation_id is not None:
        meetings = [m for m in meetings if m.request.involves(delegation_id)]
        unscheduled = [u for u in unscheduled if u.request.involves(delegation_id)]
    return Review(rooms, days, meetings, unscheduled, runs[0] if runs else None, last_done)


def _unscheduled(event, meetings: list[Meeting], last_done: ScheduleRun | None):
    placed = {m.request_id for m in meetings}
    waiting = list(BilateralRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
                   .exclude(pk__in=placed)
                   .select_related("requester__entity", "counterpart__entity"))
    result = (last_done.result or {}) if last_done else {}
    reasons = result.get("reasons", {})
    principals, names = {}, {}
    for r in BilateralRequest.objects.filter(event=event).select_related(
            "requester__entity", "counterpart__entity"):
        principals[r.requester.entity.code] = str(r.requester)
        principals[r.counterpart.entity.code] = str(r.counterpart)
        names[planning.request_code(r.pk)] = str(r)
    out = []
    for request in waiting:
        code = planning.request_code(request.pk)
        if code in reasons:
            reason = explain(reasons[code]["code"], reasons[code]["params"], principals, names)
        elif last_done is None:
            reason = _("The scheduler has not run yet.")
        elif any(m["request"] == code for m in result.get("meetings", [])):
            reason = _("Removed from the schedule by hand.")
        else:
            reason = _("Accepted after the last run of the scheduler.")
        out.append(Unscheduled(request, reason))
    return out
