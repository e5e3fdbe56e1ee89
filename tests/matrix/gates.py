"""Gate pages and API (issue 3)."""

import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from convene.accreditation import services as accreditation
from convene.accreditation.models import Badge, Zone
from convene.gates.models import Checkpoint
from tests.accreditation.helpers import photo_bytes
from tests.matrix import EVERYONE, Operation, Page

GATE = ["organiser", "security_officer"]
LIVE = ["organiser", "security_officer", "observer"]


def prepare(world):
    accreditation.ensure_defaults(world.event)
    acc = accreditation.upload_photo(world.users["organiser"], world.member, photo_bytes())
    zone = Zone.objects.get(event=world.event, code="P")
    world.checkpoint = Checkpoint.objects.create(event=world.event, name="Plenary north",
                                                 zone=zone)
    now = timezone.now()
    world.badge = Badge.objects.create(
        accreditation=acc, key_id="00000000", category_number=acc.category.number, zones_mask=1,
        zone_codes="P", valid_from=now, valid_until=now + timedelta(days=1), token="x")


def _plain(name):
    return lambda w: reverse(name)


def _cp(name):
    return lambda w: reverse(name, kwargs={"pk": w.checkpoint.pk})


PAGES = {
    "gates:index": Page(GATE, _plain("gates:index")),
    "gates:checkpoint_create": Page(GATE, _plain("gates:checkpoint_create"), "post"),
    "gates:gate": Page(GATE, _cp("gates:gate")),
    "gates:service_worker": Page(EVERYONE, _plain("gates:service_worker")),
    "gates:photo": Page(GATE, lambda w: reverse("gates:photo", args=[w.badge.id])),
    "gates:live": Page(LIVE, _plain("gates:live")),
    "gates:live_panel": Page(LIVE, _plain("gates:live_panel")),
}


def _api(path):
    return lambda w: path.replace("{pk}", str(w.checkpoint.pk))


OPERATIONS = {
    ("get", "/api/gates/checkpoints"): Operation(GATE),
    ("get", "/api/gates/checkpoints/{pk}/bundle"): Operation(
        GATE, _api("/api/gates/checkpoints/{pk}/bundle")),
    ("post", "/api/gates/checkpoints/{pk}/scans"): Operation(
        GATE, _api("/api/gates/checkpoints/{pk}/scans"),
        lambda w: {"uuid": str(uuid.uuid4()), "token": "not-a-badge"}),
    ("post", "/api/gates/checkpoints/{pk}/sync"): Operation(
        GATE, _api("/api/gates/checkpoints/{pk}/sync"), lambda w: {"scans": []}),
    ("get", "/api/gates/live"): Operation(LIVE),
}
