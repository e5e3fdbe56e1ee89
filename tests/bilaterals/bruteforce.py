"""The best total priority of a tiny instance by trying everything (no code shared with the
solver): every request is left out or put in every room at every start."""

from datetime import time


def _minutes(text: str) -> int:
    t = time.fromisoformat(text)
    return t.hour * 60 + t.minute


def best_priority(instance: dict) -> int:
    slots = sorted(instance["slots"], key=lambda s: (s["day"], _minutes(s["start"])))
    rooms = instance["rooms"]
    unavailable = {p["id"]: set(p.get("unavailable", [])) for p in instance["principals"]}
    seen, requests = set(), []
    for q in instance["requests"]:
        if q["id"] in seen:
            continue
        seen.add(q["id"])
        requests.append(q)

    def options(q):
        between = q["between"]
        if (len(between) < 2 or len(set(between)) != len(between)
                or any(p not in unavailable for p in between)):
            return []
        length = q.get("slots", 1)
        found = []
        for i in range(len(slots)):
            run = slots[i:i + length]
            if len(run) != length:
                continue
            if any(a["day"] != b["day"] or _minutes(a["end"]) != _minutes(b["start"])
                   for a, b in zip(run, run[1:], strict=False)):
                continue
            ids = [s["id"] for s in run]
            if any(set(ids) & unavailable[p] for p in between):
                continue
            for room in rooms:
                if room["seats"] >= q.get("min_seats", 0):
                    found.append((room["id"], ids))
        return found

    choices = [(q, options(q)) for q in requests]
    choices = [(q, o) for q, o in choices if o]
    best = 0

    def walk(k, total, busy_p, busy_r, rest):
        nonlocal best
        if total + rest <= best:
            return
        if k == len(choices):
            best = max(best, total)
            return
        q, opts = choices[k]
        rest -= q["priority"]
        for room, ids in opts:
            keys_p = {(p, s) for p in q["between"] for s in ids}
            keys_r = {(room, s) for s in ids}
            if keys_p & busy_p or keys_r & busy_r:
                continue
            walk(k + 1, total + q["priority"], busy_p | keys_p, busy_r | keys_r, rest)
        walk(k + 1, total, busy_p, busy_r, rest)

    walk(0, 0, frozenset(), frozenset(), sum(q["priority"] for q, _ in choices))
    return best
