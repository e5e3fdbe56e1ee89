"""An independent check of a bilateral schedule against the rules of issue 6.

Deliberately shares no code with the solver (nor with its parsing): it reads the raw instance
and the raw JSON schedule and lists every rule broken, so a bug in the solver's model cannot
hide itself. The rules:

1. every meeting names a request, a room and slots that exist;
2. a request is scheduled at most once, and every request of the instance is either scheduled
   or listed as unscheduled with a reason (and not both);
3. a meeting takes exactly the request's number of slots (default 1), consecutive (one's end
   is the next one's start) and of one day;
4. in a room with at least the request's `min_seats` seats (default 0);
5. no principal of it is unavailable in any of its slots, and every principal exists;
6. no principal is in two meetings at once; 7. no room holds two meetings at once;
8. a pinned request whose pinned place is valid on its own (rules 1-5) and clashes with no
   other such pin is scheduled exactly there;
9. the objective is the total priority of the meetings and `objective <= bound`;
   "optimal" only when the objective equals the bound.

Used by the tests on every schedule the solver returns, and by the manual-move service.
"""

from __future__ import annotations

from collections import Counter


def _slot_minutes(text: str) -> int:
    hours, minutes = text.split(":")[:2]
    return int(hours) * 60 + int(minutes)


def check(instance: dict, result: dict, *, check_objective: bool = True) -> list[str]:
    """Every rule the schedule `result` breaks on `instance`; an empty list means valid."""
    problems: list[str] = []
    slots = {s["id"]: s for s in instance.get("slots", [])}
    rooms = {r["id"]: r for r in instance.get("rooms", [])}
    principals = {p["id"]: set(p.get("unavailable", [])) for p in instance.get("principals", [])}
    requests: dict[str, dict] = {}
    entries = Counter()
    for q in instance.get("requests", []):
        entries[q["id"]] += 1
        requests.setdefault(q["id"], q)

    meetings = result.get("meetings", [])
    unscheduled = result.get("unscheduled", [])
    scheduled = Counter(m["request"] for m in meetings)
    listed = Counter(u["request"] for u in unscheduled)
    for rid, n in scheduled.items():
        if rid not in requests:
            problems.append(f"meeting for unknown request {rid}")
        elif n > 1:
            problems.append(f"request {rid} is scheduled {n} times")
    for u in unscheduled:
        if not str(u.get("reason", "")).strip():
            problems.append(f"request {u['request']} is unscheduled without a reason")
    for rid, n in entries.items():
        accounted = min(scheduled[rid], 1) + listed[rid]
        if accounted != n:
            problems.append(f"request {rid} appears {n} time(s) in the instance but is "
                            f"accounted for {accounted} time(s)")

    principal_at: dict[tuple[str, str], str] = {}
    room_at: dict[tuple[str, str], str] = {}
    total = 0
    for meeting in meetings:
        rid, room_id, taken = meeting["request"], meeting["room"], list(meeting["slots"])
        request = requests.get(rid)
        if request is None:
            continue
        total += request.get("priority", 0)
        if room_id not in rooms:
            problems.append(f"{rid}: unknown room {room_id}")
        elif rooms[room_id]["seats"] < request.get("min_seats", 0):
            problems.append(f"{rid}: room {room_id} has {rooms[room_id]['seats']} seats, "
                            f"{request.get('min_seats', 0)} needed")
        if any(s not in slots for s in taken):
            problems.append(f"{rid}: unknown slot in {taken}")
            continue
        if len(taken) != request.get("slots", 1):
            problems.append(f"{rid}: takes {len(taken)} slot(s), needs {request.get('slots', 1)}")
        for a, b in zip(taken, taken[1:], strict=False):
            sa, sb = slots[a], slots[b]
            if sa["day"] != sb["day"] or _slot_minutes(sa["end"]) != _slot_minutes(sb["start"]):
                problems.append(f"{rid}: slots {a} and {b} are not consecutive")
        for p in request.get("between", []):
            if p not in principals:
                problems.append(f"{rid}: unknown principal {p} is scheduled")
                continue
            for s in taken:
                if s in principals[p]:
                    problems.append(f"{rid}: {p} is unavailable in {s}")
                other = principal_at.get((p, s))
                if other is not None:
                    problems.append(f"{p} is in {other} and {rid} at once ({s})")
                principal_at[(p, s)] = rid
        for s in taken:
            # Two slots of one day that overlap in time are "at once" as well.
            other = room_at.get((room_id, s))
            if other is not None:
                problems.append(f"room {room_id} holds {other} and {rid} at once ({s})")
            room_at[(room_id, s)] = rid
    _check_overlaps(slots, principal_at, room_at, problems)
    _check_pins(requests, slots, rooms, principals, meetings, problems)

    if check_objective:
        if result.get("objective") != total:
            problems.append(f"objective {result.get('objective')} is not the total priority "
                            f"{total} of the meetings")
        if result.get("bound") is None or result["bound"] < result.get("objective", 0):
            problems.append(f"bound {result.get('bound')} is below the objective")
        if result.get("status") not in ("optimal", "feasible"):
            problems.append(f"unknown status {result.get('status')!r}")
        if result.get("status") == "optimal" and result.get("bound") != result.get("objective"):
            problems.append("status optimal but the bound is not the objective")
    return problems


def _check_overlaps(slots: dict, principal_at: dict, room_at: dict, problems: list) -> None:
    """Distinct slots that overlap in time count as "at once" too."""
    spans = {sid: (s["day"], _slot_minutes(s["start"]), _slot_minutes(s["end"]))
             for sid, s in slots.items()}
    for table, what in ((principal_at, "principal"), (room_at, "room")):
        by_owner: dict[str, list[tuple[str, str]]] = {}
        for (owner, sid), rid in table.items():
            by_owner.setdefault(owner, []).append((sid, rid))
        for owner, taken in by_owner.items():
            taken.sort(key=lambda x: spans[x[0]])
            for (s1, r1), (s2, r2) in zip(taken, taken[1:], strict=False):
                d1, _, e1 = spans[s1]
                d2, b2, _ = spans[s2]
                if r1 != r2 and d1 == d2 and b2 < e1:
                    problems.append(f"{what} {owner}: {r1} ({s1}) and {r2} ({s2}) overlap")


def _valid_alone(request: dict, slots: dict, rooms: dict, principals: dict) -> bool:
    placed = request.get("placed")
    if not isinstance(placed, dict) or placed.get("room") not in rooms:
        return False
    taken = list(placed.get("slots", []))
    if not taken or any(s not in slots for s in taken) or len(taken) != request.get("slots", 1):
        return False
    if rooms[placed["room"]]["seats"] < request.get("min_seats", 0):
        return False
    for a, b in zip(taken, taken[1:], strict=False):
        if slots[a]["day"] != slots[b]["day"] or (
                _slot_minutes(slots[a]["end"]) != _slot_minutes(slots[b]["start"])):
            return False
    return all(p in principals and not (principals[p] & set(taken))
               for p in request.get("between", []))


def _check_pins(requests: dict, slots: dict, rooms: dict, principals: dict, meetings: list,
                problems: list) -> None:
    pins = {rid: q for rid, q in requests.items()
            if q.get("pinned") is True and _valid_alone(q, slots, rooms, principals)}
    claims: dict[tuple, set[str]] = {}
    for rid, q in pins.items():
        for s in q["placed"]["slots"]:
            claims.setdefault(("room", q["placed"]["room"], s), set()).add(rid)
            for p in q.get("between", []):
                claims.setdefault(("principal", p, s), set()).add(rid)
    clashing = {rid for owners in claims.values() if len(owners) > 1 for rid in owners}
    where = {m["request"]: (m["room"], list(m["slots"])) for m in meetings}
    for rid, q in pins.items():
        if rid in clashing:
            continue
        placed = (q["placed"]["room"], list(q["placed"]["slots"]))
        if where.get(rid) != placed:
            problems.append(f"{rid}: pinned to {placed} but scheduled at {where.get(rid)}")
