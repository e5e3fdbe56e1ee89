"""Where each request could go at all, before any choice between requests is made.

For every request this finds the start slots at which all its principals are free for
`slots` consecutive slots of one day and the rooms with enough seats; a request with none is
set aside with the reason (unknown principal, never available, no room large enough, no
common free consecutive slots). It also checks the pinned placements (published meetings
kept where they are) and keeps the ones that are valid and do not clash with each other.
Both the CP-SAT solver and the first-come-first-served baseline start from this.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from convene.bilaterals import schedule as sch
from convene.bilaterals.instance import Instance, Request, Room


@dataclass(frozen=True)
class Pin:
    request: str
    start: int  # slot index
    room: str


@dataclass
class Prepared:
    instance: Instance
    run_end: list[int]  # for each slot index, the index of the last slot of its run
    starts: dict[str, list[int]]  # request id -> possible start indices (principals free)
    rooms: dict[str, list[Room]]  # request id -> rooms with enough seats, smallest first
    requests: list[Request]  # the schedulable ones (not set aside), in input order
    rejected: dict[int, sch.Unscheduled]  # input position -> why it cannot be scheduled
    pins: dict[str, Pin] = field(default_factory=dict)
    placed: dict[str, Pin] = field(default_factory=dict)  # valid current places, not pinned
    warnings: list[str] = field(default_factory=list)

    def covered(self, start: int, length: int) -> range:
        return range(start, start + length)


def _run_ends(instance: Instance) -> list[int]:
    slots = instance.slots
    ends = list(range(len(slots)))
    for i in range(len(slots) - 2, -1, -1):
        if instance.consecutive(slots[i], slots[i + 1]):
            ends[i] = ends[i + 1]
    return ends


def _starts(instance: Instance, run_end: list[int], request: Request) -> list[int]:
    blocked = set()
    for pid in request.between:
        blocked |= instance.principals[pid].unavailable
    free = [s.id not in blocked for s in instance.slots]
    length = request.slots
    result = []
    for i in range(len(instance.slots)):
        if i + length - 1 <= run_end[i] and all(free[i:i + length]):
            result.append(i)
    return result


def _rejection(instance: Instance, request: Request, rooms: list[Room],
               starts: list[int]) -> sch.Unscheduled | None:
    if request.problem is not None:
        code, params = request.problem
        return sch.Unscheduled(request.id, code, params)
    if not instance.slots:
        return sch.Unscheduled(request.id, sch.NO_SLOTS, {})
    for pid in request.between:
        if len(instance.principals[pid].unavailable) >= len(instance.slots):
            return sch.Unscheduled(request.id, sch.NEVER_AVAILABLE, {"principal": pid})
    if not rooms:
        largest = max((r.seats for r in instance.rooms), default=0)
        return sch.Unscheduled(request.id, sch.NO_ROOM,
                               {"seats": request.min_seats, "largest": largest})
    if not starts:
        return sch.Unscheduled(request.id, sch.NO_COMMON_SLOTS,
                               {"principals": list(request.between), "slots": request.slots})
    return None


def _placement_start(prep: Prepared, request: Request) -> tuple[int, str] | str:
    """(start index, room) of the request's current place, or why that place is not valid."""
    inst, placed = prep.instance, request.placed
    room = inst.room_by_id.get(placed.room)
    if room is None:
        return f"room {placed.room} does not exist"
    if room.seats < request.min_seats:
        return f"room {room.id} has {room.seats} seats, {request.min_seats} are needed"
    if any(s not in inst.slot_by_id for s in placed.slots):
        return "a slot of it does not exist"
    indices = [inst.slot_by_id[s].index for s in placed.slots]
    if len(indices) != request.slots or indices != list(range(indices[0],
                                                             indices[0] + request.slots)):
        return f"it does not take {request.slots} consecutive slot(s)"
    if indices[0] not in prep.starts[request.id]:
        return "a principal is not available then, or the slots are not consecutive"
    return indices[0], room.id


def _check_pins(prep: Prepared) -> None:
    busy_principal: dict[tuple[str, int], str] = {}
    busy_room: dict[tuple[str, int], str] = {}
    # Higher priority first: when two pinned meetings clash, the more important one stays.
    pinned = sorted((r for r in prep.requests if r.placed is not None),
                    key=lambda r: (not r.pinned, -r.priority, r.order))
    for request in pinned:
        where = _placement_start(prep, request)
        if isinstance(where, str):
            if request.pinned:
                prep.warnings.append(f"{request.id}: its pinned place is not kept ({where})")
            continue
        start, room = where
        if not request.pinned:
            prep.placed[request.id] = Pin(request.id, start, room)
            continue
        covered = prep.covered(start, request.slots)
        clash = next((busy_principal[(p, t)] for p in request.between for t in covered
                      if (p, t) in busy_principal), None) or next(
            (busy_room[(room, t)] for t in covered if (room, t) in busy_room), None)
        if clash:
            prep.warnings.append(f"{request.id}: its pinned place is not kept (it clashes "
                                 f"with the pinned meeting {clash})")
            continue
        for t in covered:
            busy_room[(room, t)] = request.id
            for p in request.between:
                busy_principal[(p, t)] = request.id
        prep.pins[request.id] = Pin(request.id, start, room)


def prepare(instance: Instance) -> Prepared:
    run_end = _run_ends(instance)
    rooms_by_size = sorted(instance.rooms, key=lambda r: (r.seats, r.id))
    prep = Prepared(instance, run_end, {}, {}, [], {})
    for request in instance.requests:
        rooms = starts = []
        if request.problem is None:
            rooms = [r for r in rooms_by_size if r.seats >= request.min_seats]
            starts = _starts(instance, run_end, request) if instance.slots else []
        rejection = _rejection(instance, request, rooms, starts)
        if rejection is not None:
            prep.rejected[request.order] = rejection
            continue
        prep.requests.append(request)
        prep.starts[request.id] = starts
        prep.rooms[request.id] = rooms
    _check_pins(prep)
    return prep
