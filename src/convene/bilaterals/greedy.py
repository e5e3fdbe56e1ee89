"""The baseline: first come, first served, as secretariats do it by hand in a spreadsheet.

Requests are taken in the order they arrived (their order in the instance); each goes to the
earliest time both principals are free, in the smallest free room with enough seats, and is
never moved again. Kept to measure what the optimal scheduler adds (bench/bilaterals.py), and
a priority-first variant of it gives CP-SAT its first solution (a hint).
"""

from __future__ import annotations

from convene.bilaterals import schedule as sch
from convene.bilaterals.board import Board
from convene.bilaterals.instance import Instance
from convene.bilaterals.placements import Prepared, prepare


def fill(prep: Prepared, order_key) -> Board:
    board = Board(prep)
    board.place_pins()
    for request in sorted(prep.requests, key=order_key):
        if request.id not in board.meetings:
            board.first_fit(request)
    return board


def first_come_first_served(prep: Prepared) -> Board:
    return fill(prep, lambda r: r.order)


def priority_first(prep: Prepared) -> Board:
    """Most important first; among equals, the hardest to place (fewest starts) first."""
    return fill(prep, lambda r: (-r.priority, len(prep.starts[r.id]) * len(prep.rooms[r.id]),
                                 r.order))


def trivial_bound(prep: Prepared) -> int:
    """Every schedulable request served: an upper bound no schedule can beat."""
    return sum(r.priority for r in prep.requests)


def solve_greedy(instance: Instance) -> sch.Schedule:
    """The baseline as a Schedule (status "feasible": it proves nothing about optimality)."""
    prep = prepare(instance)
    board = first_come_first_served(prep)
    bound = trivial_bound(prep)
    return sch.Schedule(
        status=sch.OPTIMAL if board.objective == bound else sch.FEASIBLE,
        objective=board.objective, bound=bound,
        meetings=board.meetings_out(), unscheduled=board.unscheduled_out(),
        stats={"method": "first come, first served"}, warnings=list(prep.warnings))
