"""Seeded bilateral-scheduling instances with the shape of a real summit (issue 6, bench/).

Shape, after the research notes (protocol-scheduling.md §3.3):
* requests are hub-heavy: the host, the UN and a few large delegations receive many;
* about 15 % of meetings need a large room or two slots (10–20 % asked);
* every principal has 2–8 blocked slots: most attend the opening session (the first two slots
  of the first day), the rest are their own speaking slot, the signing, host meetings;
* priorities 1–3, higher on average for requests to a hub;
* two days, each a morning and an afternoon run of slots with a lunch break between (a
  two-slot meeting cannot span lunch); 20 % of rooms are large.
The same seed always gives the same instance.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta


def _slots(count: int, days: int, first_day: date) -> list[dict]:
    per_day = -(-count // days)
    half = -(-per_day // 2)
    block = min(40, 240 // half)  # minutes: the meeting and the changeover after it
    slots, n = [], 0
    for d in range(days):
        day = first_day + timedelta(days=d)
        for run, begin in enumerate(("09:00", "14:00")):
            clock = datetime.combine(day, datetime.strptime(begin, "%H:%M").time())
            for _ in range(half if run == 0 else per_day - half):
                if n == count:
                    return slots
                end = clock + timedelta(minutes=block)
                n += 1
                slots.append({"id": f"S{n:02}", "day": day.isoformat(),
                              "start": clock.strftime("%H:%M"), "end": end.strftime("%H:%M")})
                clock = end
    return slots


def _principal_ids(count: int) -> list[str]:
    named = ["HOST", "UN"]
    return named[:count] + [f"P{i:03}" for i in range(len(named) + 1, count + 1)]


def _blocked(rng: random.Random, slot_ids: list[str]) -> list[str]:
    want = rng.randint(2, min(8, len(slot_ids)))
    blocked: set[int] = set()
    if rng.random() < 0.7 and len(slot_ids) >= 2:
        blocked |= {0, 1}  # the opening session
    while len(blocked) < want:
        start = rng.randrange(len(slot_ids))
        for i in range(start, min(start + rng.randint(1, 3), len(slot_ids))):
            if len(blocked) < want:
                blocked.add(i)
    return [slot_ids[i] for i in sorted(blocked)]


def generate(principals: int, requests: int, slots: int, rooms: int, seed: int = 0,
             days: int = 2, first_day: date = date(2025, 10, 25)) -> dict:
    """An instance in the solver's JSON input format."""
    rng = random.Random(seed)
    slot_list = _slots(slots, days, first_day)
    slot_ids = [s["id"] for s in slot_list]
    large = max(1, round(rooms * 0.2)) if rooms else 0
    room_list = [{"id": f"R{i:02}", "seats": rng.choice((20, 24, 30)) if i <= large
                  else rng.choice((8, 10, 12))} for i in range(1, rooms + 1)]
    ids = _principal_ids(principals)
    hubs = max(3, principals // 12)
    weights = [25.0, 18.0] + [10.0] * (hubs - 2) + [
        rng.lognormvariate(0, 0.6) for _ in range(max(0, principals - hubs))]
    weights = weights[:principals]
    principal_list = [{"id": pid, "unavailable": _blocked(rng, slot_ids) if slot_ids else []}
                      for pid in ids]

    pairs: set[frozenset] = set()
    request_list = []
    max_pairs = principals * (principals - 1) // 2
    attempts = 0
    while len(request_list) < min(requests, max_pairs) and attempts < requests * 50:
        attempts += 1
        asker = rng.randrange(principals)
        asked = rng.choices(range(principals), weights=weights)[0]
        pair = frozenset((asker, asked))
        if asker == asked or pair in pairs:
            continue
        pairs.add(pair)
        to_hub = asked < hubs
        priority = rng.choices((1, 2, 3), weights=(3, 4, 3) if to_hub else (9, 8, 3))[0]
        kind = rng.random()
        length, seats = 1, rng.randint(4, 8)
        if kind < 0.08:
            seats = rng.randint(14, 20)  # a large delegation on each side
        elif kind < 0.15:
            length = 2
        request_list.append({"id": f"Q{len(request_list) + 1:04}",
                             "between": [ids[asker], ids[asked]], "priority": priority,
                             "slots": length, "min_seats": seats})
    return {"slots": slot_list, "rooms": room_list, "principals": principal_list,
            "requests": request_list}
