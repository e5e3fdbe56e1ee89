"""The optimal bilateral scheduler: a time-indexed 0-1 model over room classes, solved with
OR-Tools (GLOP for its linear relaxation, CP-SAT for the integer search).

Model (research notes, protocol-scheduling.md §3.1 and §4):

* Rooms are grouped into *classes*: two rooms are alike when exactly the same requests fit in
  them (the distinct `min_seats` values cut the seat counts into bands). Rooms of one class
  are interchangeable, so the model chooses a class, never a room: this removes the rooms'
  symmetry, which otherwise multiplies every solution by the rooms' permutations.
* A one-slot request m has a Boolean x[m,s] per start slot s at which all its principals are
  free; a longer one has x[m,s,c] per start s (the slots s..s+L-1 consecutive, of one day)
  and room class c large enough for it.
* Each request at most once; each principal in at most one meeting per slot.
* Rooms: longer meetings of class c never exceed the rooms of class c at any slot, and for
  every class k, the one-slot meetings that need class k or larger plus the longer meetings
  placed in classes k or larger never exceed the rooms of classes k or larger. Because the
  rooms a request may use are nested (all rooms with at least so many seats), these counts
  are exactly Hall's condition: a schedule that satisfies them always has a room for every
  meeting, the same for all its slots (longer meetings of one class form an interval graph,
  coloured greedily by start; the one-slot meetings then fill the free rooms, the most
  demanding first). `_assign_rooms` does that after the solve.
* Objective: the largest total priority. Where requests carry preferred start slots or a
  current place (a published meeting that may move), those add a secondary score scaled
  below one unit of priority, so it never trades priority away (a lexicographic objective).

Pinned meetings (published meetings kept where they are) are constants that take their
principals and their room for their slots.

Search. On realistic instances this model's linear relaxation is tight (§4: "the LP was tight
on every instance because room-count constraints dominate"), so:
1. the first-come-first-served baseline and a priority-first greedy give first schedules;
2. GLOP solves the linear relaxation: its value, floored, is a proven upper bound, and its
   solution is nearly integral; rounded, it is usually within a few units of the bound;
3. CP-SAT (2 workers) searches the sub-model of the variables the relaxation or the best
   schedule uses, with that schedule as a complete hint (stopping as soon as it reaches the
   relaxation's bound);
4. if the gap is still open, CP-SAT searches for a strictly better schedule among every
   variable that reduced-cost fixing cannot rule out: "infeasible" then proves the best
   schedule optimal, and otherwise its best objective bound counts.
The reported bound is the smallest proven one (GLOP's relaxation, CP-SAT's best objective
bound, or the proof of step 4), never more than the total priority of every schedulable
request.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from convene.bilaterals import greedy
from convene.bilaterals import schedule as sch
from convene.bilaterals.board import Board
from convene.bilaterals.instance import Instance, Request
from convene.bilaterals.placements import Prepared, prepare

DEFAULT_TIME_LIMIT = 20.0
DEFAULT_WORKERS = 2

# Secondary scores (each far below one unit of priority once scaled).
KEEP_PLACE = 2  # a meeting with a current place (published) stays at that time
PREFERRED = 1  # a meeting at a start slot its requesters prefer

_EPS = 1e-6


@dataclass(frozen=True)
class Progress:
    phase: str
    objective: int
    bound: int
    seconds: float


@dataclass
class _Choice:
    request: Request
    start: int
    cls: int | None  # room class, for meetings longer than one slot


class _Model:
    """The 0-1 model of one prepared instance, as plain index lists (sum(x[rows]) <= rhs)."""

    def __init__(self, prep: Prepared):
        self.prep = prep
        self.inst = prep.instance
        self.n_slots = len(self.inst.slots)
        # Room classes: rooms are alike when the same requests fit in them, i.e. when the
        # same number of the requests' distinct seat thresholds is at most their seats.
        needs = sorted({r.min_seats for r in prep.requests})
        band = {room.id: sum(1 for t in needs if t <= room.seats) for room in self.inst.rooms}
        bands = sorted({b for b in band.values() if b > 0})
        self.room_class = {rid: bands.index(b) for rid, b in band.items() if b > 0}
        self.n_classes = len(bands)
        capacity = [0] * self.n_classes
        for level in self.room_class.values():
            capacity[level] += 1
        # A request needs the first class whose band includes its threshold.
        self.need = {r.id: next(c for c, b in enumerate(bands) if b > needs.index(r.min_seats))
                     for r in prep.requests}
        # What the pinned meetings already take.
        pinned_use = [[0] * self.n_slots for _ in range(self.n_classes)]
        self.pinned_busy: set[tuple[str, int]] = set()
        self.by_id = {r.id: r for r in prep.requests}
        for pin in prep.pins.values():
            request = self.by_id[pin.request]
            for t in range(pin.start, pin.start + request.slots):
                pinned_use[self.room_class[pin.room]][t] += 1
                for p in request.between:
                    self.pinned_busy.add((p, t))
        # Free rooms of class exactly c, and of class c or larger, at slot t.
        self.free_exact = [[capacity[c] - pinned_use[c][t] for t in range(self.n_slots)]
                           for c in range(self.n_classes)]
        self.free_at_least = [[sum(self.free_exact[c][t] for c in range(k, self.n_classes))
                               for t in range(self.n_slots)] for k in range(self.n_classes)]
        self.pinned_priority = sum(self.by_id[r].priority for r in prep.pins)
        self.choices: list[_Choice] = []
        self.coefficients: list[int] = []
        self.rows: list[tuple[list[int], int]] = []
        self.scale = 1
        self.build()

    def _options(self, request: Request):
        length = request.slots
        for start in self.prep.starts[request.id]:
            covered = range(start, start + length)
            if any((p, t) in self.pinned_busy for p in request.between for t in covered):
                continue
            if length == 1:
                if self.free_at_least[self.need[request.id]][start] > 0:
                    yield start, None
            else:
                for c in range(self.need[request.id], self.n_classes):
                    if all(self.free_exact[c][t] > 0 for t in covered):
                        yield start, c

    def _secondary(self, request: Request, start: int) -> int:
        score = 0
        placed = self.prep.placed.get(request.id)
        if placed is not None and placed.start == start:
            score += KEEP_PLACE
        if self.inst.slots[start].id in request.preferred:
            score += PREFERRED
        return score

    def build(self) -> None:
        per_request: dict[str, list[int]] = defaultdict(list)
        per_principal_slot: dict[tuple[str, int], list[int]] = defaultdict(list)
        single_at_least = [[[] for _ in range(self.n_slots)] for _ in range(self.n_classes)]
        longer_in = [[[] for _ in range(self.n_slots)] for _ in range(self.n_classes)]
        weights, secondary = [], []
        for request in self.prep.requests:
            if request.id in self.prep.pins:
                continue
            for start, cls in self._options(request):
                i = len(self.choices)
                self.choices.append(_Choice(request, start, cls))
                per_request[request.id].append(i)
                covered = range(start, start + request.slots)
                for t in covered:
                    for p in request.between:
                        per_principal_slot[(p, t)].append(i)
                if cls is None:
                    single_at_least[self.need[request.id]][start].append(i)
                else:
                    for t in covered:
                        longer_in[cls][t].append(i)
                weights.append(request.priority)
                secondary.append(self._secondary(request, start))
        for indices in [*per_request.values(), *per_principal_slot.values()]:
            if len(indices) > 1:
                self.rows.append((indices, 1))
        for t in range(self.n_slots):
            singles, longers = [], []
            for k in range(self.n_classes - 1, -1, -1):
                singles += single_at_least[k][t]
                longers += longer_in[k][t]
                if len(longer_in[k][t]) > self.free_exact[k][t]:
                    self.rows.append((list(longer_in[k][t]), self.free_exact[k][t]))
                if singles and len(singles) + len(longers) > self.free_at_least[k][t]:
                    self.rows.append((singles + longers, self.free_at_least[k][t]))
        if any(secondary):
            self.scale = sum(max(secondary[i] for i in idx) for idx in per_request.values()) + 1
        self.coefficients = [w * self.scale + s for w, s in zip(weights, secondary, strict=True)]

    # --- between schedules and variables ------------------------------------------------------
    def indices_of(self, board: Board) -> set[int]:
        """The variables that describe the (unpinned) meetings on a board."""
        at = {pin.request: pin for pin in board.meetings.values()
              if pin.request not in self.prep.pins}
        chosen = set()
        for i, choice in enumerate(self.choices):
            pin = at.get(choice.request.id)
            if pin is not None and pin.start == choice.start and (
                    choice.cls is None or self.room_class[pin.room] == choice.cls):
                chosen.add(i)
        return chosen

    def score(self, board: Board) -> tuple[int, int]:
        """Total priority, then the secondary score (kept places, preferred times)."""
        if self.scale == 1:
            return board.objective, 0
        return board.objective, sum(self.coefficients[i] for i in self.indices_of(board))

    def priority_of(self, scaled: float) -> int:
        """A proven bound on the scaled objective, as a bound on the total priority."""
        return math.floor(scaled / self.scale + 1e-4) + self.pinned_priority


# --- the linear relaxation --------------------------------------------------------------------
@dataclass
class _Relaxation:
    values: list[float]
    reduced_costs: list[float]
    value: float  # the optimum of the relaxation, on the scaled objective
    bound: int  # as a proven bound on the total priority


def _relaxation(m: _Model, seconds: float) -> _Relaxation | None:
    """GLOP's optimum of the linear relaxation, or None if it found none in time."""
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    lp.SetTimeLimit(max(1, int(seconds * 1000)))
    xs = [lp.NumVar(0.0, 1.0, "") for _ in m.choices]
    for indices, rhs in m.rows:
        row = lp.Constraint(-lp.infinity(), rhs)
        for i in indices:
            row.SetCoefficient(xs[i], 1)
    objective = lp.Objective()
    for x, c in zip(xs, m.coefficients, strict=True):
        objective.SetCoefficient(x, c)
    objective.SetMaximization()
    if lp.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value = objective.Value()
    return _Relaxation([x.solution_value() for x in xs], [x.reduced_cost() for x in xs],
                       value, m.priority_of(value))


def _could_improve(m: _Model, relaxation: _Relaxation, incumbent: int) -> set[int]:
    """The variables that may be 1 in a schedule better than `incumbent` (scaled score).

    Reduced-cost fixing: at the relaxation's optimum z, any 0-1 solution with x_j = 1 scores
    at most z + d_j (d_j <= 0 is x_j's reduced cost), so a variable with
    z + d_j < incumbent + 1 cannot be part of a better schedule. Solving the model of the
    others to optimality therefore proves optimality for the whole model.
    """
    slack = relaxation.value - incumbent - 1
    tolerance = 1e-6 * max(1.0, abs(relaxation.value))
    return {i for i, d in enumerate(relaxation.reduced_costs) if d >= -slack - tolerance}


# --- from chosen variables to rooms -----------------------------------------------------------
def _rooms_by_class(m: _Model) -> dict[int, list[str]]:
    rooms_of = defaultdict(list)
    for room in sorted(m.inst.rooms, key=lambda r: (r.seats, r.id)):
        if room.id in m.room_class:
            rooms_of[m.room_class[room.id]].append(room.id)
    return rooms_of


def _current_first(prep: Prepared, request: Request, rooms: list[str]) -> list[str]:
    current = prep.placed.get(request.id)
    if current and current.room in rooms:
        return [current.room] + [r for r in rooms if r != current.room]
    return rooms


def _eligible(m: _Model, rooms_of: dict, choice: _Choice) -> list[str]:
    if choice.cls is not None:
        return rooms_of[choice.cls]
    return [r for c in range(m.need[choice.request.id], m.n_classes) for r in rooms_of[c]]


def _place(board: Board, m: _Model, rooms_of: dict, choice: _Choice) -> bool:
    request = choice.request
    if request.id in board.meetings or not board.principals_free(request, choice.start):
        return False
    for room in _current_first(board.prep, request, _eligible(m, rooms_of, choice)):
        if board.room_free(room, choice.start, request.slots):
            board.place(request, choice.start, room)
            return True
    return False


def _assign_rooms(m: _Model, chosen: list[int]) -> tuple[Board, list[_Choice]]:
    """Rooms for the chosen times and classes; returns the board and what found no room."""
    board = Board(m.prep)
    board.place_pins()
    rooms_of = _rooms_by_class(m)
    picks = [m.choices[i] for i in chosen]
    # Longer meetings first, by start (an interval graph per class), then each slot's
    # one-slot meetings, the most demanding first (their room sets are nested).
    picks.sort(key=lambda c: (c.cls is None, c.start,
                              -m.need[c.request.id] if c.cls is None else 0, c.request.order))
    failed = [c for c in picks if not _place(board, m, rooms_of, c)]
    return board, failed


def _fill_gaps(prep: Prepared, board: Board) -> None:
    """Add any request that still fits, most important first."""
    for request in sorted(prep.requests, key=lambda r: (-r.priority, r.order)):
        if request.id not in board.meetings:
            board.first_fit(request)


def _schedule_from(m: _Model, chosen: list[int], warnings: list[str]) -> Board:
    board, failed = _assign_rooms(m, chosen)
    if failed:
        # Only possible around pinned meetings (they fix rooms, not just classes).
        warnings.append("no single room was free for all the slots of "
                        + ", ".join(c.request.id for c in failed)
                        + " (pinned meetings are in the way); they were placed again")
    _fill_gaps(m.prep, board)
    return board


def _round(m: _Model, values: list[float]) -> Board:
    """The relaxation's integral part with rooms, then its fractional choices by value."""
    whole = [i for i, v in enumerate(values) if v > 1 - _EPS]
    board, _ = _assign_rooms(m, whole)
    rooms_of = _rooms_by_class(m)
    for i in sorted((i for i, v in enumerate(values) if _EPS < v <= 1 - _EPS),
                    key=lambda i: (-values[i], -m.coefficients[i])):
        _place(board, m, rooms_of, m.choices[i])
    _fill_gaps(m.prep, board)
    return board


# --- CP-SAT -----------------------------------------------------------------------------------
class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, report: Callable[[int, float], None] | None, enough: float | None):
        super().__init__()
        self.report, self.enough = report, enough

    def on_solution_callback(self) -> None:
        if self.report:
            self.report(int(round(self.objective_value)), self.best_objective_bound)
        if self.enough is not None and self.objective_value >= self.enough - 1e-6:
            self.stop_search()  # as good as the relaxation allows: nothing better exists


def _cp_sat(m: _Model, subset: list[int], hint: set[int], deadline: float, workers: int,
            seed: int, report: Callable[[int, float], None] | None, *,
            enough: float | None = None, better_than: int | None = None):
    """CP-SAT on the variables `subset` (the others fixed to 0), until `deadline`.

    `enough`: stop at a schedule scoring this much (a proven bound). `better_than`: only
    look for schedules scoring more than this, so that "infeasible" proves there is none.
    """
    model = cp_model.CpModel()
    position = {i: n for n, i in enumerate(subset)}
    xs = [model.new_bool_var(f"x{i}") for i in subset]
    for indices, rhs in m.rows:
        inside = [position[i] for i in indices if i in position]
        if len(inside) <= rhs:
            continue
        if rhs == 1:
            model.add_at_most_one(xs[n] for n in inside)
        else:
            model.add(cp_model.LinearExpr.sum([xs[n] for n in inside]) <= rhs)
    objective = cp_model.LinearExpr.weighted_sum(xs, [m.coefficients[i] for i in subset])
    model.maximize(objective)
    if better_than is not None:
        model.add(objective >= better_than + 1)
    for x, i in zip(xs, subset, strict=True):
        model.add_hint(x, i in hint)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    status = solver.solve(model, _Callback(report, enough) if report or enough else None)
    chosen = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = solver.response_proto.solution
        chosen = [i for x, i in zip(xs, subset, strict=True) if values[x.index]]
    return status, solver, chosen


def solve(instance: Instance, time_limit: float = DEFAULT_TIME_LIMIT,
          workers: int = DEFAULT_WORKERS, on_progress: Callable[[Progress], None] | None = None,
          seed: int = 0) -> sch.Schedule:
    """The best schedule found within about `time_limit` seconds, with a proven upper bound."""
    began = time.perf_counter()
    # Kept back from the search for rooms, reasons and the answer itself.
    deadline = began + time_limit - min(1.5, max(0.05, 0.03 * time_limit))

    def left() -> float:
        return deadline - time.perf_counter()

    prep = prepare(instance)
    baseline = greedy.first_come_first_served(prep)
    m = _Model(prep)
    best = max((baseline, greedy.priority_first(prep)), key=m.score)
    stats = {"greedy_objective": baseline.objective, "variables": len(m.choices),
             "constraints": len(m.rows), "room_classes": m.n_classes}
    bound = greedy.trivial_bound(prep)
    if not m.choices:
        bound = best.objective  # nothing left to choose: no request has a free option

    def progress(phase: str, objective: int | None = None) -> None:
        if on_progress:
            on_progress(Progress(phase, best.objective if objective is None else objective,
                                 bound, round(time.perf_counter() - began, 2)))

    progress("greedy")
    relaxation = _relaxation(m, max(1.0, left())) if m.choices else None
    if relaxation is not None:
        bound = min(bound, relaxation.bound)
        rounded = _round(m, relaxation.values)
        stats.update(lp_bound=relaxation.bound, lp_rounded_objective=rounded.objective)
        best = max((best, rounded), key=m.score)
        progress("relaxation")

    cp_runs = []
    for phase in ("support", "complete"):
        if not m.choices or best.objective >= bound or left() <= 0.5:
            break
        hint = m.indices_of(best)
        incumbent = sum(m.coefficients[i] for i in hint)  # the best schedule, scaled
        if phase == "support":
            # A quick first search among what the relaxation uses: often all it takes.
            if relaxation is None:
                continue
            subset = hint | {i for i, v in enumerate(relaxation.values) if v > _EPS}
            until = time.perf_counter() + max(0.5, left() * 0.3)
        else:
            subset = (hint | _could_improve(m, relaxation, incumbent)) if relaxation else set(
                range(len(m.choices)))
            until = deadline

        def report(scaled: int, _bound: float, phase=phase) -> None:
            progress(phase, m.priority_of(scaled))

        enough = math.floor(relaxation.value + 1e-6) if relaxation else None
        better_than = incumbent if phase == "complete" else None
        status, solver, chosen = _cp_sat(m, sorted(subset), hint, until, workers, seed, report,
                                         enough=enough, better_than=better_than)
        cp_runs.append({"model": phase, "variables": len(subset),
                        "status": solver.status_name(status),
                        "seconds": round(solver.wall_time, 2)})
        if chosen is not None:
            best = max((best, _schedule_from(m, chosen, prep.warnings)), key=m.score)
        if phase == "complete":
            # Only schedules better than the incumbent were sought, and those outside the
            # sub-model score at most the incumbent (reduced costs): "infeasible" proves it
            # optimal; otherwise CP-SAT's bound holds for everything above the incumbent.
            if status == cp_model.INFEASIBLE:
                bound = min(bound, m.priority_of(incumbent))
            elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                bound = min(bound, m.priority_of(max(solver.best_objective_bound, incumbent)))
        progress(phase)
    stats["cp_sat"] = cp_runs
    bound = max(bound, best.objective)
    stats["seconds"] = round(time.perf_counter() - began, 3)
    return sch.Schedule(
        status=sch.OPTIMAL if best.objective == bound else sch.FEASIBLE,
        objective=best.objective, bound=bound, meetings=best.meetings_out(),
        unscheduled=best.unscheduled_out(), stats=stats, warnings=list(prep.warnings))
