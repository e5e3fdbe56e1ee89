"""Cost of the readiness dashboard: risks, critical path and burn-down over every item.

The dashboard (and the report, and each board load's escalation check) recomputes everything
from the data. This measures build_summary against merely loading the same items, for a
committee of 8 task forces with 400 and with 2,000 items (chains of dependencies across task
forces), and counts its queries. Prints one JSON object on its last line.
"""

import json
import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from _django import setup

setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from convene.core.models import Event  # noqa: E402
from convene.operations.models import ChecklistItem, TaskForce  # noqa: E402
from convene.operations.summary import build_summary  # noqa: E402

NOW = datetime(2025, 10, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def committee(slug: str, per_task_force: int) -> Event:
    rng = random.Random(7)
    event = Event.objects.create(slug=slug, name=slug, venue="v", city="c", country="x",
                                 start_date=date(2025, 10, 25), end_date=date(2025, 10, 26))
    items = []
    for order in range(8):
        tf = TaskForce.objects.create(event=event, area=f"area{order}", name=f"TF {order}")
        for k in range(per_task_force):
            status = rng.choice(["todo", "todo", "in_progress", "done"])
            items.append(ChecklistItem(
                task_force=tf, title=f"Item {order}.{k}", status=status,
                deadline=NOW + timedelta(days=rng.randint(-5, 10)),
                effort_days=rng.randint(1, 4), created_at=NOW - timedelta(days=40),
                completed_at=NOW - timedelta(days=rng.randint(0, 30))
                if status == "done" else None))
    ChecklistItem.objects.bulk_create(items)
    pks = list(ChecklistItem.objects.filter(task_force__event=event).order_by("pk")
               .values_list("pk", flat=True))
    through = ChecklistItem.depends_on.through
    # Each item waits on up to two earlier ones (any task force): a DAG, as the rules keep it.
    edges = {(pks[i], pks[rng.randrange(i)]) for i in range(1, len(pks))
             for _ in range(rng.randint(0, 2))}
    through.objects.bulk_create([through(from_checklistitem_id=a, to_checklistitem_id=b)
                                 for a, b in edges])
    return event


def timed(fn, repeat=5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


small, large = committee("small", 50), committee("large", 250)
plain = timed(lambda: list(ChecklistItem.objects.filter(task_force__event=large)
                           .select_related("task_force", "owner")))
summary_small = timed(lambda: build_summary(small, NOW))
summary_large = timed(lambda: build_summary(large, NOW))
with CaptureQueriesContext(connection) as ctx:
    s = build_summary(large, NOW)
print(f"2000 items: plain load {plain * 1000:.1f} ms, summary {summary_large * 1000:.1f} ms "
      f"({len(ctx.captured_queries)} queries); 400 items: summary {summary_small * 1000:.1f} ms; "
      f"critical path {len(s.critical_path)} items, {len(s.at_risk)} at risk")
print(json.dumps({
    "items": 2000,
    "summary_over_plain_load": round(summary_large / plain, 2),
    "summary_2000_over_400_items": round(summary_large / summary_small, 2),
    "summary_queries": len(ctx.captured_queries),
}))
