"""Badge PDF rate: 1,000 badges with mixed scripts and photos, printed by background workers.

The real path: a batch issued through the service (signed credentials, audit), its parts
queued as tasks in the database, and two `convene db_worker --batch` processes (one per core
of this machine) rendering them, as `make demo` and production run. The clock runs from the
workers' start (their start-up included) to the last part written. The baseline, measured in
the same run, is one process rendering badges in-process (render_pdf), which is what a single
worker does without the task machinery. Goal: 5,000 badges in under a minute.

The projection to 5,000 counts the workers' start-up once (a 5,000-badge batch starts them
once too), timed in the same run with an empty queue, and the rest of the 1,000-badge time
five times. `BADGES=5000 make bench` renders 5,000 for real instead of projecting.
Prints one JSON object on its last line.
"""

import io
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from _django import ROOT, setup

os.environ.setdefault("CONVENE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
setup()

from datetime import timedelta  # noqa: E402

from django.core.files.base import ContentFile  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from convene.accounts.models import Role, RoleAssignment, User  # noqa: E402
from convene.accreditation import badges as badge_pdf  # noqa: E402
from convene.accreditation import keys, services  # noqa: E402
from convene.accreditation.models import (  # noqa: E402
    Accreditation,
    BadgeBatch,
    BadgeSettings,
    Category,
)
from convene.accreditation.storage import private_storage  # noqa: E402
from convene.accreditation.tasks import badge_data, part_badges  # noqa: E402
from convene.core.models import Event  # noqa: E402
from convene.delegations.models import Delegation, Member  # noqa: E402
from convene.directory.models import Entity  # noqa: E402

N = int(os.environ.get("BADGES", 1000))
WORKERS = 2
BASELINE = 100
NAMES = [("Van A", "Nguyễn"), ("华", "李"), ("ليلى", "حسن"), ("Анна", "Смирнова"),
         ("Hélène", "Lefèvre"), ("José", "Peña"), ("Mohamed", "Salah"), ("Amina", "Diallo")]


def photo(i: int) -> bytes:
    image = Image.new("RGB", (420, 540), (40 + i * 23 % 180, 90, 140))
    draw = ImageDraw.Draw(image)
    draw.ellipse((130, 90, 290, 270), fill=(236, 220, 200))
    draw.rounded_rectangle((70, 300, 350, 600), radius=90, fill=(236, 220, 200))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()


def populate():
    keys.generate()
    event = Event.objects.create(slug="bench", name="Signing Ceremony of the United Nations "
                                 "Convention against Cybercrime", venue="NCC", city="Hanoi",
                                 country="Viet Nam", start_date=timezone.localdate(),
                                 end_date=timezone.localdate() + timedelta(days=1))
    services.ensure_defaults(event)
    organiser = User.objects.create_user("organiser")
    RoleAssignment.objects.create(user=organiser, role=Role.ORGANISER)
    BadgeSettings.objects.filter(event=event).update(valid_from=timezone.now(),
                                                     valid_until=timezone.now() + timedelta(3))
    storage = private_storage()
    photos = [storage.save(f"accreditation/photos/bench-{i}.jpg", ContentFile(photo(i)))
              for i in range(8)]
    categories = list(Category.objects.filter(event=event))
    delegations = [Delegation.objects.create(
        event=event, entity=Entity.objects.create(code=f"S{d:02}", kind="member_state",
                                                  name_en=f"State {d}", names={}),
        quota=N, nomination_deadline=timezone.now()) for d in range(20)]
    members = Member.objects.bulk_create([Member(
        delegation=delegations[i % 20], given_name=NAMES[i % 8][0],
        family_name=NAMES[i % 8][1], title="H.E." if i % 5 == 0 else "") for i in range(N)])
    Accreditation.objects.bulk_create([Accreditation(
        member=m, category=categories[i % len(categories)], stage="approved",
        vetting="cleared", photo="" if i % 10 == 0 else photos[i % 8])
        for i, m in enumerate(members)])
    return event, organiser


def baseline_rate(batch_id: int) -> float:
    rows = part_badges(batch_id, 0)[:BASELINE]
    data = [badge_data(b) for b in rows]
    badge_pdf.render_pdf(data[:2])  # warm up: fonts, WeasyPrint import
    start = time.perf_counter()
    badge_pdf.render_pdf(data)
    return len(data) / (time.perf_counter() - start)


WORKER = [sys.executable, "-m", "convene", "db_worker", "--batch", "--no-startup-delay",
          "--interval", "0.2", "--skip-checks", "-v", "0"]


def worker_start_seconds() -> float:
    """A worker's start-up and its first look at the queue (empty here): Django, the apps."""
    start = time.perf_counter()
    subprocess.run(WORKER, cwd=ROOT, check=True)
    return time.perf_counter() - start


def main():
    event, organiser = populate()
    connections.close_all()
    startup = worker_start_seconds()  # nothing queued yet: start-up alone
    start = time.perf_counter()
    batch = services.create_batch(organiser, event, "all_approved")  # queues the issuing
    # Issued here, in-process, so that issue_seconds stays the signing figure it was and the
    # workers below render only (their queued issue task then finds nothing pending).
    services.issue_batch(batch.pk)  # queues the parts
    issue_s = time.perf_counter() - start
    single = baseline_rate(batch.pk)
    connections.close_all()
    load = os.getloadavg()[0]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    workers = [subprocess.Popen(WORKER, cwd=ROOT) for _ in range(WORKERS)]
    for w in workers:
        w.wait()
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    batch = BadgeBatch.objects.get(pk=batch.pk)
    assert batch.status == "done" and batch.done == N, (batch.status, batch.done, batch.error)
    sizes = [private_storage().size(services.batch_part_name(batch.pk, p))
             for p in range(batch.parts)]
    rate = N / wall
    projected = startup + (wall - startup) * 5000 / N
    print(f"issued and signed {N} badges in {issue_s:.1f}s; one process renders "
          f"{single:.1f} badges/s; a worker starts in {startup:.1f}s; {WORKERS} workers "
          f"rendered {N} in {wall:.1f}s ({rate:.1f}/s, {rate / single:.2f}x one process), "
          f"{batch.parts} PDFs, {sum(sizes) / 1e6:.1f} MB; the workers used {cpu:.1f} "
          f"CPU-seconds (load average {load:.1f} on {os.cpu_count()} cores when they started: "
          f"a busy machine slows the wall-clock figure, not the CPU cost)")
    print(json.dumps({
        "badges": N,
        "workers": WORKERS,
        "badges_per_second": round(rate, 1),
        "seconds": round(wall, 1),
        "projected_5000_seconds": round(projected, 1),
        "worker_start_seconds": round(startup, 2),
        "single_process_badges_per_second": round(single, 1),
        "workers_over_single_process": round(rate / single, 2),
        "issue_seconds": round(issue_s, 1),
        "cpu_ms_per_badge": round(cpu / N * 1000, 1),
        "load_average_at_start": round(load, 2),
    }))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
