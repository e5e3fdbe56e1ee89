"""Scan-sync ingest: offline gate scans uploaded in batches of 500, on SQLite and PostgreSQL.

Each upload goes through gates.services.ingest, as the sync endpoint does: one transaction
that skips scans already stored (by their UUID), stores the new ones, updates who is inside
each zone, and writes one audit event. The baseline, in the same run and database, is a plain
bulk insert of the same rows (no idempotency, no presence, no audit). Every batch is uploaded
twice, as a gate that lost the first answer would: the second upload must store nothing.

Run plainly (`make bench`): it measures SQLite, then re-runs itself under
scripts/with-postgres.sh (a throwaway PostgreSQL server) for the PostgreSQL figure. With
DATABASE_URL set, it measures that database only. Prints one JSON object on its last line.
"""

import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _django import ROOT, setup  # noqa: E402

BATCHES = 20
BATCH = 500
CHILD_FLAG = "--measure-only"


def measure() -> dict:
    setup()
    from django.db import connection, transaction
    from django.utils import timezone

    from convene.accounts.models import Role, RoleAssignment, User
    from convene.accreditation import credential, keys, services
    from convene.accreditation.models import Accreditation, Badge, Category, Zone
    from convene.core.models import Event
    from convene.delegations.models import Delegation, Member
    from convene.directory.models import Entity
    from convene.gates.models import Checkpoint, Scan

    random.seed(7)
    event = Event.objects.create(slug="bench", name="Bench", venue="NCC", city="Hanoi",
                                 country="Viet Nam", start_date=timezone.localdate(),
                                 end_date=timezone.localdate() + timedelta(days=1))
    services.ensure_defaults(event)
    operator = User.objects.create_user("gate")
    RoleAssignment.objects.create(user=operator, role=Role.SECURITY_OFFICER)
    delegation = Delegation.objects.create(
        event=event, entity=Entity.objects.create(code="BEN", kind="member_state",
                                                  name_en="Bench", names={}),
        quota=5000, nomination_deadline=timezone.now())
    category = Category.objects.get(event=event, code="delegate")
    members = Member.objects.bulk_create([Member(delegation=delegation, family_name=f"P{i}")
                                          for i in range(2000)])
    accs = Accreditation.objects.bulk_create([Accreditation(member=m, category=category,
                                                            stage="issued") for m in members])
    key_dir = Path(os.environ["CONVENE_VAR_DIR"]) / "badge-keys"
    keys.generate(key_dir)
    kid, key = keys.signing_key(key_dir)
    now = timezone.now()
    badges = Badge.objects.bulk_create([Badge(
        accreditation=a, key_id=kid, category_number=category.number, zones_mask=1,
        zone_codes="P", valid_from=now - timedelta(days=1), valid_until=now + timedelta(days=1),
        token="") for a in accs])
    for b in badges:
        b.token = credential.sign(key, badge_id=b.id, category=category.number, zones=1,
                                  valid_from=int(b.valid_from.timestamp()),
                                  valid_until=int(b.valid_until.timestamp()))
    zone = Zone.objects.get(event=event, code="P")
    gates = [Checkpoint.objects.create(event=event, name=f"Gate {i}", zone=zone)
             for i in range(4)]

    def batch_of_scans(n, start):
        return [services_gates.OfflineScan(
            uuid=uuid.uuid4(), token=random.choice(badges).token,
            scanned_at=start + timedelta(seconds=i), accepted=random.random() < 0.9,
            reason="accepted") for i in range(n)]

    from convene.gates import services as services_gates

    uploads = [batch_of_scans(BATCH, now + timedelta(hours=b)) for b in range(BATCHES)]
    baseline_rows = [[Scan(uuid=uuid.uuid4(), checkpoint=gates[0], zone=zone, direction="entry",
                           badge_id=random.choice(badges).id, scanned_at=now, accepted=True,
                           reason="accepted", offline=True, operator=operator)
                      for _ in range(BATCH)] for _ in range(BATCHES)]

    start = time.perf_counter()
    for rows in baseline_rows:
        with transaction.atomic():
            Scan.objects.bulk_create(rows)
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    for i, items in enumerate(uploads):
        result = services_gates.ingest(operator, gates[i % len(gates)], items)
        assert result.stored == BATCH, result
    ingest = time.perf_counter() - start
    start = time.perf_counter()
    for i, items in enumerate(uploads):  # the same uploads again: nothing is stored twice
        assert services_gates.ingest(operator, gates[i % len(gates)], items).stored == 0
    repeat = time.perf_counter() - start
    scans = BATCHES * BATCH
    assert Scan.objects.filter(offline=True).count() == 2 * scans
    return {
        "database": connection.vendor,
        "scans": scans,
        "scans_per_second": round(scans / ingest),
        "plain_insert_per_second": round(scans / baseline),
        "ingest_over_plain_insert": round(ingest / baseline, 2),
        "repeat_upload_scans_per_second": round(scans / repeat),
    }


def postgres_figures() -> dict | None:
    """Run this file again under a throwaway PostgreSQL server (scripts/with-postgres.sh)."""
    script = ROOT / "scripts" / "with-postgres.sh"
    try:
        done = subprocess.run(["bash", str(script), sys.executable, __file__, CHILD_FLAG],
                              cwd=ROOT, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        print(f"PostgreSQL not measured: {exc}")
        return None
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        print(f"PostgreSQL not measured (exit {done.returncode}): "
              f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}")
        return None
    return json.loads(lines[-1])


def main():
    if CHILD_FLAG in sys.argv or os.environ.get("DATABASE_URL"):
        figures = measure()
        print(json.dumps(figures))
        return
    sqlite = measure()
    print(f"SQLite: {sqlite['scans_per_second']} scans/s in batches of {BATCH} "
          f"({sqlite['ingest_over_plain_insert']}x a plain insert of the same rows; "
          f"a repeated upload: {sqlite['repeat_upload_scans_per_second']} scans/s)")
    postgres = postgres_figures()
    if postgres:
        print(f"PostgreSQL: {postgres['scans_per_second']} scans/s "
              f"({postgres['ingest_over_plain_insert']}x a plain insert; a repeated upload: "
              f"{postgres['repeat_upload_scans_per_second']} scans/s)")
    print(json.dumps({
        "batch": BATCH,
        "sqlite_scans_per_second": sqlite["scans_per_second"],
        "postgres_scans_per_second": postgres["scans_per_second"] if postgres else None,
        "sqlite_ingest_over_plain_insert": sqlite["ingest_over_plain_insert"],
        "postgres_ingest_over_plain_insert":
            postgres["ingest_over_plain_insert"] if postgres else None,
    }))


if __name__ == "__main__":
    main()
