"""The list of speakers of a plenary or high-level discussion.

Order: by precedence band, then by order of inscription — the list is built "in chronological
order of receipt of requests" with "due consideration" to rank (HRC high-level segment 2006),
and the top band has "equal standing" (E/CN.6/2000/PC/9 para. 5). Two delegations may swap
their slots when both agree and notify it jointly (COP21 Leaders Event, unfccc.int/node/613);
swaps apply in the order they were agreed. Time limit: 7 minutes unless the event or the
session sets another (E/CN.6/2000/PC/9; 4 min at the 2016 summit, 3 min at COP21).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_TIME_LIMIT_MINUTES = 7  # E/CN.6/2000/PC/9


@dataclass(frozen=True)
class Inscription:
    id: int
    delegation_id: int
    name: str  # the delegation as shown on the list
    speaker: str  # the person who speaks, with title and function
    band: int
    inscribed_at: datetime
    time_limit_minutes: int | None = None  # None: the list's limit


@dataclass(frozen=True)
class Swap:
    first_id: int
    second_id: int
    agreed_at: datetime


@dataclass(frozen=True)
class Slot:
    number: int  # 1-based
    inscription: Inscription
    planned_start: datetime | None
    minutes: int
    swapped: bool  # the slot is where it is because of a swap


def order_speakers(inscriptions: Iterable[Inscription], swaps: Iterable[Swap] = ()
                   ) -> list[Inscription]:
    """The speaking order: band, then inscription time (then the record's id, so that two
    inscriptions received in the same instant keep a stable order), then agreed swaps."""
    order = sorted(inscriptions, key=lambda i: (i.band, i.inscribed_at, i.id))
    for swap in sorted(swaps, key=lambda s: s.agreed_at):
        position = {item.id: n for n, item in enumerate(order)}
        a, b = position.get(swap.first_id), position.get(swap.second_id)
        if a is None or b is None:  # one side withdrew: the swap lapses
            continue
        order[a], order[b] = order[b], order[a]
    return order


def schedule(order: Sequence[Inscription], start: datetime | None,
             default_minutes: int = DEFAULT_TIME_LIMIT_MINUTES, *,
             swapped_ids: frozenset[int] = frozenset()) -> list[Slot]:
    """Number the slots and give each its planned start, one statement after the other."""
    slots, at = [], start
    for n, item in enumerate(order, start=1):
        minutes = item.time_limit_minutes or default_minutes
        slots.append(Slot(n, item, at, minutes, item.id in swapped_ids))
        at = at + timedelta(minutes=minutes) if at is not None else None
    return slots


def swapped_ids(swaps: Iterable[Swap]) -> frozenset[int]:
    return frozenset(i for s in swaps for i in (s.first_id, s.second_id))
