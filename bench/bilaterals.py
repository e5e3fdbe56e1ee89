"""Bilateral scheduling: the CP-SAT scheduler against its proven bound and against first come,
first served (what secretariats do by hand), on seeded summit-shaped instances (issue 6).

Goals: within 0.5 % of the bound in 20 s for the first two sizes, within 2 % in 60 s for the
large side-event matchmaking case. Every schedule is also validated by the independent checker.
Prints one JSON object on its last line.
"""

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from convene.bilaterals.checker import check  # noqa: E402
from convene.bilaterals.generator import generate  # noqa: E402
from convene.bilaterals.greedy import solve_greedy  # noqa: E402
from convene.bilaterals.instance import parse_instance  # noqa: E402
from convene.bilaterals.solver import solve  # noqa: E402

CASES = [  # name, principals, requests, slots, rooms, time limit (s), goal gap
    ("summit-60", 60, 250, 24, 8, 20, 0.005),
    ("summit-120", 120, 900, 24, 12, 20, 0.005),
    ("matchmaking-400", 400, 3000, 32, 30, 60, 0.02),
]
SEED = 2025


def run(name, principals, requests, slots, rooms, limit, goal):
    data = generate(principals, requests, slots, rooms, seed=SEED)
    instance = parse_instance(data)
    started = time.perf_counter()
    baseline = solve_greedy(instance)
    greedy_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = solve(instance, time_limit=limit)
    seconds = time.perf_counter() - started
    problems = check(data, result.to_json()) + check(data, baseline.to_json())
    if problems:
        raise SystemExit(f"{name}: invalid schedule: {problems[:5]}")
    print(f"{name}: {len(data['requests'])} requests, {result.stats['variables']} variables; "
          f"objective {result.objective}, bound {result.bound} (gap {result.gap:.3%}, goal "
          f"{goal:.1%}: {'met' if result.gap <= goal else 'MISSED'}) in {seconds:.1f} s of "
          f"{limit} s; first come first served {baseline.objective} in {greedy_seconds:.2f} s "
          f"-> {result.objective / max(1, baseline.objective):.2f}x the priority served, "
          f"{len(result.meetings)} vs {len(baseline.meetings)} meetings")
    return {"name": name, "requests": len(data["requests"]), "objective": result.objective,
            "bound": result.bound, "gap": round(result.gap, 5),
            "greedy_objective": baseline.objective, "seconds": round(seconds, 2),
            "status": result.status, "time_limit": limit, "goal_gap": goal,
            "over_greedy": round(result.objective / max(1, baseline.objective), 3),
            "meetings": len(result.meetings), "greedy_meetings": len(baseline.meetings)}


if __name__ == "__main__":
    cases = [run(*case) for case in CASES]
    print(json.dumps({"cases": cases}))
