"""Cost of the audit trail: a chained, locked audit append against a plain row insert.

Every change in Convene writes one audit event in its transaction, so this ratio is what
auditing adds to each write. Prints one JSON object on its last line.
"""

import json
import time

from _django import setup

setup()

from django.db import transaction  # noqa: E402

from convene.audit.models import AuditEvent  # noqa: E402
from convene.audit.services import record, verify_chain  # noqa: E402
from convene.directory.models import Entity  # noqa: E402

N = 2000


def plain_inserts() -> float:
    start = time.perf_counter()
    for i in range(N):
        with transaction.atomic():
            Entity.objects.create(code=f"B{i}", kind="ngo", name_en=f"Bench {i}",
                                  names={"en": f"Bench {i}"})
    return time.perf_counter() - start


def audit_appends() -> float:
    start = time.perf_counter()
    for i in range(N):
        with transaction.atomic():
            record(None, "bench.event", None, object_type="bench", object_id=str(i),
                   after={"name": f"Bench {i}", "n": i})
    return time.perf_counter() - start


baseline = plain_inserts()
audited = audit_appends()
start = time.perf_counter()
assert verify_chain() == [] and AuditEvent.objects.count() == N
verify = time.perf_counter() - start
print(f"{N} plain inserts: {baseline:.2f}s; {N} audit appends: {audited:.2f}s; "
      f"verify: {verify:.2f}s")
print(json.dumps({
    "events": N,
    "audit_append_over_plain_insert": round(audited / baseline, 2),
    "verify_over_plain_insert_per_row": round(verify / baseline, 3),
}))
