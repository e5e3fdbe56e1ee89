"""Pool allocation (issue 14): 400 outlets, 1,500 journalists, 60 coverage opportunities.

Times the fair allocation (reserved places, tiers, rotation, seeded lot; press/pools.py) over
the whole summit and compares its fairness with first come, first served measured on the same
requests in the same run: the Gini coefficient of places per requesting outlet, the largest
spread of places between outlets of the same tier, and outlets that asked and got nothing.
In the first-come baseline the same outlets are quick every time (the big desks that watch the
portal), which is what happens when places go to whoever clicks first.
Prints one JSON object on its last line.
"""

import json
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from convene.press import pools  # noqa: E402
from convene.press.pools import Opportunity, Request, Reservation  # noqa: E402

OUTLETS, JOURNALISTS, OPPORTUNITIES = 400, 1500, 60
SEED = 2025


def generate(rng):
    outlets = [f"outlet-{i:03d}" for i in range(OUTLETS)]
    # Tier 0: international agencies; 1: national agencies; 2: everyone else.
    tiers = {o: 0 if i < 12 else 1 if i < 30 else 2 for i, o in enumerate(outlets)}
    staff = defaultdict(list)
    for j in range(JOURNALISTS):
        # Every outlet has at least one journalist; agencies and big broadcasters more.
        outlet = outlets[j] if j < OUTLETS else outlets[min(int(rng.paretovariate(1.2)) - 1,
                                                            OUTLETS - 1)]
        staff[outlet].append((f"j-{j:04d}", rng.choice(pools.KINDS)))
    speed = {o: rng.random() for o in outlets}  # how quickly each desk answers
    opportunities, requests, arrivals, reservations = [], {}, {}, {}
    for n in range(OPPORTUNITIES):
        opp = Opportunity(str(n), {"photo": rng.randint(3, 8), "tv": rng.randint(2, 5),
                                   "writer": rng.randint(2, 6), "agency": rng.randint(1, 3)})
        opportunities.append(opp)
        reservations[opp.id] = [Reservation("host-broadcaster", "tv", "host-tv-1",
                                            "host broadcaster"),
                                Reservation("host-photo", "photo", "host-photo-1",
                                            "host photographer")]
        asked = []
        for outlet in rng.sample(outlets, rng.randint(60, 180)):
            for rank, (journalist, kind) in enumerate(rng.sample(staff[outlet],
                                                                 min(2, len(staff[outlet])))):
                asked.append((speed[outlet] + rng.random() * 0.1,
                              Request(outlet, kind, journalist, rank)))
        requests[opp.id] = [r for _, r in asked]
        arrivals[opp.id] = [r for _, r in sorted(asked, key=lambda x: x[0])]
    return outlets, tiers, opportunities, requests, arrivals, reservations


def fairness(places_by_outlet, asked, tiers):
    counts = {o: places_by_outlet.get(o, 0) for o in asked}
    by_tier = defaultdict(list)
    for o, n in counts.items():
        by_tier[tiers[o]].append(n)
    return (round(pools.gini(list(counts.values())), 4),
            max(max(v) - min(v) for v in by_tier.values()),
            sum(1 for n in counts.values() if n == 0))


def main():
    rng = random.Random(SEED)
    outlets, tiers, opportunities, requests, arrivals, reservations = generate(rng)
    asked = {r.outlet for rs in requests.values() for r in rs}
    started = time.perf_counter()
    series = pools.allocate_series(opportunities, requests, tiers=tiers, seed=str(SEED),
                                   reservations=reservations)
    seconds = time.perf_counter() - started
    fair = defaultdict(int)
    for allocation in series:
        for place in allocation.places:
            if place.basis == pools.WON:
                fair[place.outlet] += 1
    fcfs = defaultdict(int)
    for opp in opportunities:
        for place in pools.first_come_first_served(opp, arrivals[opp.id], reservations[opp.id]):
            if place.basis == pools.WON:
                fcfs[place.outlet] += 1
    gini, spread, zero = fairness(fair, asked, tiers)
    gini_f, spread_f, zero_f = fairness(fcfs, asked, tiers)
    places = sum(fair.values())
    print(f"{OUTLETS} outlets, {JOURNALISTS} journalists, {OPPORTUNITIES} opportunities, "
          f"{sum(len(r) for r in requests.values())} requests, {places} places allotted in "
          f"{seconds:.2f} s")
    print(f"fair:  Gini {gini}, max spread within a tier {spread}, outlets with none {zero}")
    print(f"fcfs:  Gini {gini_f}, max spread within a tier {spread_f}, outlets with none {zero_f}")
    print(json.dumps({"seconds": round(seconds, 3), "gini": gini, "gini_fcfs": gini_f,
                      "max_spread_within_tier": spread,
                      "max_spread_within_tier_fcfs": spread_f,
                      "zero_place_outlets": zero, "zero_place_outlets_fcfs": zero_f}))


if __name__ == "__main__":
    main()
