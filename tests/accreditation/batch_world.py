"""A stand-alone world for the worker fault test, run in its own process on its own database
(the test's SQLite file): `python tests/accreditation/batch_world.py populate N PART_SIZE`
prints the id of a queued batch of N badges; `... report BATCH` prints its state as JSON.

The fault test cannot use pytest's database: a real `convene db_worker` is a separate process.
"""

import json
import os
import sys
from datetime import date, timedelta

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "convene.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from convene.accounts.models import Role, RoleAssignment, User  # noqa: E402
from convene.accreditation import keys, services  # noqa: E402
from convene.accreditation.models import (  # noqa: E402
    Accreditation,
    Badge,
    BadgeBatch,
    BatchItem,
    BatchPart,
)
from convene.accreditation.storage import private_storage  # noqa: E402
from convene.accreditation.workflow import Stage  # noqa: E402
from convene.audit.models import AuditEvent  # noqa: E402
from convene.audit.services import verify_chain  # noqa: E402
from convene.core.models import Event  # noqa: E402
from convene.delegations.models import Delegation, Member  # noqa: E402
from convene.directory.models import Entity  # noqa: E402


def populate(n: int, part_size: int) -> None:
    services.PART_SIZE = part_size  # parts are cut when the batch is created, here
    keys.generate()
    event = Event.objects.create(slug="hanoi-2025", name="Signing Ceremony", venue="NCC",
                                 city="Hanoi", country="Viet Nam", start_date=date(2025, 10, 25),
                                 end_date=date(2025, 10, 26))
    services.ensure_defaults(event)
    organiser = User.objects.create_user("organiser", "o@example.org", "x-" * 8)
    RoleAssignment.objects.create(user=organiser, role=Role.ORGANISER)
    entity = Entity.objects.create(code="VNM", kind="member_state", name_en="Viet Nam",
                                   names={"en": "Viet Nam"})
    delegation = Delegation.objects.create(event=event, entity=entity, quota=n,
                                           nomination_deadline=timezone.now() + timedelta(1))
    members = Member.objects.bulk_create(
        [Member(delegation=delegation, given_name="Delegate", family_name=f"N{i:05d}")
         for i in range(n)])
    category = services.default_category(members[0])
    Accreditation.objects.bulk_create([Accreditation(member=m, category=category,
                                                     stage=Stage.APPROVED) for m in members])
    print(services.create_batch(organiser, event, "all_approved").pk)


def report(batch_id: int) -> None:
    batch = BadgeBatch.objects.get(pk=batch_id)
    per_acc = Badge.objects.values("accreditation").annotate(n=Count("id"))
    parts = [private_storage().exists(services.batch_part_name(batch.pk, p))
             for p in range(batch.parts)]
    print(json.dumps({
        "status": batch.status, "total": batch.total, "issued": batch.issued,
        "done": batch.done, "parts": batch.parts, "parts_done": batch.parts_done,
        "badges": Badge.objects.count(),
        "max_badges_per_accreditation": max((r["n"] for r in per_acc), default=0),
        "accreditations_with_a_badge": per_acc.count(),
        "issued_items": BatchItem.objects.filter(batch=batch, state="issued").count(),
        "rendered_parts": BatchPart.objects.filter(batch=batch, rendered_at__isnull=False)
        .count(), "part_files": sum(parts),
        "issued_audit_events": AuditEvent.objects.filter(action="badge.issued").count(),
        "audit_chain_problems": len(verify_chain()),
        "still_approved": Accreditation.objects.filter(stage=Stage.APPROVED).count(),
    }))


if __name__ == "__main__":
    {"populate": populate, "report": report}[sys.argv[1]](*map(int, sys.argv[2:]))
