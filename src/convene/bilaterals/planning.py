"""Between the database and the solver: the instance of an event as the solver reads it, and
a solver result turned back into meetings. No HTTP, no permission checks (services do that).

Ids in the instance are the rows' own: Q<request pk>, R<room pk>, S<slot pk>; principals are
delegations, named by their entity code (VNM, LAO…). Placements of accepted requests:
* a meeting the organiser placed by hand is pinned where it is;
* a published meeting is pinned where it was published, unless the organiser lets the run
  move published meetings, in which case its place only counts as "keep if possible" — the
  solver then moves as few as it can (a secondary objective, see solver.py);
* a meeting the scheduler placed before (not yet published) is kept if possible as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from convene.bilaterals import availability
from convene.bilaterals.models import (
    AvailabilityBlock,
    BilateralRequest,
    Meeting,
    PlacedBy,
    RequestStatus,
    Room,
    Slot,
)


def request_code(pk: int) -> str:
    return f"Q{pk}"


def room_code(pk: int) -> str:
    return f"R{pk}"


def slot_code(pk: int) -> str:
    return f"S{pk}"


def code_pk(code: str, prefix: str) -> int | None:
    if isinstance(code, str) and code.startswith(prefix) and code[1:].isdigit():
        return int(code[1:])
    return None


@dataclass
class Snapshot:
    instance: dict
    slots: list[Slot]
    warnings: list[str] = field(default_factory=list)


def slot_run(slots: list[Slot], start_slot_id: int | None, count: int) -> list[Slot] | None:
    """The `count` slots from `start_slot_id` in grid order, if they are consecutive."""
    index = next((i for i, s in enumerate(slots) if s.pk == start_slot_id), None)
    if index is None or index + count > len(slots):
        return None
    run = slots[index:index + count]
    if any(a.end != b.start for a, b in zip(run, run[1:], strict=False)):
        return None
    return run


def _slot_json(slot: Slot) -> dict:
    start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
    return {"id": slot_code(slot.pk), "day": start.date().isoformat(),
            "start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"),
            "name": f"{start:%a %d %b %H:%M}"}


def accepted_requests(event):
    return (BilateralRequest.objects.filter(event=event, status=RequestStatus.ACCEPTED)
            .select_related("requester__entity", "counterpart__entity", "meeting",
                            "published")
            .prefetch_related("preferred_slots"))


def _placement(request: BilateralRequest, slots: list[Slot], keep_published: bool):
    """(room pk, slot list, pinned) of where the request is now, or None."""
    meeting = getattr(request, "meeting", None)
    published = getattr(request, "published", None)
    if published is not None and (published.cancelled or published.room_id is None):
        published = None
    options = []
    if meeting is not None and meeting.placed_by == PlacedBy.ORGANISER:
        options.append((meeting.room_id, meeting.start_slot_id, meeting.slot_count, True))
    if published is not None:
        options.append((published.room_id, published.start_slot_id, published.slot_count,
                        keep_published))
    if meeting is not None:
        options.append((meeting.room_id, meeting.start_slot_id, meeting.slot_count, False))
    for room_id, start_slot_id, count, pinned in options:
        run = slot_run(slots, start_slot_id, count)
        if run is not None:
            return room_id, run, pinned
    return None


def build_instance(event, *, keep_published: bool = True, with_places: bool = True) -> Snapshot:
    """The solver's instance for the event's accepted requests (a fixed number of queries)."""
    slots = list(Slot.objects.filter(event=event))
    rooms = list(Room.objects.filter(event=event))
    requests = list(accepted_requests(event))
    delegations = {}
    for r in requests:
        delegations[r.requester_id] = r.requester
        delegations[r.counterpart_id] = r.counterpart
    blocks: dict[int, set[int]] = {}
    for delegation_id, slot_id in AvailabilityBlock.objects.filter(
            delegation_id__in=delegations, slot__event=event).values_list("delegation_id",
                                                                          "slot_id"):
        blocks.setdefault(delegation_id, set()).add(slot_id)
    busy, warnings = availability.busy_times(event)
    unavailable = availability.unavailable_slots(slots, blocks, busy, delegations)
    instance_requests = []
    for r in requests:
        item = {"id": request_code(r.pk),
                "between": [r.requester.entity.code, r.counterpart.entity.code],
                "priority": r.weight, "slots": r.length, "min_seats": r.min_seats,
                "preferred": [slot_code(s.pk) for s in r.preferred_slots.all()],
                "name": str(r)}
        place = _placement(r, slots, keep_published) if with_places else None
        if place is not None:
            room_id, run, pinned = place
            item["placed"] = {"room": room_code(room_id),
                              "slots": [slot_code(s.pk) for s in run]}
            item["pinned"] = pinned
        instance_requests.append(item)
    instance = {
        "slots": [_slot_json(s) for s in slots],
        "rooms": [{"id": room_code(r.pk), "seats": r.seats, "name": r.name} for r in rooms],
        "principals": [{"id": d.entity.code, "name": str(d),
                        "unavailable": sorted(slot_code(s) for s in unavailable[pk])}
                       for pk, d in sorted(delegations.items())],
        "requests": instance_requests,
    }
    return Snapshot(instance, slots, warnings)


def apply_result(event, instance: dict, result: dict) -> dict:
    """Replace the working schedule of the requests in `instance` by the solver's `result`.

    Requests cancelled, rooms or slots deleted since the instance was taken are skipped; a
    request accepted since then keeps what it has. Returns counts for the audit event.
    """
    slots = list(Slot.objects.filter(event=event))
    by_pk = {s.pk: s for s in slots}
    rooms = {r.pk: r for r in Room.objects.filter(event=event)}
    asked = {code_pk(q["id"], "Q") for q in instance.get("requests", [])}
    live = {r.pk: r for r in BilateralRequest.objects.filter(
        event=event, status=RequestStatus.ACCEPTED, pk__in=asked).select_related("meeting")}
    placed = {}
    for m in result.get("meetings", []):
        pk, room_pk = code_pk(m["request"], "Q"), code_pk(m["room"], "R")
        run_pks = [code_pk(s, "S") for s in m["slots"]]
        if pk not in live or room_pk not in rooms or any(s not in by_pk for s in run_pks):
            continue
        placed[pk] = (rooms[room_pk], [by_pk[s] for s in run_pks])
    counts = {"placed": 0, "moved": 0, "kept": 0, "removed": 0}
    for pk, request in live.items():
        meeting = getattr(request, "meeting", None)
        if pk not in placed:
            if meeting is not None:
                meeting.delete()
                counts["removed"] += 1
            continue
        room, run = placed[pk]
        if meeting is None:
            Meeting.objects.create(request=request, room=room, start_slot=run[0],
                                   slot_count=len(run), start=run[0].start,
                                   end=run[-1].meeting_end, placed_by=PlacedBy.SOLVER)
            counts["placed"] += 1
        elif meeting.room_id == room.pk and meeting.start_slot_id == run[0].pk:
            counts["kept"] += 1
        else:
            meeting.room, meeting.start_slot, meeting.slot_count = room, run[0], len(run)
            meeting.start, meeting.end = run[0].start, run[-1].meeting_end
            meeting.placed_by = PlacedBy.SOLVER
            meeting.save()
            counts["moved"] += 1
    return counts


def working_result(event, snapshot: Snapshot, change: tuple | None = None) -> dict:
    """The working schedule as a solver result, with one meeting changed: `change` is
    (request pk, room pk, slot list) to place, or (request pk, None, None) to remove."""
    meetings = {m.request_id: (m.room_id, slot_run(snapshot.slots, m.start_slot_id,
                                                   m.slot_count))
                for m in Meeting.objects.filter(request__event=event,
                                                request__status=RequestStatus.ACCEPTED)}
    if change is not None:
        pk, room_pk, run = change
        if room_pk is None:
            meetings.pop(pk, None)
        else:
            meetings[pk] = (room_pk, run)
    out, unscheduled = [], []
    for q in snapshot.instance["requests"]:
        pk = code_pk(q["id"], "Q")
        if pk in meetings and meetings[pk][1] is not None:
            room_pk, run = meetings[pk]
            out.append({"request": q["id"], "room": room_code(room_pk),
                        "slots": [slot_code(s.pk) for s in run]})
        else:
            unscheduled.append({"request": q["id"], "reason": "not placed"})
    return {"meetings": out, "unscheduled": unscheduled}
