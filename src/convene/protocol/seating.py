"""Seating of delegations in a meeting hall, as at the United Nations.

"The Secretary-General draws lots to determine which delegation will occupy the first seat in
the General Assembly Hall (at the right end of the front row as seen from the podium). The
seating order then follows the English alphabetical order" (ask.un.org/faq/14612; A/RES/71/323
para. 42). So Member States are sorted by their UN short names (collation.py), the list is
rotated to start at the State drawn by lot, and seats are filled from the right end of the
front row as seen from the podium, row after row. The lot is drawn among all Member States:
if the State drawn is not attending, the next attending State in alphabetical order sits first.

Observer States, the EU and other organisations follow the Member States, each group in
alphabetical order (observers sit after Member States in UN halls). The host may sit in its
alphabetical place (UN practice) or first, at the right end of the front row (host courtesy);
the event chooses. Seats per delegation depend on its category, e.g. ICAO gives up to 4 seats
to a Member State and 2 to an observer (icao.int/Meetings/anconf14, Seating Arrangements).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from convene.directory.models import EntityKind
from convene.protocol.collation import fold, un_sort_key

# Groups seated one after the other; Member States are rotated by the lot, the others are not.
GROUP_ORDER = [
    [EntityKind.MEMBER_STATE],
    [EntityKind.OBSERVER_STATE],
    [EntityKind.REIO],
    [EntityKind.UN_SYSTEM, EntityKind.IGO],
    [EntityKind.NGO, EntityKind.PRIVATE_SECTOR],
]
# ICAO's figures (4 and 2) for States and observers; one seat for everyone else.
DEFAULT_SEATS_PER_KIND = {
    EntityKind.MEMBER_STATE: 4,
    EntityKind.OBSERVER_STATE: 2,
    EntityKind.REIO: 2,
    EntityKind.UN_SYSTEM: 1,
    EntityKind.IGO: 1,
    EntityKind.NGO: 1,
    EntityKind.PRIVATE_SECTOR: 1,
}

HOST_IN_ORDER, HOST_FIRST = "in_order", "first"


@dataclass(frozen=True)
class Seatable:
    delegation_id: int
    name: str  # UN short name in English: the sort key
    kind: str
    is_host: bool = False


@dataclass(frozen=True)
class SeatBlock:
    seatable: Seatable
    row: int  # 1 = front row
    first_seat: int  # 1 = right end as seen from the podium
    count: int

    @property
    def seats(self) -> range:
        return range(self.first_seat, self.first_seat + self.count)


@dataclass
class SeatingPlan:
    blocks: list[SeatBlock]
    not_seated: list[Seatable]  # the hall is full
    rows: int
    seats_per_row: int


def seating_order(participants: Iterable[Seatable], lot: str | None, *,
                  host: str = HOST_IN_ORDER) -> list[Seatable]:
    """Who sits where in the order of seats. `lot`: the English short name drawn by lot
    (None: no lot drawn yet, alphabetical from A)."""
    people = list(participants)
    hosts = [p for p in people if p.is_host] if host == HOST_FIRST else []
    ordered: list[Seatable] = list(hosts)
    for kinds in GROUP_ORDER:
        group = sorted((p for p in people if p.kind in kinds and p not in hosts),
                       key=lambda p: un_sort_key(p.name))
        if kinds == [EntityKind.MEMBER_STATE] and lot:
            start = fold(lot)
            # Rotate: from the State drawn (or the next one after it) to Z, then A onwards.
            group = ([p for p in group if fold(p.name) >= start]
                     + [p for p in group if fold(p.name) < start])
        ordered.extend(group)
    known = {k for kinds in GROUP_ORDER for k in kinds}
    ordered.extend(sorted((p for p in people if p.kind not in known and p not in hosts),
                          key=lambda p: un_sort_key(p.name)))
    return ordered


def assign_seats(order: Sequence[Seatable], rows: int, seats_per_row: int,
                 seats_per_kind: dict[str, int] | None = None) -> SeatingPlan:
    """Fill the hall from the right end of the front row as seen from the podium.

    A delegation's seats are side by side in one row: if its block does not fit in what is
    left of a row, it starts the next row (the rest of that row stays empty)."""
    if rows < 1 or seats_per_row < 1:
        raise ValueError("a hall needs at least one row of one seat")
    per_kind = {**DEFAULT_SEATS_PER_KIND, **(seats_per_kind or {})}
    blocks, not_seated = [], []
    row, seat = 1, 1
    for item in order:
        count = max(1, min(per_kind.get(item.kind, 1), seats_per_row))
        if seat + count - 1 > seats_per_row:
            row, seat = row + 1, 1
        if row > rows:
            not_seated.append(item)
            continue
        blocks.append(SeatBlock(item, row, seat, count))
        seat += count
    return SeatingPlan(blocks, not_seated, rows, seats_per_row)
