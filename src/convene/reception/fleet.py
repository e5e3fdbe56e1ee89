"""The fleet planner: pooled vehicles assigned to movements with no overlap, the fewest vehicles
possible per category, proved by a lower bound (issue 13, "A fleet planner").

Plain data in, plain data out: no Django. The web app and `convene reception plan-fleet` both
call `plan()` on an `Instance` built by `parse_instance()` from the issue's JSON contract.

The rule of the road (issue 13): a vehicle may serve movement B after movement A when
    A.pickup + travel(A.from, A.to) + travel(A.to, B.from) + buffer <= B.pickup,
only movements of its own category, and, when `max_duty_minutes` is given, it is on duty at most
that long each calendar day, from its first pickup to its last arrival of that day. Priorities,
in this order: serve as many movements as possible, use as few vehicles as possible, drive as
few empty minutes (travel(A.to, B.from)) as possible.

Method (docs/reception.md has the proof):
- "B may follow A" is a directed acyclic graph on the movements of one category (movements in
  order of pickup, then arrival: B comes after A). A vehicle's day is a path in it, so a plan
  is a set of vertex-disjoint paths.
- The fewest paths that cover every movement is `n - (maximum matching)` of the split bipartite
  graph (Fulkerson): every cover with p paths uses n - p arcs that form a matching, and every
  matching glues into a cover. That number is the `lower_bound`: no plan does it with fewer.
- Without a duty limit, one min-cost flow on the split graph (source -> A_in -> A_out -> B_in
  ... -> sink, at most `fleet size` units) solves all three priorities exactly, with costs
  -BIG1 per movement served, +BIG2 per vehicle started, +empty minutes per link.
- With a duty limit, each calendar day is solved with CP-SAT under the time limit (duty start
  carried along each vehicle's path), seeded by a best-fit dispatcher; the day duties are then
  chained across days by the same path cover. The no-duty optimum is still a valid lower bound.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

DEFAULT_TIME_LIMIT = 30.0
NEAREST_SUCCESSORS = 12


class InstanceError(ValueError):
    """Malformed input: the message names the field at fault (e.g. `movements[3].pickup`)."""


@dataclass(frozen=True)
class Band:
    """A time-of-day travel time: departures in [start, end) take `minutes`."""

    start: int  # minutes after midnight
    end: int
    minutes: int


@dataclass(frozen=True)
class Travel:
    default: int | None
    bands: tuple[Band, ...] = ()

    def at(self, moment: datetime) -> int | None:
        minute = moment.hour * 60 + moment.minute
        for band in self.bands:
            if band.start <= minute < band.end or (
                    band.start > band.end and (minute >= band.start or minute < band.end)):
                return band.minutes
        return self.default


@dataclass(frozen=True)
class Vehicle:
    id: str
    category: str


@dataclass(frozen=True)
class Movement:
    id: str
    category: str
    origin: str
    destination: str
    pickup: datetime


@dataclass
class Instance:
    places: list[str]
    travel: dict[tuple[str, str], Travel]
    buffer_minutes: int
    vehicles: list[Vehicle]
    movements: list[Movement]
    max_duty_minutes: int | None = None

    def travel_minutes(self, origin: str, destination: str, at: datetime) -> int | None:
        """Minutes to drive origin -> destination leaving at `at`; None when nobody said.

        Same place: 0. A pair given one way only is taken as the same both ways (a road table
        is usually written as a triangle)."""
        if origin == destination:
            return 0
        entry = self.travel.get((origin, destination)) or self.travel.get((destination, origin))
        return entry.at(at) if entry else None


@dataclass
class Plan:
    assignments: dict[str, str]  # movement id -> vehicle id
    unassigned: dict[str, str]  # movement id -> reason
    vehicles_used: dict[str, int]
    lower_bound: dict[str, int]
    empty_minutes: dict[str, int] = field(default_factory=dict)
    status: dict[str, str] = field(default_factory=dict)  # category -> optimal | feasible

    def to_json(self, instance: Instance) -> dict:
        order = [m.id for m in instance.movements]
        return {
            "assignments": [{"movement": mid, "vehicle": self.assignments[mid]}
                            for mid in order if mid in self.assignments],
            "unassigned": [{"movement": mid, "reason": self.unassigned[mid]}
                           for mid in order if mid in self.unassigned],
            "vehicles_used": dict(sorted(self.vehicles_used.items())),
            "lower_bound": dict(sorted(self.lower_bound.items())),
        }


# --- parsing: the JSON contract -------------------------------------------------------

def _require(data: dict, key: str, where: str):
    if key not in data:
        raise InstanceError(f"{where}{key}: missing")
    return data[key]


def _int(value, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise InstanceError(f"{where}: expected a whole number of minutes, got {value!r}")
    if value < minimum:
        raise InstanceError(f"{where}: must be at least {minimum}, got {value!r}")
    return int(value)


def _clock(value, where: str) -> int:
    try:
        moment = time.fromisoformat(value)
    except (TypeError, ValueError):
        raise InstanceError(f"{where}: expected a time of day HH:MM, got {value!r}") from None
    return moment.hour * 60 + moment.minute


def _travel(value, where: str) -> Travel:
    """A number of minutes, or {"default": 45, "bands": [{"from": "07:00", "to": "09:30",
    "minutes": 70}, ...]} for travel times by time of day (departure time decides)."""
    if not isinstance(value, dict):
        return Travel(_int(value, where))
    unknown = set(value) - {"default", "bands"}
    if unknown:
        raise InstanceError(f"{where}.{sorted(unknown)[0]}: unknown key (default, bands)")
    default = _int(value["default"], f"{where}.default") if "default" in value else None
    bands = value.get("bands", [])
    if not isinstance(bands, list):
        raise InstanceError(f"{where}.bands: expected a list")
    parsed = []
    for k, band in enumerate(bands):
        here = f"{where}.bands[{k}]"
        if not isinstance(band, dict):
            raise InstanceError(f"{here}: expected an object")
        parsed.append(Band(_clock(_require(band, "from", here + "."), f"{here}.from"),
                           _clock(_require(band, "to", here + "."), f"{here}.to"),
                           _int(_require(band, "minutes", here + "."), f"{here}.minutes")))
    if default is None and not parsed:
        raise InstanceError(f"{where}: give a default or at least one band")
    return Travel(default, tuple(parsed))


def _pickup(value, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise InstanceError(
            f"{where}: expected a local date and time like 2025-10-24T08:10, got {value!r}"
        ) from None
    if moment.tzinfo is not None:
        raise InstanceError(f"{where}: give local time without a UTC offset, got {value!r}")
    return moment.replace(second=0, microsecond=0)


def parse_instance(data) -> Instance:
    """The issue's instance JSON -> Instance; InstanceError names the first field at fault."""
    if not isinstance(data, dict):
        raise InstanceError("instance: expected a JSON object")
    places = _require(data, "places", "")
    if not isinstance(places, list) or not all(isinstance(p, str) and p for p in places):
        raise InstanceError("places: expected a list of place names")
    if len(set(places)) != len(places):
        dupe = next(p for p in places if places.count(p) > 1)
        raise InstanceError(f"places: {dupe!r} is listed twice")
    known = set(places)
    table = _require(data, "travel_minutes", "")
    if not isinstance(table, dict):
        raise InstanceError("travel_minutes: expected an object {from: {to: minutes}}")
    travel = {}
    for origin, row in table.items():
        if origin not in known:
            raise InstanceError(f"travel_minutes.{origin}: not in places")
        if not isinstance(row, dict):
            raise InstanceError(f"travel_minutes.{origin}: expected an object {{to: minutes}}")
        for destination, value in row.items():
            if destination not in known:
                raise InstanceError(f"travel_minutes.{origin}.{destination}: not in places")
            travel[(origin, destination)] = _travel(
                value, f"travel_minutes.{origin}.{destination}")
    buffer = _int(_require(data, "buffer_minutes", ""), "buffer_minutes")
    duty = data.get("max_duty_minutes")
    duty = None if duty is None else _int(duty, "max_duty_minutes", minimum=1)

    raw_vehicles = _require(data, "vehicles", "")
    if not isinstance(raw_vehicles, list):
        raise InstanceError("vehicles: expected a list")
    vehicles, seen = [], set()
    for k, item in enumerate(raw_vehicles):
        where = f"vehicles[{k}]"
        if not isinstance(item, dict):
            raise InstanceError(f"{where}: expected an object")
        vid, category = _require(item, "id", where + "."), _require(item, "category", where + ".")
        if not isinstance(vid, str) or not vid:
            raise InstanceError(f"{where}.id: expected a non-empty string")
        if not isinstance(category, str) or not category:
            raise InstanceError(f"{where}.category: expected a non-empty string")
        if vid in seen:
            raise InstanceError(f"{where}.id: {vid!r} is used twice")
        seen.add(vid)
        vehicles.append(Vehicle(vid, category))

    raw_movements = _require(data, "movements", "")
    if not isinstance(raw_movements, list):
        raise InstanceError("movements: expected a list")
    movements, seen = [], set()
    for k, item in enumerate(raw_movements):
        where = f"movements[{k}]"
        if not isinstance(item, dict):
            raise InstanceError(f"{where}: expected an object")
        values = {key: _require(item, key, where + ".")
                  for key in ("id", "category", "from", "to", "pickup")}
        for key in ("id", "category", "from", "to"):
            if not isinstance(values[key], str) or not values[key]:
                raise InstanceError(f"{where}.{key}: expected a non-empty string")
        for key in ("from", "to"):
            if values[key] not in known:
                raise InstanceError(f"{where}.{key}: {values[key]!r} is not in places")
        if values["id"] in seen:
            raise InstanceError(f"{where}.id: {values['id']!r} is used twice")
        seen.add(values["id"])
        movements.append(Movement(values["id"], values["category"], values["from"],
                                  values["to"], _pickup(values["pickup"], f"{where}.pickup")))
    return Instance(places, travel, buffer, vehicles, movements, duty)


# --- the rule of the road ---------------------------------------------------------------------

@dataclass
class _Job:
    """A movement in minutes from the instance's first midnight."""

    index: int
    movement: Movement
    start: int
    end: int  # arrival
    day: date


def _minutes(moment: datetime, origin: datetime) -> int:
    return int((moment - origin).total_seconds() // 60)


def _link(instance: Instance, a: _Job, b: _Job, origin: datetime) -> int | None:
    """Empty minutes if b may follow a on one vehicle (the issue's formula), else None."""
    if b.start < a.end + instance.buffer_minutes:
        return None
    arrival = origin + timedelta(minutes=a.end)
    empty = instance.travel_minutes(a.movement.destination, b.movement.origin, arrival)
    if empty is None or a.end + empty + instance.buffer_minutes > b.start:
        return None
    return empty


def _arcs(instance: Instance, jobs: list[_Job], origin: datetime, duty: int | None = None):
    """Every (i, j, empty minutes) with jobs[j] allowed after jobs[i]; jobs sorted by start.
    With `duty`, only pairs of one calendar day whose span fits in it."""
    starts = [job.start for job in jobs]
    arcs = []
    for i, a in enumerate(jobs):
        # j > i: the graph stays acyclic even for a zero-minute movement and no buffer
        first = max(i + 1, bisect.bisect_left(starts, a.end + instance.buffer_minutes))
        for j in range(first, len(jobs)):
            b = jobs[j]
            if duty is not None and (b.day != a.day or b.end - a.start > duty):
                if b.day != a.day:
                    break
                continue
            empty = _link(instance, a, b, origin)
            if empty is not None:
                arcs.append((i, j, empty))
    return arcs


# --- exact path covers by flows ---------------------------------------------------------------

def max_matching(n: int, arcs) -> int:
    """Size of a maximum matching of the split graph (left i -> right j for each arc)."""
    if not arcs:
        return 0
    import numpy as np
    from ortools.graph.python import max_flow

    flow = max_flow.SimpleMaxFlow()
    source, sink = 2 * n, 2 * n + 1
    tails = [source] * n + [i for i, _, _ in arcs] + [n + j for j in range(n)]
    heads = list(range(n)) + [n + j for _, j, _ in arcs] + [sink] * n
    flow.add_arcs_with_capacity(np.array(tails), np.array(heads), np.ones(len(tails), dtype=int))
    if flow.solve(source, sink) != flow.OPTIMAL:  # pragma: no cover - cannot happen
        raise RuntimeError("max flow failed")
    return flow.optimal_flow()


def min_path_cover(n: int, arcs) -> int:
    """The fewest vertex-disjoint paths covering all n nodes of a DAG (Fulkerson)."""
    return n - max_matching(n, arcs)


def cover_paths(n: int, arcs, paths_allowed: int) -> list[list[int]]:
    """At most `paths_allowed` vertex-disjoint paths: most nodes covered, then fewest paths,
    then least total arc cost — exactly, by one min-cost flow on the split graph."""
    import numpy as np
    from ortools.graph.python import min_cost_flow

    k = min(paths_allowed, n)
    if n == 0 or k == 0:
        return []
    total_empty = sum(cost for _, _, cost in arcs)
    big2 = total_empty + 1  # one vehicle more costs more than every empty minute
    big1 = big2 * (n + 1)  # one movement more is worth more than every vehicle
    source, sink = 2 * n, 2 * n + 1
    tails, heads, costs = [], [], []

    def arc(t, h, c):
        tails.append(t)
        heads.append(h)
        costs.append(c)

    for i in range(n):
        arc(source, i, big2)  # start a vehicle at i
        arc(i, n + i, -big1)  # serve i (in -> out)
        arc(n + i, sink, 0)  # end a vehicle after i
    for i, j, cost in arcs:
        arc(n + i, j, cost)
    arc(source, sink, 0)  # a vehicle left unused
    flow = min_cost_flow.SimpleMinCostFlow()
    capacities = np.ones(len(tails), dtype=int)
    capacities[-1] = k
    handles = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails), np.array(heads), capacities, np.array(costs))
    flow.set_nodes_supplies(np.array([source, sink]), np.array([k, -k]))
    if flow.solve() != flow.OPTIMAL:  # pragma: no cover - always feasible
        raise RuntimeError("min cost flow failed")
    flows = flow.flows(handles)
    served, after, has_before = set(), {}, set()
    for i in range(n):
        if flows[3 * i + 1]:
            served.add(i)
    for offset, (i, j, _) in enumerate(arcs):
        if flows[3 * n + offset]:
            after[i] = j
            has_before.add(j)
    paths = []
    for i in sorted(served):
        if i in has_before:
            continue
        path = [i]
        while path[-1] in after:
            path.append(after[path[-1]])
        paths.append(path)
    return paths


# --- the duty-limited day: CP-SAT seeded by best fit -------------------------------------------

def _best_fit(instance, jobs, origin, duty, limit):
    """Each movement to the open duty that can take it and is left with the least slack."""
    duties: list[list[int]] = []
    for j, job in enumerate(jobs):
        best, best_gap = None, None
        for d, chain in enumerate(duties):
            last = jobs[chain[-1]]
            if job.end - jobs[chain[0]].start > duty:
                continue
            if _link(instance, last, job, origin) is None:
                continue
            gap = job.start - last.end
            if best_gap is None or gap < best_gap:
                best, best_gap = d, gap
        if best is not None:
            duties[best].append(j)
        elif len(duties) < limit:
            duties.append([j])
    return duties


def _day_duties(instance, jobs, origin, duty, limit, seconds, workers):
    """Duties (paths) of one category on one day within the duty limit; (paths, optimal?)."""
    hint = _best_fit(instance, jobs, origin, duty, limit)
    arcs = _arcs(instance, jobs, origin, duty)
    if len(jobs) <= 1 or seconds <= 0:
        return hint, len(jobs) <= 1
    # Keep each movement's nearest successors (least waiting) and the hint's own links: the
    # model stays small enough for CP-SAT to improve on the hint within seconds (a heuristic
    # restriction; the lower bound does not depend on it).
    following = {c[k]: c[k + 1] for c in hint for k in range(len(c) - 1)}
    by_tail = defaultdict(list)
    for i, j, cost in arcs:
        by_tail[i].append((jobs[j].start - jobs[i].end, j, cost))
    arcs = []
    for i, succ in by_tail.items():
        succ.sort()
        keep = {j for _, j, _ in succ[:NEAREST_SUCCESSORS]} | (
            {following[i]} if i in following else set())
        arcs += [(i, j, cost) for _, j, cost in succ if j in keep]
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    n = len(jobs)
    served = [model.new_bool_var(f"y{i}") for i in range(n)]
    first = [model.new_bool_var(f"s{i}") for i in range(n)]
    link = {(i, j): model.new_bool_var(f"x{i}_{j}") for i, j, _ in arcs}
    # duty start carried along the path: a vehicle's day begins at its first pickup.
    begin = [model.new_int_var(max(job.end - duty, jobs[0].start), job.start, f"b{i}")
             for i, job in enumerate(jobs)]
    incoming, outgoing = defaultdict(list), defaultdict(list)
    for (i, j), var in link.items():
        incoming[j].append(var)
        outgoing[i].append(var)
        model.add(begin[j] == begin[i]).only_enforce_if(var)
    for i in range(n):
        model.add(sum(incoming[i]) + first[i] == served[i])
        model.add(sum(outgoing[i]) <= served[i])
        model.add(begin[i] == jobs[i].start).only_enforce_if(first[i])
    model.add(sum(first) <= limit)
    total_empty = sum(cost for _, _, cost in arcs)
    big2 = total_empty + 1
    if limit >= n:  # fleet enough for a vehicle each: all are served, fewest duties first
        for var in served:
            model.add(var == 1)
        model.minimize(big2 * sum(first) + sum(cost * link[(i, j)] for i, j, cost in arcs))
    else:
        big1 = big2 * (n + 1)
        model.minimize(big1 * (n - sum(served)) + big2 * sum(first)
                       + sum(cost * link[(i, j)] for i, j, cost in arcs))
    position = {}
    for chain in hint:
        for k, j in enumerate(chain):
            position[j] = (chain, k)
    for i in range(n):
        chain_k = position.get(i)
        model.add_hint(served[i], chain_k is not None)
        model.add_hint(first[i], chain_k is not None and chain_k[1] == 0)
        if chain_k:
            model.add_hint(begin[i], jobs[chain_k[0][0]].start)
    following = {c[k]: c[k + 1] for c in hint for k in range(len(c) - 1)}
    for (i, j), var in link.items():
        model.add_hint(var, following.get(i) == j)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, False
    after = {i: j for (i, j), var in link.items() if solver.value(var)}
    paths = []
    for i in range(n):
        if solver.value(first[i]):
            path = [i]
            while path[-1] in after:
                path.append(after[path[-1]])
            paths.append(path)
    if _score(hint, arcs) < _score(paths, arcs):
        return hint, False
    return paths, status == cp_model.OPTIMAL


def _score(paths, arcs):
    costs = {(i, j): c for i, j, c in arcs}
    served = sum(len(p) for p in paths)
    empty = sum(costs.get((p[k], p[k + 1]), 0) for p in paths for k in range(len(p) - 1))
    return (-served, len(paths), empty)


# --- the plan ----------------------------------------------------------------------------------

def _jobs(instance: Instance, movements: list[Movement], origin: datetime, unassigned: dict):
    jobs = []
    for m in movements:
        minutes = instance.travel_minutes(m.origin, m.destination, m.pickup)
        if minutes is None:
            unassigned[m.id] = f"no travel time from {m.origin} to {m.destination}"
            continue
        if instance.max_duty_minutes is not None and minutes > instance.max_duty_minutes:
            unassigned[m.id] = (f"the drive alone ({minutes} min) is longer than the duty limit "
                                f"({instance.max_duty_minutes} min)")
            continue
        start = _minutes(m.pickup, origin)
        jobs.append(_Job(0, m, start, start + minutes, m.pickup.date()))
    jobs.sort(key=lambda job: (job.start, job.end, job.movement.id))
    for k, job in enumerate(jobs):
        job.index = k
    return jobs


def plan(instance: Instance, time_limit: float = DEFAULT_TIME_LIMIT, workers: int = 2) -> Plan:
    """Assign vehicles to movements (see the module docstring for the method)."""
    origin = datetime.combine(min((m.pickup.date() for m in instance.movements),
                                  default=date(2000, 1, 1)), time())
    by_category: dict[str, list[Movement]] = defaultdict(list)
    for m in instance.movements:
        by_category[m.category].append(m)
    fleet: dict[str, list[str]] = defaultdict(list)
    for v in instance.vehicles:
        fleet[v.category].append(v.id)
    result = Plan({}, {}, {}, {}, {}, {})
    budget = _Budget(time_limit, len(instance.movements))
    for category in sorted(by_category):
        jobs = _jobs(instance, by_category[category], origin, result.unassigned)
        arcs = _arcs(instance, jobs, origin)
        needed = min_path_cover(len(jobs), arcs)
        if instance.max_duty_minutes is not None:
            needed = max(needed, _duty_bound(instance, jobs, origin))
        result.lower_bound[category] = needed
        vehicles = fleet.get(category, [])
        if not vehicles:
            for job in jobs:
                result.unassigned[job.movement.id] = f"no vehicle of category {category!r}"
            result.vehicles_used[category] = 0
            result.status[category] = "optimal"
            continue
        if instance.max_duty_minutes is None:
            paths = cover_paths(len(jobs), arcs, len(vehicles))
            status = "optimal"
        else:
            paths, status = _duty_paths(instance, jobs, origin, len(vehicles),
                                        budget, workers)
        costs = {(i, j): c for i, j, c in arcs}
        empty = 0
        for vehicle, path in zip(vehicles, sorted(paths, key=lambda p: jobs[p[0]].start),
                                 strict=False):
            for k, j in enumerate(path):
                result.assignments[jobs[j].movement.id] = vehicle
                if k:
                    empty += costs[(path[k - 1], j)]
        served = {jobs[j].movement.id for p in paths for j in p}
        for job in jobs:
            if job.movement.id not in served:
                result.unassigned[job.movement.id] = _why(
                    category, len(vehicles), needed, instance.max_duty_minutes)
        result.vehicles_used[category] = len(paths)
        result.empty_minutes[category] = empty
        result.status[category] = status
    for v in instance.vehicles:  # categories with vehicles and nothing to do
        result.vehicles_used.setdefault(v.category, 0)
        result.lower_bound.setdefault(v.category, 0)
    return result


def _duty_bound(instance, jobs, origin):
    """A lower bound under the duty limit: on each day, a vehicle's consecutive movements
    span at most the limit, so the day's movements need at least the path cover of the graph
    with only those links (a relaxation: the whole day must fit, not only each pair)."""
    best = 0
    for day in sorted({job.day for job in jobs}):
        day_jobs = [job for job in jobs if job.day == day]
        arcs = _arcs(instance, day_jobs, origin, instance.max_duty_minutes)
        best = max(best, min_path_cover(len(day_jobs), arcs))
    return best


def _why(category, fleet_size, needed, duty):
    if duty is None:
        return (f"every {category} is busy: serving all {category} movements needs at least "
                f"{needed} vehicles, the fleet has {fleet_size}")
    return (f"every {category} is busy or at its {duty}-minute duty limit "
            f"(the fleet has {fleet_size}; at least {needed} needed even without the limit)")


class _Budget:
    """The time limit shared out as the work goes: each day's search gets the share of the
    time still left that its movements are of the movements still to plan."""

    def __init__(self, seconds: float, movements: int):
        import time as clock

        self._clock = clock.perf_counter
        self.deadline = self._clock() + seconds
        self.left = max(1, movements)

    def take(self, movements: int) -> float:
        share = max(0.0, self.deadline - self._clock()) * movements / max(1, self.left)
        self.left = max(1, self.left - movements)
        return share * 0.8  # model building and solution reading take the rest


def _duty_paths(instance, jobs, origin, fleet_size, budget, workers):
    """Duty-limited: solve each day, then chain the day duties into vehicles."""
    days = sorted({job.day for job in jobs})
    duties, optimal = [], True
    for day in days:
        day_jobs = [job for job in jobs if job.day == day]
        share = budget.take(len(day_jobs))
        paths, day_optimal = _day_duties(instance, day_jobs, origin, instance.max_duty_minutes,
                                         fleet_size, share, workers)
        optimal = optimal and day_optimal
        duties.extend([[day_jobs[k].index for k in path] for path in paths])
    # chain duties of different days: a vehicle does at most one duty a day, and duty B may
    # follow duty A when B's first movement may follow A's last one.
    duties.sort(key=lambda d: jobs[d[0]].start)
    duty_arcs = []
    for a, first in enumerate(duties):
        for b, second in enumerate(duties):
            if jobs[second[0]].day > jobs[first[-1]].day:
                empty = _link(instance, jobs[first[-1]], jobs[second[0]], origin)
                if empty is not None:
                    duty_arcs.append((a, b, empty))
    chains = cover_paths(len(duties), duty_arcs, fleet_size)
    if len(chains) < len(duties) and sum(len(c) for c in chains) < len(duties):
        optimal = False  # the fleet could not take every duty
    paths = [[j for d in chain for j in duties[d]] for chain in chains]
    return paths, "optimal" if optimal else "feasible"


# --- a greedy first-fit dispatcher (the bench's baseline) ---------------------------------------

def plan_first_fit(instance: Instance) -> Plan:
    """What a dispatcher does by hand: movements by pickup time, each to the first vehicle (in
    fleet order) that is free and within its duty; the baseline the bench measures against."""
    origin = datetime.combine(min((m.pickup.date() for m in instance.movements),
                                  default=date(2000, 1, 1)), time())
    result = Plan({}, {}, defaultdict(int), {}, {}, {})
    jobs = _jobs(instance, instance.movements, origin, result.unassigned)
    fleet: dict[str, list[str]] = defaultdict(list)
    for v in instance.vehicles:
        fleet[v.category].append(v.id)
    state: dict[str, tuple[_Job, int]] = {}  # vehicle -> (last job, duty start of that day)
    for job in jobs:
        for vehicle in fleet.get(job.movement.category, []):
            if vehicle not in state:
                state[vehicle] = (job, job.start)
                result.vehicles_used[job.movement.category] += 1
                break
            last, begin = state[vehicle]
            if _link(instance, last, job, origin) is None:
                continue
            if last.day != job.day:
                begin = job.start
            if (instance.max_duty_minutes is not None
                    and job.end - begin > instance.max_duty_minutes):
                continue
            state[vehicle] = (job, begin)
            break
        else:
            result.unassigned[job.movement.id] = "no free vehicle"
            continue
        result.assignments[job.movement.id] = vehicle
    result.vehicles_used = dict(result.vehicles_used)
    return result

