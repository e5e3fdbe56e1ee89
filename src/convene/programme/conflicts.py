"""Conflicts in the programme, found from plain data so they can be tested without a database.

- a room booked for two sessions at the same time (critical);
- a principal — a person chairing, speaking or attending in person — expected in two places
  at once (critical);
- a session in a room too small for the people expected (warning; critical beyond 120 %);
- a speaker or chair whose accreditation is refused (critical) or not yet approved (warning).
  Until accreditation (issue 3) is wired in, "accredited" means the delegation member's status
  is "approved" (delegations.MemberStatus).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

CRITICAL, WARNING = "critical", "warning"
ROOM_DOUBLE_BOOKED = "room_double_booked"
PRINCIPAL_IN_TWO_PLACES = "principal_in_two_places"
ROOM_TOO_SMALL = "room_too_small"
SPEAKER_NOT_ACCREDITED = "speaker_not_accredited"

ACCREDITED = "approved"
REFUSED = "refused"
SPEAKING_ROLES = frozenset({"chair", "co_chair", "speaker", "moderator"})
OVERFULL_CRITICAL = 1.2


@dataclass(frozen=True)
class PersonIn:
    person_id: int | None  # a delegation member; None: a name written by hand
    name: str
    role: str
    accreditation: str | None  # the member's status, None for a name written by hand


@dataclass(frozen=True)
class SessionIn:
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    room_name: str = ""
    room_capacity: int | None = None
    expected: int | None = None
    people: tuple[PersonIn, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Conflict:
    severity: str
    code: str
    message: str
    session_ids: tuple[int, ...]


def _overlap(a: SessionIn, b: SessionIn) -> bool:
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _overlapping_pairs(sessions: list[SessionIn]):
    """Pairs of sessions that overlap in time (sweep over start times)."""
    ordered = sorted(sessions, key=lambda s: (s.starts_at, s.id))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.starts_at >= a.ends_at:
                break
            yield a, b


def find_conflicts(sessions: Iterable[SessionIn]) -> list[Conflict]:
    sessions = list(sessions)
    found: list[Conflict] = []
    by_room: dict[int, list[SessionIn]] = defaultdict(list)
    for s in sessions:
        if s.room_id is not None:
            by_room[s.room_id].append(s)
    for group in by_room.values():
        for a, b in _overlapping_pairs(group):
            found.append(Conflict(CRITICAL, ROOM_DOUBLE_BOOKED, _(
                "%(room)s is booked for “%(a)s” and “%(b)s” at the same time.")
                % {"room": a.room_name, "a": a.title, "b": b.title}, (a.id, b.id)))

    by_person: dict[int, list[SessionIn]] = defaultdict(list)
    names: dict[int, str] = {}
    for s in sessions:
        for p in {p.person_id: p for p in s.people if p.person_id is not None}.values():
            by_person[p.person_id].append(s)
            names[p.person_id] = p.name
    for person_id, group in by_person.items():
        for a, b in _overlapping_pairs(group):
            found.append(Conflict(CRITICAL, PRINCIPAL_IN_TWO_PLACES, _(
                "%(name)s is expected at “%(a)s” and at “%(b)s” at the same time.")
                % {"name": names[person_id], "a": a.title, "b": b.title}, (a.id, b.id)))

    for s in sessions:
        if s.room_capacity and s.expected and s.expected > s.room_capacity:
            severity = CRITICAL if s.expected > s.room_capacity * OVERFULL_CRITICAL else WARNING
            found.append(Conflict(severity, ROOM_TOO_SMALL, _(
                "“%(s)s” expects %(n)d people but %(room)s seats %(cap)d.")
                % {"s": s.title, "n": s.expected, "room": s.room_name,
                   "cap": s.room_capacity}, (s.id,)))
        for p in s.people:
            if p.role not in SPEAKING_ROLES or p.person_id is None:
                continue
            if p.accreditation == ACCREDITED:
                continue
            refused = p.accreditation == REFUSED
            found.append(Conflict(CRITICAL if refused else WARNING, SPEAKER_NOT_ACCREDITED, (
                _("%(name)s (%(s)s) has been refused accreditation.") if refused else
                _("%(name)s (%(s)s) is not yet accredited.")) % {"name": p.name, "s": s.title},
                (s.id,)))
    order = {CRITICAL: 0, WARNING: 1}
    return sorted(found, key=lambda c: (order[c.severity], c.code, c.session_ids))
