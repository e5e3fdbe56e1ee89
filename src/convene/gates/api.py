"""Gate devices over JSON: the offline bundle, online scans, offline uploads, the live view."""

from datetime import datetime
from uuid import UUID

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from convene.core.models import current_event
from convene.gates import live as live_rules
from convene.gates import services
from convene.gates.models import Checkpoint
from convene.gates.reasons import label

router = Router(tags=["gates"])


class Error(Schema):
    detail: str


DENIED = {401: Error, 403: Error, 404: Error}


class CheckpointOut(Schema):
    id: int
    name: str
    zone: str
    direction: str
    last_seen_at: datetime | None


class Person(Schema):
    name: str
    delegation: str
    category: str
    colour: str
    zones: str
    photo: str


class ScanIn(Schema):
    uuid: UUID
    token: str = Field(max_length=1000)
    scanned_at: datetime | None = None
    override: bool = False
    override_reason: str = Field("", max_length=300)


class ScanOut(Schema):
    uuid: UUID
    accepted: bool
    reason: str
    message: str
    badge_id: UUID | None
    person: Person | None
    duplicate: bool


class OfflineScanIn(Schema):
    uuid: UUID
    token: str = Field(max_length=1000)
    scanned_at: datetime
    accepted: bool
    reason: str = Field(max_length=20)
    override: bool = False
    override_reason: str = Field("", max_length=300)


class SyncIn(Schema):
    scans: list[OfflineScanIn] = Field(max_length=services.MAX_SYNC_BATCH)


class ConflictOut(Schema):
    """An accepted entry made while the badge was already inside the zone (offline gates)."""
    uuid: UUID
    badge_id: UUID | None
    name: str | None
    checkpoint: str
    scanned_at: datetime
    inside_since: datetime | None
    entered_at: str | None  # the checkpoint of the entry that had let the badge in


class SyncOut(Schema):
    received: int
    stored: int
    duplicates: int
    conflicts: list[ConflictOut]


class Bundle(Schema):
    checkpoint: dict
    keys: list[dict]
    revoked: list[str]
    inside: list[str]
    people: dict[str, Person]
    server_time: datetime
    pools: dict | None = None  # signed press pool list (press.services.signed_pool_list)


class ZoneLive(Schema):
    code: str
    name: str
    inside: int


class MinuteLive(Schema):
    minute: datetime
    accepted: int
    rejected: int


class RejectedLive(Schema):
    scanned_at: datetime
    checkpoint: str
    reason: str
    message: str
    name: str | None


class GatesLiveOut(Schema):  # not "LiveOut": the run-of-show has one
    zones: list[ZoneLive]
    minutes: list[MinuteLive]
    rejected: list[RejectedLive]
    stale_checkpoints: list[str]
    conflicts: list[ConflictOut]


def _conflict(row: dict) -> dict:
    return {k: row[k] for k in ("uuid", "badge_id", "name", "checkpoint", "scanned_at",
                                "inside_since", "entered_at")}


def _checkpoint(request, pk: int) -> Checkpoint:
    if not request.user.has_perm("gates.operate"):
        raise HttpError(403, "You may not do this.")
    return get_object_or_404(Checkpoint.objects.select_related("zone"), pk=pk)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is not None and timezone.is_naive(moment):
        return timezone.make_aware(moment)
    return moment


@router.get("/checkpoints", response={200: list[CheckpointOut], **DENIED},
            url_name="gates_checkpoints")
def list_checkpoints(request):
    if not request.user.has_perm("gates.operate"):
        raise HttpError(403, "You may not do this.")
    return [{"id": c.pk, "name": c.name, "zone": c.zone.code, "direction": c.direction,
             "last_seen_at": c.last_seen_at}
            for c in Checkpoint.objects.filter(event=current_event()).select_related("zone")]


@router.get("/checkpoints/{pk}/bundle", response={200: Bundle, **DENIED},
            summary="What a gate caches to decide offline: keys, revocations, people",
            url_name="gates_bundle")
def bundle(request, pk: int):
    return services.bundle(request.user, _checkpoint(request, pk))


@router.post("/checkpoints/{pk}/scans", response={200: ScanOut, 409: Error, **DENIED},
             summary="Decide a scan now (online gate)", url_name="gates_scan")
def scan(request, pk: int, payload: ScanIn):
    checkpoint = _checkpoint(request, pk)
    try:
        result = services.scan(request.user, checkpoint, scan_uuid=payload.uuid,
                               token=payload.token, scanned_at=_aware(payload.scanned_at),
                               override=payload.override,
                               override_reason=payload.override_reason)
    except services.GateRefused as exc:
        return 409, {"detail": exc.message}
    row = result.scan
    return {"uuid": row.uuid, "accepted": row.accepted, "reason": row.reason,
            "message": label(row.reason), "badge_id": row.badge_id,
            "person": services.person_display(result.badge), "duplicate": result.duplicate}


@router.post("/checkpoints/{pk}/sync", response={200: SyncOut, 409: Error, **DENIED},
             summary="Upload scans decided offline (idempotent: each scan UUID counts once)",
             url_name="gates_sync")
def sync(request, pk: int, payload: SyncIn):
    checkpoint = _checkpoint(request, pk)
    items = [services.OfflineScan(uuid=s.uuid, token=s.token, scanned_at=_aware(s.scanned_at),
                                  accepted=s.accepted, reason=s.reason, override=s.override,
                                  override_reason=s.override_reason) for s in payload.scans]
    try:
        result = services.ingest(request.user, checkpoint, items)
    except services.GateRefused as exc:
        return 409, {"detail": exc.message}
    return {"received": result.received, "stored": result.stored,
            "duplicates": result.duplicates,
            "conflicts": [_conflict(s) for s in result.conflicts]}


@router.get("/live", response={200: GatesLiveOut, **DENIED},
            summary="People inside each zone, scans per minute, rejections, silent gates, "
                    "passback conflicts found after offline gates synced",
            url_name="gates_live")
def live(request, stale: int = Query(5, ge=1, le=24 * 60)):  # minutes; a day at most
    if not request.user.has_perm("gates.view_live"):
        raise HttpError(403, "You may not do this.")
    summary = live_rules.summarise(current_event(), timezone.now(), max(stale, 1))
    return {
        "zones": [{"code": z.code, "name": z.name, "inside": n} for z, n in summary.zones],
        "minutes": [{"minute": m.minute, "accepted": m.accepted, "rejected": m.rejected}
                    for m in summary.minutes],
        "rejected": [{"scanned_at": s.scanned_at, "checkpoint": s.checkpoint.name,
                      "reason": s.reason, "message": label(s.reason),
                      "name": s.badge.accreditation.member.full_name if s.badge else None}
                     for s in summary.rejected],
        "stale_checkpoints": [c.name for c in summary.stale],
        "conflicts": [_conflict(s) for s in summary.conflicts],
    }
