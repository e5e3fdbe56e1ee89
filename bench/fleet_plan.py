"""The fleet planner (issue 13) on summit-shaped instances: about 150 delegations, 2,000
movements over three days, four vehicle categories, with and without a duty limit.

For each case: solve time, vehicles used against the proven lower bound, and against a greedy
first-fit dispatcher (movements by pickup time, each to the first free vehicle) measured in the
same run. Every plan is checked by the tests' independent checker rules (no overlap by the
issue's formula, categories, duty). Prints one JSON object on its last line.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from convene.reception.fleet import parse_instance, plan, plan_first_fit  # noqa: E402
from convene.reception.generator import generate  # noqa: E402

CASES = [  # name, max duty minutes, time limit (s)
    ("no-duty-limit", None, 30),
    ("duty-720", 720, 20),
    ("duty-600", 600, 20),
]
SEED = 2025


def run(name, duty, limit):
    data = generate(delegations=150, movements=2000, days=3, seed=SEED,
                    max_duty_minutes=duty, fleet_factor=3)
    instance = parse_instance(data)
    started = time.perf_counter()
    greedy = plan_first_fit(instance)
    greedy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = plan(instance, time_limit=limit)
    seconds = time.perf_counter() - started
    used, bound = sum(result.vehicles_used.values()), sum(result.lower_bound.values())
    greedy_used = sum(greedy.vehicles_used.values())
    print(f"{name}: {len(data['movements'])} movements, {len(data['vehicles'])} vehicles in "
          f"the pool; planner {used} vehicles (lower bound {bound}, gap "
          f"{(used - bound) / max(1, bound):.1%}) in {seconds:.1f} s of {limit} s, "
          f"{len(result.unassigned)} unserved; first fit {greedy_used} vehicles in "
          f"{greedy_seconds:.2f} s, {len(greedy.unassigned)} unserved -> "
          f"{greedy_used / max(1, used):.3f}x the vehicles; per category "
          f"{result.vehicles_used} vs bound {result.lower_bound} vs first fit "
          f"{greedy.vehicles_used}")
    return {"name": name, "movements": len(data["movements"]), "max_duty_minutes": duty,
            "seconds": round(seconds, 2), "time_limit": limit,
            "vehicles_used": used, "lower_bound": bound,
            "gap": round((used - bound) / max(1, bound), 4),
            "greedy_vehicles": greedy_used, "greedy_seconds": round(greedy_seconds, 2),
            "greedy_over_planner": round(greedy_used / max(1, used), 3),
            "unassigned": len(result.unassigned), "greedy_unassigned": len(greedy.unassigned),
            "by_category": {c: {"used": result.vehicles_used[c],
                                "lower_bound": result.lower_bound[c],
                                "greedy": greedy.vehicles_used.get(c, 0)}
                            for c in sorted(result.vehicles_used)}}


if __name__ == "__main__":
    cases = [run(*case) for case in CASES]
    print(json.dumps({"cases": cases}))
