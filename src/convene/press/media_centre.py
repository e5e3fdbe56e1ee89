"""Media centre rules as plain functions: capacity of a facility, the first interview slot a
principal is free for, and the order of a press conference's question queue."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta


def overlapping(bookings, start: datetime, end: datetime) -> int:
    """How many (start, end) bookings overlap [start, end)."""
    return sum(1 for s, e in bookings if s < end and start < e)


def has_room(bookings, capacity: int, start: datetime, end: datetime) -> bool:
    """Every moment of [start, end) has fewer than `capacity` bookings. The count is taken at
    each booking start inside the interval (where the number can rise) and at `start`."""
    points = [start] + [s for s, _e in bookings if start < s < end]
    return all(sum(1 for s, e in bookings if s <= p < e) < capacity for p in points)


def first_free_slot(window_start: datetime, window_end: datetime, minutes: int, busy,
                    step_minutes: int = 10) -> tuple[datetime, datetime] | None:
    """The earliest [start, start+minutes) inside the window that overlaps no busy (start, end)
    interval: the principal's programme, bilaterals and other interviews."""
    length, step = timedelta(minutes=minutes), timedelta(minutes=step_minutes)
    t = window_start
    while t + length <= window_end:
        if not any(s < t + length and t < e for s, e in busy):
            return t, t + length
        t += step
    return None


@dataclass(frozen=True)
class Hand:
    """A raised hand: who, for which outlet, from which region, when."""

    id: int
    outlet: str
    region: str
    asked_at: datetime


def balanced_queue(waiting: list[Hand], called: list[Hand]) -> list[Hand]:
    """The order the moderator sees: the outlet with fewest questions so far first, then the
    region with fewest, then who asked first. So one outlet or one region cannot take the
    floor twice while others wait."""
    by_outlet, by_region = defaultdict(int), defaultdict(int)
    for h in called:
        by_outlet[h.outlet] += 1
        by_region[h.region] += 1
    queue, result = list(waiting), []
    while queue:
        nxt = min(queue, key=lambda h: (by_outlet[h.outlet], by_region[h.region], h.asked_at,
                                        h.id))
        queue.remove(nxt)
        result.append(nxt)
        by_outlet[nxt.outlet] += 1
        by_region[nxt.region] += 1
    return result
