"""A schedule under construction: who is busy when, which room is taken when.

Used by the first-come-first-served baseline, to turn the CP-SAT answer into rooms, to fill
what an interrupted search left free, and to explain why a request was not chosen.
"""

from __future__ import annotations

from convene.bilaterals import schedule as sch
from convene.bilaterals.instance import Request
from convene.bilaterals.placements import Pin, Prepared


class Board:
    def __init__(self, prep: Prepared):
        self.prep = prep
        self.principal_busy: dict[tuple[str, int], str] = {}
        self.room_busy: dict[tuple[str, int], str] = {}
        self.rooms_taken: list[set[str]] = [set() for _ in prep.instance.slots]
        self.meetings: dict[str, Pin] = {}
        self.by_id = {r.id: r for r in prep.requests}
        self.n_rooms = len(prep.instance.rooms)

    # --- questions ---------------------------------------------------------------------------
    def principals_free(self, request: Request, start: int) -> bool:
        busy = self.principal_busy
        for t in range(start, start + request.slots):
            for p in request.between:
                if (p, t) in busy:
                    return False
        return True

    def room_free(self, room: str, start: int, length: int) -> bool:
        for t in range(start, start + length):
            if room in self.rooms_taken[t]:
                return False
        return True

    def fits(self, request: Request, start: int, room: str) -> bool:
        return self.principals_free(request, start) and self.room_free(room, start,
                                                                      request.slots)

    @property
    def objective(self) -> int:
        return sum(self.by_id[r].priority for r in self.meetings)

    # --- changes -----------------------------------------------------------------------------
    def place(self, request: Request, start: int, room: str) -> None:
        for t in range(start, start + request.slots):
            self.room_busy[(room, t)] = request.id
            self.rooms_taken[t].add(room)
            for p in request.between:
                self.principal_busy[(p, t)] = request.id
        self.meetings[request.id] = Pin(request.id, start, room)

    def place_pins(self) -> None:
        for pin in self.prep.pins.values():
            self.place(self.by_id[pin.request], pin.start, pin.room)

    def first_fit(self, request: Request) -> bool:
        """Put the request at its current place if still free, else at the earliest start
        where its principals are free, in the smallest free room with enough seats."""
        current = self.prep.placed.get(request.id)
        if current and self.fits(request, current.start, current.room):
            self.place(request, current.start, current.room)
            return True
        taken = self.rooms_taken
        for start in self.prep.starts[request.id]:
            if len(taken[start]) == self.n_rooms or not self.principals_free(request, start):
                continue
            for room in self.prep.rooms[request.id]:
                if self.room_free(room.id, start, request.slots):
                    self.place(request, start, room.id)
                    return True
        return False

    # --- results -----------------------------------------------------------------------------
    def meetings_out(self) -> list[sch.Meeting]:
        slots = self.prep.instance.slots
        order = {r.id: r.order for r in self.prep.requests}
        return [sch.Meeting(pin.request, pin.room,
                            tuple(slots[t].id for t in range(
                                pin.start, pin.start + self.by_id[pin.request].slots)))
                for pin in sorted(self.meetings.values(), key=lambda p: order[p.request])]

    def why_not(self, request: Request) -> sch.Unscheduled:
        """Why a schedulable request is not on the board: the meetings in its way."""
        blocking: dict[str, int] = {}
        room_only = False
        for start in self.prep.starts[request.id]:
            in_way = {self.principal_busy[(p, t)] for p in request.between
                      for t in range(start, start + request.slots)
                      if (p, t) in self.principal_busy}
            if in_way:
                for rid in in_way:
                    blocking[rid] = self.by_id[rid].priority
            else:
                room_only = True
        if room_only:
            return sch.Unscheduled(request.id, sch.ROOMS_FULL, {})
        names = sorted(blocking, key=lambda r: (-blocking[r], self.by_id[r].order))[:6]
        return sch.Unscheduled(request.id, sch.NOT_CHOSEN, {"blocking": names})

    def unscheduled_out(self) -> list[sch.Unscheduled]:
        out = []
        for request in self.prep.instance.requests:
            if request.order in self.prep.rejected:
                out.append(self.prep.rejected[request.order])
            elif request.id not in self.meetings:
                out.append(self.why_not(request))
        return out
