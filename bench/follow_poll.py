"""What a screen following a session costs the server: its 2-second poll of the live panel
when nothing has changed (304 Not Modified, one small query) against a full render (200).

A ceremony hall may have dozens of screens following the opening session, so the unchanged
poll is what the server pays almost all the time. Prints one JSON object on its last line.
"""

import json
import time
from datetime import datetime, timedelta

from _django import setup

setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from convene.accounts.models import Role, RoleAssignment, User  # noqa: E402
from convene.core.models import Event  # noqa: E402
from convene.programme import services  # noqa: E402
from convene.programme.models import Cue, Day, Room, Session  # noqa: E402

N = 300
settings.ALLOWED_HOSTS = ["*"]

event = Event.objects.create(slug="bench", name="Bench", venue="Hall", city="Hanoi",
                             country="Viet Nam", start_date=datetime(2025, 10, 25).date(),
                             end_date=datetime(2025, 10, 26).date())
day = Day.objects.create(event=event, date=event.start_date)
room = Room.objects.create(event=event, name="Plenary Hall", capacity=1500)
start = timezone.make_aware(datetime(2025, 10, 25, 9, 0))
session = Session.objects.create(event=event, day=day, kind="opening", title="Opening session",
                                 starts_at=start, ends_at=start + timedelta(hours=2), room=room)
for i in range(40):
    Cue.objects.create(session=session, position=i + 1, planned_at=start + timedelta(minutes=i),
                       duration_seconds=60, what=f"Cue {i + 1}", where="Podium")
user = User.objects.create_user("bench-organiser", password="x" * 12)
RoleAssignment.objects.create(user=user, role=Role.ORGANISER)
run = services.start_run(user, session, "rehearsal")
for _ in range(10):
    services.go(user, run)

client = Client()
client.force_login(user)
url = f"/programme/sessions/{session.pk}/live/"
etag = client.get(url)["ETag"]


def polls(headers: dict) -> tuple[float, int, int]:
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        for _ in range(N):
            status = client.get(url, **headers).status_code
        elapsed = time.perf_counter() - t0
    return elapsed, status, len(ctx.captured_queries) // N


full, full_status, full_queries = polls({})
unchanged, not_modified, unchanged_queries = polls({"HTTP_IF_NONE_MATCH": etag})
assert (full_status, not_modified) == (200, 304)
print(f"{N} full renders: {full:.2f}s ({full_queries} queries each); {N} unchanged polls: "
      f"{unchanged:.2f}s ({unchanged_queries} queries each)")
print(json.dumps({
    "polls": N,
    "unchanged_poll_over_full_render": round(unchanged / full, 3),
    "queries_full_render": full_queries,
    "queries_unchanged_poll": unchanged_queries,
}))
