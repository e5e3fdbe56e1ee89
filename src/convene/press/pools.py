"""Pool allocation: who gets the few press places at a restricted moment, fairly and explainably.

Plain data in, plain data out (no Django): the service feeds it outlets, requests, reserved
places and the places already published, and stores what comes back; the benchmark and the
property tests run exactly this code.

The rules, in the order they apply to each kind of position (photo, TV camera, writer, agency):
  1. Reserved places first: the host broadcaster, the host photographer, and a principal's
     travelling press at their own bilateral (the organiser's rules, listed as reservations).
  2. Places already published stay with their holders (a re-run after withdrawals only fills
     the places freed), unless the coordinator asks for a fresh draw (`keep_published=False`).
  3. The other places go one at a time to the requesting outlet that ranks first by
       (places of this kind it already holds at this opportunity,
        its priority tier (0 = first: international agencies, then national agency …),
        places it won at earlier opportunities (rotation over the summit),
        its lot).
     So no outlet gets a second place of a kind before every requesting outlet has a first
     (and, within the first places, a higher tier comes first); among equals the outlet with
     fewer places so far comes first; among those the lot decides.
  4. The lot is SHA-256 of "seed|opportunity|outlet", the seed being published with the list:
     anyone can recompute it, nobody can choose it after the seed is out.
Pool practice: the White House Correspondents' Association rotates pool duty among outlets of
the same kind so that each takes its turn; the UN Media Accreditation and Liaison Unit reserves
positions for the host broadcaster and UN Photo at restricted events (see docs/press.md).
"""

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

PHOTO, TV, WRITER, AGENCY = "photo", "tv", "writer", "agency"
KINDS = (PHOTO, TV, WRITER, AGENCY)

RESERVED, KEPT, WON, MISSED = "reserved", "kept", "won", "missed"


@dataclass(frozen=True)
class Request:
    """An outlet asks for a place of one kind for one of its journalists. An outlet may ask
    for several places of a kind: `rank` orders them (its first choice of journalist first)."""

    outlet: str
    kind: str
    journalist: str
    rank: int = 0


@dataclass(frozen=True)
class Reservation:
    outlet: str
    kind: str
    journalist: str
    reason: str  # "host broadcaster", "travelling press of Viet Nam" …


@dataclass(frozen=True)
class Place:
    outlet: str
    kind: str
    journalist: str
    basis: str  # RESERVED, KEPT or WON
    reason: str = ""


@dataclass(frozen=True)
class Opportunity:
    id: str
    positions: Mapping[str, int]  # kind -> number of places


@dataclass
class Explanation:
    """What an outlet is told about one allocation: why it got or missed a place."""

    outlet: str
    tier: int
    places_before: int  # won at earlier opportunities
    lot: str  # hex digest
    seed: str
    won: list[str] = field(default_factory=list)  # kinds
    missed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


@dataclass
class Allocation:
    opportunity: str
    seed: str
    places: list[Place]
    explanations: dict[str, Explanation]

    def holders(self, kind: str | None = None) -> list[Place]:
        return [p for p in self.places if kind is None or p.kind == kind]

    def count_by_outlet(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for place in self.places:
            counts[place.outlet] += 1
        return dict(counts)


def lot(seed: str, opportunity: str, outlet: str) -> str:
    """The outlet's lot for this opportunity: recomputable by anyone from the published seed."""
    return hashlib.sha256(f"{seed}|{opportunity}|{outlet}".encode()).hexdigest()


def allocate(opportunity: Opportunity, requests: Iterable[Request], *, tiers: Mapping[str, int],
             seed: str, places_before: Mapping[str, int] | None = None,
             reservations: Iterable[Reservation] = (), published: Iterable[Place] = (),
             withdrawn: Iterable[tuple[str, str]] = (), keep_published: bool = True,
             default_tier: int = 9) -> Allocation:
    """Allocate the places of one opportunity.

    `tiers`: outlet -> tier (lower first); `places_before`: outlet -> places won at earlier
    opportunities; `published`: the places of the list already published; `withdrawn`:
    (outlet, journalist) pairs that are no longer available (their places are freed).
    The result does not depend on the order of the inputs.
    """
    places_before = dict(places_before or {})
    gone = set(withdrawn)
    requests = sorted({r for r in requests if (r.outlet, r.journalist) not in gone},
                      key=lambda r: (r.outlet, r.kind, r.rank, r.journalist))
    reservations = sorted(set(reservations), key=lambda r: (r.kind, r.outlet, r.journalist))
    kept = sorted({p for p in published if p.basis != RESERVED
                   and (p.outlet, p.journalist) not in gone},
                  key=lambda p: (p.kind, p.outlet, p.journalist)) if keep_published else []

    def tier_of(outlet: str) -> int:
        return tiers.get(outlet, default_tier)

    lots = {o: lot(seed, opportunity.id, o)
            for o in {r.outlet for r in requests} | {r.outlet for r in reservations}
            | {p.outlet for p in kept}}
    places: list[Place] = []
    seated: set[tuple[str, str]] = set()  # (kind, journalist) already placed
    for kind in KINDS:
        free = max(0, int(opportunity.positions.get(kind, 0)))
        holding: dict[str, int] = defaultdict(int)
        for r in reservations:
            if r.kind != kind or free <= 0 or (kind, r.journalist) in seated:
                continue
            places.append(Place(r.outlet, kind, r.journalist, RESERVED, r.reason))
            seated.add((kind, r.journalist))
            free -= 1
        for p in kept:
            if p.kind != kind or free <= 0 or (kind, p.journalist) in seated:
                continue
            places.append(Place(p.outlet, kind, p.journalist, KEPT))
            seated.add((kind, p.journalist))
            holding[p.outlet] += 1
            free -= 1
        queue: dict[str, list[Request]] = defaultdict(list)
        for r in requests:
            if r.kind == kind and (kind, r.journalist) not in seated:
                queue[r.outlet].append(r)
        while free > 0 and queue:
            outlet = min(queue, key=lambda o: (holding[o], tier_of(o),
                                               places_before.get(o, 0), lots[o], o))
            request = queue[outlet].pop(0)
            if not queue[outlet]:
                del queue[outlet]
            if (kind, request.journalist) in seated:
                continue
            places.append(Place(outlet, kind, request.journalist, WON))
            seated.add((kind, request.journalist))
            holding[outlet] += 1
            free -= 1
    return Allocation(opportunity.id, seed, places,
                      _explain(opportunity, requests, places, tier_of, places_before, lots, seed))


def _explain(opportunity, requests, places, tier_of, places_before, lots, seed):
    explanations: dict[str, Explanation] = {}
    asked: dict[str, set[str]] = defaultdict(set)
    for r in requests:
        asked[r.outlet].add(r.kind)
    got: dict[str, list[Place]] = defaultdict(list)
    for p in places:
        got[p.outlet].append(p)
    for outlet in sorted(set(asked) | set(got)):
        e = Explanation(outlet, tier_of(outlet), places_before.get(outlet, 0), lots[outlet],
                        seed)
        for p in got[outlet]:
            e.won.append(p.kind)
            if p.basis == RESERVED:
                e.reasons.append(f"{p.kind}: reserved place ({p.reason})")
            elif p.basis == KEPT:
                e.reasons.append(f"{p.kind}: place kept from the published list")
            else:
                e.reasons.append(f"{p.kind}: won in tier {e.tier} with {e.places_before} "
                                 f"places so far (lot {e.lot[:8]})")
        for kind in sorted(asked[outlet]):
            if kind in e.won:
                continue
            e.missed.append(kind)
            positions = int(opportunity.positions.get(kind, 0))
            if positions <= 0:
                e.reasons.append(f"{kind}: this opportunity has no {kind} position")
            else:
                e.reasons.append(
                    f"{kind}: all {positions} places went to outlets ranked before you "
                    f"(reserved, fewer places here, a higher tier, fewer places so far than "
                    f"your {e.places_before}, or a lower lot than {e.lot[:8]})")
        explanations[outlet] = e
    return explanations


def allocate_series(opportunities: Iterable[Opportunity], requests: Mapping[str, list[Request]],
                    *, tiers: Mapping[str, int], seed: str,
                    reservations: Mapping[str, list[Reservation]] | None = None
                    ) -> list[Allocation]:
    """Allocate opportunities in order, carrying each outlet's places won so far (rotation)."""
    won: dict[str, int] = defaultdict(int)
    out = []
    for opp in opportunities:
        allocation = allocate(opp, requests.get(opp.id, []), tiers=tiers, seed=seed,
                              places_before=won,
                              reservations=(reservations or {}).get(opp.id, ()))
        for place in allocation.places:
            if place.basis == WON:
                won[place.outlet] += 1
        out.append(allocation)
    return out


def first_come_first_served(opportunity: Opportunity, requests: list[Request],
                            reservations: Iterable[Reservation] = ()) -> list[Place]:
    """The baseline: reserved places, then the requests in the order they arrived."""
    places, seated = [], set()
    free = {k: int(opportunity.positions.get(k, 0)) for k in KINDS}
    for r in reservations:
        if free.get(r.kind, 0) > 0:
            places.append(Place(r.outlet, r.kind, r.journalist, RESERVED, r.reason))
            seated.add((r.kind, r.journalist))
            free[r.kind] -= 1
    for r in requests:
        if free.get(r.kind, 0) > 0 and (r.kind, r.journalist) not in seated:
            places.append(Place(r.outlet, r.kind, r.journalist, WON))
            seated.add((r.kind, r.journalist))
            free[r.kind] -= 1
    return places


def gini(values: list[float]) -> float:
    """The Gini coefficient of a distribution (0 = everyone equal)."""
    values = sorted(values)
    n, total = len(values), sum(values)
    if n == 0 or total == 0:
        return 0.0
    cumulative = sum((i + 1) * v for i, v in enumerate(values))
    return (2 * cumulative) / (n * total) - (n + 1) / n
