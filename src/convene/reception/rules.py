"""Reception rules on plain data (issue 13): greeting-rule selection and the greeting roster,
the liaison-officer assignment, hotel rooms by rank, and the conflict rules. No Django models;
services.py feeds them from the database and keeps what they find."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from convene.protocol.precedence import DEFAULT_RANK_BANDS, LAST_BAND

# A greeter is taken from 30 minutes before landing until 45 minutes after (the walk from the
# aircraft, the greeting, the motorcade leaving): the window for "two heads of State twenty
# minutes apart need two greeters".
GREETING_BEFORE = timedelta(minutes=30)
GREETING_AFTER = timedelta(minutes=45)

WARNING, SERIOUS, CRITICAL = "warning", "serious", "critical"
SEVERITY_ORDER = {CRITICAL: 0, SERIOUS: 1, WARNING: 2}


def band(rank: str) -> int:
    """The precedence band of a rank, as protocol orders them (protocol/precedence.py)."""
    return DEFAULT_RANK_BANDS.get(rank, LAST_BAND)


def is_at_least(rank: str, threshold: str) -> bool:
    """True when `rank` stands in `threshold`'s precedence band or above it."""
    return band(rank) <= band(threshold)


# --- greeting ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    rank: str
    roles: tuple[str, ...]
    flowers: bool = False
    guard_of_honour: bool = False
    vip_terminal: bool = True


def select_rule(rank: str, rules: list[Rule]) -> Rule | None:
    """The greeting rule for a head of delegation of `rank`: the rule for that rank, else the
    rule for another rank of the same precedence band (a Vice-President is greeted as a head
    of State unless the organiser says otherwise), else none."""
    for rule in rules:
        if rule.rank == rank:
            return rule
    same_band = [r for r in rules if band(r.rank) == band(rank)]
    return min(same_band, key=lambda r: r.rank) if same_band else None


@dataclass(frozen=True)
class Landing:
    flight: int
    at: datetime
    rank: str
    label: str = ""


@dataclass(frozen=True)
class GreeterInfo:
    id: int
    role: str
    available_from: datetime | None = None
    available_until: datetime | None = None
    name: str = ""


@dataclass
class Roster:
    greetings: dict[tuple[int, str], int] = field(default_factory=dict)  # (flight, role) -> id
    gaps: list[tuple[int, str, str]] = field(default_factory=list)  # flight, role, reason


def greeting_roster(landings: list[Landing], rules: list[Rule], greeters: list[GreeterInfo],
                    fixed: dict[tuple[int, str], int] | None = None) -> Roster:
    """Give each landing the greeters its rule asks for, one greeter per role, none in two
    places: a greeter is busy from GREETING_BEFORE landing until GREETING_AFTER it, and only
    within their own availability. Landings in time order, each role to the free greeter who
    became free first (interval scheduling: as few greeters as the overlaps force)."""
    roster = Roster()
    busy: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for (flight, role), greeter in (fixed or {}).items():
        landing = next((x for x in landings if x.flight == flight), None)
        if landing:
            busy[greeter].append((landing.at - GREETING_BEFORE, landing.at + GREETING_AFTER))
            roster.greetings[(flight, role)] = greeter
    for landing in sorted(landings, key=lambda x: (x.at, x.flight)):
        rule = select_rule(landing.rank, rules)
        if rule is None:
            continue
        start, end = landing.at - GREETING_BEFORE, landing.at + GREETING_AFTER
        for role in rule.roles:
            if (landing.flight, role) in roster.greetings:
                continue
            candidates = [g for g in greeters if g.role.strip().lower() == role]
            if not candidates:
                roster.gaps.append((landing.flight, role,
                                    _("no greeter with the role “%(role)s”") % {"role": role}))
                continue
            free = [g for g in candidates
                    if (g.available_from is None or g.available_from <= start)
                    and (g.available_until is None or g.available_until >= end)
                    and all(e <= start or s >= end for s, e in busy[g.id])]
            if not free:
                roster.gaps.append((landing.flight, role, _(
                    "every %(role)s is greeting someone else or unavailable at %(time)s")
                    % {"role": role, "time": landing.at.strftime("%H:%M")}))
                continue
            chosen = min(free, key=lambda g: (max((e for _s, e in busy[g.id]),
                                                  default=datetime.min.replace(
                                                      tzinfo=landing.at.tzinfo)), g.id))
            busy[chosen.id].append((start, end))
            roster.greetings[(landing.flight, role)] = chosen.id
    return roster


# --- liaison officers --------------------------------------------------------------------------

@dataclass(frozen=True)
class LiaisonNeed:
    delegation: int
    languages: tuple[str, ...]
    needs_senior: bool  # heads of State or Government: senior officers only
    label: str = ""


@dataclass(frozen=True)
class OfficerInfo:
    id: int
    languages: tuple[str, ...]
    senior: bool


@dataclass
class LiaisonPlan:
    assigned: dict[int, int]  # delegation -> officer
    unmatched: dict[int, str]  # delegation -> reason


def _liaison_cost(need: LiaisonNeed, officer: OfficerInfo) -> int | None:
    """Lower is better; None: the officer may not look after the delegation."""
    shared = set(need.languages) & set(officer.languages)
    if not shared:
        return None
    if need.needs_senior and not officer.senior:
        return None
    cost = 10
    # the delegation's first language is better than another one it speaks
    if need.languages and need.languages[0] not in officer.languages:
        cost += 3
    # keep senior officers for the heads of State who need them
    if officer.senior and not need.needs_senior:
        cost += 2
    return cost


def assign_liaisons(needs: list[LiaisonNeed], officers: list[OfficerInfo],
                    fixed: dict[int, int] | None = None) -> LiaisonPlan:
    """One officer per delegation for its whole stay, none looking after two: an optimal
    assignment (most delegations matched, then the best language and seniority fit) by
    linear_sum_assignment; `fixed` are choices made by hand, kept as they are."""
    from ortools.graph.python import linear_sum_assignment

    fixed = dict(fixed or {})
    taken = set(fixed.values())
    free_officers = [o for o in officers if o.id not in taken]
    open_needs = [n for n in needs if n.delegation not in fixed]
    plan = LiaisonPlan(dict(fixed), {})
    if not open_needs:
        return plan
    unmatched_cost = 1000  # a dummy "nobody" per delegation: feasible always, used last
    solver = linear_sum_assignment.SimpleLinearSumAssignment()
    for i, need in enumerate(open_needs):
        for j, officer in enumerate(free_officers):
            cost = _liaison_cost(need, officer)
            if cost is not None:
                solver.add_arc_with_cost(i, j, cost)
        solver.add_arc_with_cost(i, len(free_officers) + i, unmatched_cost)
    # a perfect matching needs as many left nodes as right ones: one idle "pad" per officer,
    # which may take any officer or any dummy at no cost
    m, n = len(free_officers), len(open_needs)
    for p in range(m):
        for right in range(m + n):
            solver.add_arc_with_cost(n + p, right, 0)
    status = solver.solve()
    if status != solver.OPTIMAL:  # pragma: no cover - the dummies make it always feasible
        raise RuntimeError("liaison assignment failed")
    for i, need in enumerate(open_needs):
        j = solver.right_mate(i)
        if j < len(free_officers):
            plan.assigned[need.delegation] = free_officers[j].id
        else:
            plan.unmatched[need.delegation] = _why_unmatched(need, officers)
    return plan


def _why_unmatched(need: LiaisonNeed, officers: list[OfficerInfo]) -> str:
    speakers = [o for o in officers if set(need.languages) & set(o.languages)]
    langs = ", ".join(need.languages) or "—"
    if not speakers:
        return _("no liaison officer speaks %(languages)s") % {"languages": langs}
    if need.needs_senior and not any(o.senior for o in speakers):
        return _("no senior liaison officer speaks %(languages)s") % {"languages": langs}
    return _("every officer who speaks %(languages)s looks after another delegation") % {
        "languages": langs}


# --- hotels ------------------------------------------------------------------------------------

def room_type_for(rank: str, is_head: bool) -> str:
    """Suites for heads of delegation in the first three bands (heads of State or Government,
    deputy prime ministers, foreign ministers); deluxe for other heads; standard for the rest."""
    if is_head and band(rank) <= 2:
        return "suite"
    if is_head:
        return "deluxe"
    return "standard"


def nights(check_in: date, check_out: date) -> list[date]:
    return [check_in + timedelta(days=k) for k in range((check_out - check_in).days)]


# --- conflicts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Found:
    key: str
    rule: str
    severity: str
    message: str
    delegation: int | None = None


@dataclass(frozen=True)
class Commitment:
    """Something a principal must attend: a session, a bilateral, the signing slot."""

    principal: int
    delegation: int
    start: datetime
    label: str
    is_signing: bool = False


@dataclass(frozen=True)
class Trip:
    """A principal's arrival (landing time) or departure (take-off time)."""

    flight: int
    principal: int
    delegation: int
    at: datetime
    direction: str  # arrival | departure
    label: str = ""


def late_landings(arrivals: list[Trip], commitments: list[Commitment],
                  to_venue: timedelta) -> list[Found]:
    """A principal landing after (or too close to) a session or signing slot they attend:
    landing + leaving the airport and driving to the venue later than its start. Critical."""
    found = []
    first_arrival: dict[int, Trip] = {}
    for trip in arrivals:
        if trip.direction == "arrival":
            current = first_arrival.get(trip.principal)
            if current is None or trip.at < current.at:
                first_arrival[trip.principal] = trip
    for c in commitments:
        trip = first_arrival.get(c.principal)
        if trip and trip.at + to_venue > c.start:
            found.append(Found(
                f"late-landing:{trip.flight}:{trip.principal}:{c.label}:{c.start.isoformat()}",
                "late_landing",
                CRITICAL, _("%(who)s lands at %(landing)s, too late for “%(what)s” at "
                            "%(start)s") % {
                    "who": trip.label, "landing": f"{trip.at:%d %b %H:%M}", "what": c.label,
                    "start": f"{c.start:%d %b %H:%M}"}, c.delegation))
    return found


def departures_before_signing(departures: list[Trip], commitments: list[Commitment],
                              to_airport: timedelta) -> list[Found]:
    """A departure before the principal's signing slot (or too soon after it to reach the
    airport). Critical: the Convention is signed in person by the one holding full powers."""
    found = []
    for trip in departures:
        if trip.direction != "departure":
            continue
        for c in commitments:
            if c.is_signing and c.principal == trip.principal and trip.at < c.start + to_airport:
                found.append(Found(
                    f"departure-before-signing:{trip.flight}:{trip.principal}:"
                    f"{c.start.isoformat()}",
                    "departure_before_signing", CRITICAL,
                    _("%(who)s leaves at %(at)s, before the signing slot at %(start)s") % {
                        "who": trip.label, "at": f"{trip.at:%d %b %H:%M}",
                        "start": f"{c.start:%d %b %H:%M}"}, c.delegation))
    return found


@dataclass(frozen=True)
class Booking:
    """A resource (car, driver, greeter, liaison officer) busy from start to end."""

    resource: str  # "vehicle:S01"
    resource_label: str
    start: datetime
    end: datetime
    what: str
    ref: str
    delegation: int | None = None


def double_bookings(bookings: list[Booking], kind: str) -> list[Found]:
    """A car, driver, greeter or liaison officer in two places at once. Serious."""
    found = []
    by_resource: dict[str, list[Booking]] = defaultdict(list)
    for b in bookings:
        by_resource[b.resource].append(b)
    for items in by_resource.values():
        items.sort(key=lambda b: (b.start, b.ref))
        for k, a in enumerate(items):
            for b in items[k + 1:]:
                if b.start >= a.end:
                    break
                found.append(Found(
                    f"double:{a.resource}:{a.ref}:{b.ref}", f"double_booked_{kind}", SERIOUS,
                    _("%(who)s is booked twice: %(a)s and %(b)s") % {
                        "who": a.resource_label, "a": a.what, "b": b.what}, b.delegation))
    return found


@dataclass(frozen=True)
class TimedMovement:
    id: int
    pickup: datetime
    arrive_by: datetime | None
    travel_minutes: int | None
    label: str
    delegation: int | None = None


def movements_too_short(movements: list[TimedMovement]) -> list[Found]:
    """A movement given less time than the road takes (pickup to "arrive by")."""
    found = []
    for m in movements:
        if m.arrive_by is None or m.travel_minutes is None:
            continue
        if m.pickup + timedelta(minutes=m.travel_minutes) > m.arrive_by:
            found.append(Found(
                f"too-short:{m.id}:{m.pickup.isoformat()}", "movement_too_short", SERIOUS,
                _("%(what)s: %(given)d minutes given, the road takes %(needed)d") % {
                    "what": m.label,
                    "given": int((m.arrive_by - m.pickup).total_seconds() // 60),
                    "needed": m.travel_minutes}, m.delegation))
    return found


@dataclass(frozen=True)
class BlockUse:
    hotel: str
    night: date
    room_type: str
    rooms: int  # held
    used: int


def over_blocks(uses: list[BlockUse]) -> list[Found]:
    """A hotel block over capacity on a night."""
    return [Found(f"over-block:{u.hotel}:{u.night}:{u.room_type}", "hotel_over_block", SERIOUS,
                  _("%(hotel)s, night of %(night)s: %(used)d %(type)s rooms given, %(rooms)d "
                    "held") % {"hotel": u.hotel, "night": u.night.isoformat(), "used": u.used,
                               "type": u.room_type, "rooms": u.rooms})
            for u in uses if u.used > u.rooms]


@dataclass(frozen=True)
class StayInfo:
    member: int
    delegation: int
    label: str
    check_out: date
    late_checkout: bool


def late_checkouts(stays: list[StayInfo], departures: list[Trip], checkout_hour: int = 12,
                   to_airport: timedelta = timedelta(hours=2)) -> list[Found]:
    """A guest whose flight leaves later on check-out day than the room is kept for."""
    found = []
    leaving = {t.principal: t for t in departures if t.direction == "departure"}
    for s in stays:
        trip = leaving.get(s.member)
        if trip is None or s.late_checkout or trip.at.date() != s.check_out:
            continue
        if (trip.at - to_airport).hour >= checkout_hour:
            found.append(Found(f"late-checkout:{s.member}:{s.check_out}", "late_checkout",
                               WARNING, _("%(who)s leaves the hotel after check-out time on "
                                          "%(day)s: ask for a late check-out") % {
                                   "who": s.label, "day": s.check_out.isoformat()},
                               s.delegation))
    return found


def arrivals_without_movement(arrivals: list[Trip], flights_with_movement: set[int]) -> list[Found]:
    """An arrival nobody is sent to meet with a car."""
    return [Found(f"no-movement:{t.flight}", "arrival_without_movement", SERIOUS,
                  _("%(who)s lands at %(at)s and no car is planned") % {
                      "who": t.label, "at": f"{t.at:%d %b %H:%M}"}, t.delegation)
            for t in arrivals
            if t.direction == "arrival" and t.flight not in flights_with_movement]


def sort_found(found: list[Found]) -> list[Found]:
    return sorted(found, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.key))
