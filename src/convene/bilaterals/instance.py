"""A bilateral-scheduling instance: reading and checking the JSON the solver is given.

The input format is the one of issue 6 (`convene bilaterals solve INSTANCE.json`):

    {"slots":      [{"id": "S1", "day": "2025-10-25", "start": "09:00", "end": "09:30"}, ...],
     "rooms":      [{"id": "R1", "seats": 12}, ...],
     "principals": [{"id": "VNM", "unavailable": ["S1"]}, ...],
     "requests":   [{"id": "Q1", "between": ["VNM", "LAO"], "priority": 3,
                     "slots": 1, "min_seats": 8}, ...]}

Optional fields, all understood by the solver and the checker:
    slot/room/principal "name"; request "preferred" (start slots the two sides would like),
    "placed" ({"room", "slots"}: where the meeting is now, e.g. as published) and "pinned"
    (true: keep it exactly there). A request without "slots" takes 1, without "min_seats" 0.

Two kinds of fault are told apart. A malformed *instance* (not a JSON object, a missing list,
a slot that ends before it starts, two slots with one id) raises InstanceError with every
problem listed, because nothing sensible can be scheduled from it. A faulty *request* (an
unknown principal, a priority that is not a number, a repeated id) is kept with `problem`
set and reported as unscheduled with its reason, so that one bad line never sinks the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time


class InstanceError(ValueError):
    """The instance cannot be read; `problems` lists every fault, in order."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Slot:
    id: str
    day: date
    start: time
    end: time
    index: int  # position in (day, start) order
    name: str = ""


@dataclass(frozen=True)
class Room:
    id: str
    seats: int
    name: str = ""


@dataclass(frozen=True)
class Principal:
    id: str
    unavailable: frozenset[str]
    name: str = ""


@dataclass(frozen=True)
class Placement:
    room: str
    slots: tuple[str, ...]


@dataclass
class Request:
    id: str
    between: tuple[str, ...]
    priority: int
    slots: int
    min_seats: int
    order: int  # position in the input: "first come" for the baseline
    preferred: frozenset[str] = frozenset()
    placed: Placement | None = None
    pinned: bool = False
    # Set when the request itself is faulty: (reason code, parameters). Never scheduled.
    problem: tuple[str, dict] | None = None


@dataclass
class Instance:
    slots: list[Slot]  # in (day, start) order
    rooms: list[Room]
    principals: dict[str, Principal]
    requests: list[Request]  # in input order
    slot_by_id: dict[str, Slot] = field(init=False)
    room_by_id: dict[str, Room] = field(init=False)

    def __post_init__(self):
        self.slot_by_id = {s.id: s for s in self.slots}
        self.room_by_id = {r.id: r for r in self.rooms}

    def consecutive(self, a: Slot, b: Slot) -> bool:
        """b follows a directly: same day, and a's end is b's start (issue 6)."""
        return a.day == b.day and a.end == b.start


def _str_id(value) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _list(data: dict, key: str, problems: list[str]) -> list:
    if key not in data:
        problems.append(f'"{key}" is missing (give an empty list if there are none)')
        return []
    value = data[key]
    if not isinstance(value, list):
        problems.append(f'"{key}" must be a list')
        return []
    return value


def _parse_time(text, where: str, what: str, problems: list[str]) -> time | None:
    try:
        if not isinstance(text, str):
            raise ValueError
        return time.fromisoformat(text)
    except ValueError:
        problems.append(f'{where}: "{what}" must be a time such as "09:30", not {text!r}')
        return None


def _parse_slots(raw: list, problems: list[str]) -> list[Slot]:
    parsed = []
    seen: set[str] = set()
    for n, item in enumerate(raw, 1):
        where = f"slot {n}"
        if not isinstance(item, dict):
            problems.append(f"{where} must be an object")
            continue
        sid = _str_id(item.get("id"))
        if sid is None:
            problems.append(f'{where}: "id" is missing')
            continue
        where = f"slot {sid}"
        if sid in seen:
            problems.append(f"{where}: another slot has the same id")
            continue
        seen.add(sid)
        try:
            day = date.fromisoformat(item.get("day")) if isinstance(item.get("day"), str) \
                else None
        except ValueError:
            day = None
        if day is None:
            problems.append(f'{where}: "day" must be a date such as "2025-10-25"')
        start = _parse_time(item.get("start"), where, "start", problems)
        end = _parse_time(item.get("end"), where, "end", problems)
        if start and end and end <= start:
            problems.append(f"{where}: it ends ({end:%H:%M}) before it starts ({start:%H:%M})")
            continue
        if day and start and end:
            parsed.append((day, start, end, sid, str(item.get("name", ""))))
    parsed.sort()
    slots = [Slot(sid, day, start, end, i, name)
             for i, (day, start, end, sid, name) in enumerate(parsed)]
    for a, b in zip(slots, slots[1:], strict=False):
        if a.day == b.day and b.start < a.end:
            problems.append(f"slots {a.id} and {b.id} overlap")
    return slots


def _parse_rooms(raw: list, problems: list[str]) -> list[Room]:
    rooms, seen = [], set()
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or _str_id(item.get("id")) is None:
            problems.append(f'room {n}: an object with an "id" is needed')
            continue
        rid = _str_id(item["id"])
        seats = _int(item.get("seats"))
        if rid in seen:
            problems.append(f"room {rid}: another room has the same id")
        elif seats is None or seats < 0:
            problems.append(f'room {rid}: "seats" must be a whole number, 0 or more')
        else:
            seen.add(rid)
            rooms.append(Room(rid, seats, str(item.get("name", ""))))
    return rooms


def _parse_principals(raw: list, slot_ids: set[str], problems: list[str]) -> dict:
    principals: dict[str, Principal] = {}
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or _str_id(item.get("id")) is None:
            problems.append(f'principal {n}: an object with an "id" is needed')
            continue
        pid = _str_id(item["id"])
        unavailable = item.get("unavailable", [])
        if pid in principals:
            problems.append(f"principal {pid}: another principal has the same id")
            continue
        if not isinstance(unavailable, list):
            problems.append(f'principal {pid}: "unavailable" must be a list of slot ids')
            continue
        unknown = [s for s in unavailable if _str_id(s) not in slot_ids]
        if unknown:
            problems.append(f"principal {pid}: unknown slots in \"unavailable\": "
                            + ", ".join(map(str, unknown)))
            continue
        principals[pid] = Principal(pid, frozenset(_str_id(s) for s in unavailable),
                                    str(item.get("name", "")))
    return principals


def _request_problem(item: dict, principals: dict) -> tuple[str, dict] | None:
    between = item.get("between")
    if not isinstance(between, list) or any(_str_id(p) is None for p in between):
        return "invalid", {"problem": '"between" must be a list of principal ids'}
    ids = [_str_id(p) for p in between]
    if len(ids) < 2:
        return "invalid", {"problem": 'a meeting is "between" at least two principals'}
    if len(set(ids)) != len(ids):
        return "invalid", {"problem": 'a principal is named twice in "between"'}
    priority = _int(item.get("priority"))
    if priority is None or priority < 0:
        return "invalid", {"problem": '"priority" must be a whole number, 0 or more'}
    length = _int(item.get("slots", 1))
    if length is None or length < 1:
        return "invalid", {"problem": '"slots" must be a whole number, 1 or more'}
    seats = _int(item.get("min_seats", 0))
    if seats is None or seats < 0:
        return "invalid", {"problem": '"min_seats" must be a whole number, 0 or more'}
    unknown = [p for p in ids if p not in principals]
    if unknown:
        return "unknown_principal", {"principals": unknown}
    return None


def _parse_placement(value, inst_slots: set[str]) -> Placement | None:
    if not isinstance(value, dict):
        return None
    room, slots = _str_id(value.get("room")), value.get("slots")
    if room is None or not isinstance(slots, list) or not slots:
        return None
    ids = tuple(_str_id(s) for s in slots)
    if any(s is None for s in ids):
        return None
    return Placement(room, ids)


def _parse_requests(raw: list, principals: dict, slot_ids: set[str],
                    problems: list[str]) -> list[Request]:
    requests, seen = [], set()
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict) or _str_id(item.get("id")) is None:
            problems.append(f'request {n}: an object with an "id" is needed')
            continue
        rid = _str_id(item["id"])
        problem = _request_problem(item, principals)
        if rid in seen:
            problem = ("duplicate", {})
        seen.add(rid)
        between = item.get("between") if isinstance(item.get("between"), list) else []
        preferred = item.get("preferred", [])
        preferred = frozenset(_str_id(s) for s in preferred if _str_id(s) in slot_ids) \
            if isinstance(preferred, list) else frozenset()
        requests.append(Request(
            id=rid,
            between=tuple(_str_id(p) or "?" for p in between),
            priority=_int(item.get("priority")) or 0,
            slots=_int(item.get("slots", 1)) or 1,
            min_seats=_int(item.get("min_seats", 0)) or 0,
            order=n - 1,
            preferred=preferred,
            placed=_parse_placement(item.get("placed"), slot_ids),
            pinned=item.get("pinned") is True,
            problem=problem,
        ))
    return requests


def parse_instance(data) -> Instance:
    """Read an instance from decoded JSON; raise InstanceError listing every fault in it."""
    if not isinstance(data, dict):
        raise InstanceError(["the instance must be a JSON object with slots, rooms, "
                             "principals and requests"])
    problems: list[str] = []
    slots = _parse_slots(_list(data, "slots", problems), problems)
    rooms = _parse_rooms(_list(data, "rooms", problems), problems)
    slot_ids = {s.id for s in slots}
    principals = _parse_principals(_list(data, "principals", problems), slot_ids, problems)
    requests = _parse_requests(_list(data, "requests", problems), principals, slot_ids,
                               problems)
    if problems:
        raise InstanceError(problems)
    return Instance(slots, rooms, principals, requests)
