"""A schedule as the solver and the baseline return it, and its JSON form (issue 6's output).

    {"status": "optimal" | "feasible", "objective": 123, "bound": 125,
     "meetings": [{"request": "Q1", "room": "R1", "slots": ["S1"]}, ...],
     "unscheduled": [{"request": "Q7", "reason": "..."}]}

Reasons are kept as a code and parameters, so that the web pages can say them in the reader's
language; `reason_text` is the English used in the JSON. Plain Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OPTIMAL, FEASIBLE = "optimal", "feasible"

# Why a request is not in the schedule. The first five are about the request itself (it could
# not be scheduled in any schedule); "not_chosen" means it could have been, but the meetings it
# conflicts with serve more priority.
INVALID = "invalid"
DUPLICATE = "duplicate"
UNKNOWN_PRINCIPAL = "unknown_principal"
NO_SLOTS = "no_slots"
NEVER_AVAILABLE = "never_available"
NO_ROOM = "no_room"
NO_COMMON_SLOTS = "no_common_slots"
NOT_CHOSEN = "not_chosen"
ROOMS_FULL = "rooms_full"


def _names(ids) -> str:
    return ", ".join(ids)


def reason_text(code: str, params: dict) -> str:
    """The English reason for one unscheduled request."""
    if code == INVALID:
        return f"invalid request: {params['problem']}"
    if code == DUPLICATE:
        return "invalid request: another request has the same id"
    if code == UNKNOWN_PRINCIPAL:
        return f"unknown principal: {_names(params['principals'])}"
    if code == NO_SLOTS:
        return "there are no slots to meet in"
    if code == NEVER_AVAILABLE:
        return f"principal never available: {params['principal']}"
    if code == NO_ROOM:
        return f"no room large enough: {params['seats']} seats needed, the largest has " \
               f"{params['largest']}"
    if code == NO_COMMON_SLOTS:
        return (f"no common free consecutive slots: {_names(params['principals'])} are never "
                f"all free for {params['slots']} consecutive slot(s)")
    if code == NOT_CHOSEN:
        blocking = params.get("blocking") or []
        suffix = f" ({_names(blocking)})" if blocking else ""
        return f"not chosen: conflicts with higher-priority meetings{suffix}"
    if code == ROOMS_FULL:
        return ("not chosen: every room large enough is taken by higher-priority meetings "
                "whenever the principals are free")
    return code


@dataclass(frozen=True)
class Meeting:
    request: str
    room: str
    slots: tuple[str, ...]


@dataclass(frozen=True)
class Unscheduled:
    request: str
    code: str
    params: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def reason(self) -> str:
        return reason_text(self.code, self.params)


@dataclass
class Schedule:
    status: str
    objective: int
    bound: int
    meetings: list[Meeting]
    unscheduled: list[Unscheduled]
    # Not part of the JSON: what the solver did, for benchmarks, logs and the review page.
    stats: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def gap(self) -> float:
        """(bound − objective) / max(1, objective), the relative optimality gap."""
        return (self.bound - self.objective) / max(1, self.objective)

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "meetings": [{"request": m.request, "room": m.room, "slots": list(m.slots)}
                         for m in self.meetings],
            "unscheduled": [{"request": u.request, "reason": u.reason}
                            for u in self.unscheduled],
        }
