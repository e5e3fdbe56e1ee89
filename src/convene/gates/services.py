"""What happens at the gates: online decisions, offline scan uploads, the gate's offline bundle.

An online gate asks the server, which decides with the live revocation list (so a revocation
reaches it at once). An offline gate decides on the device with the same rules
(static/gates/gate.js mirrors decision.py) from its cached bundle, queues its scans, and
uploads them when the network returns; each scan carries a UUID made on the device, so an
upload that is retried, or repeated, stores each scan once.
"""

import uuid as uuidlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.accounts.permissions import require as _require
from convene.accreditation import credential
from convene.accreditation import services as accreditation
from convene.accreditation.models import Badge, Zone
from convene.audit.services import record, snapshot
from convene.delegations.names import personal_name
from convene.gates import decision, passback
from convene.gates.models import Checkpoint, Direction, Presence, Scan

UNKNOWN_BADGE = "unknown_badge"  # authentically signed, but this server never issued it
POOL_POSITION = "pool_position"  # admitted by a press pool place (press/poolgate.py)
MAX_SYNC_BATCH = 500


class GateRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _context(checkpoint: Checkpoint) -> decision.Checkpoint:
    return decision.Checkpoint(zone_bit=checkpoint.zone.bit, direction=checkpoint.direction)


def _badge_id(token: str):
    """The badge id a token claims, without checking it (for look-ups only)."""
    try:
        return credential.parse(credential.decode(token))[0].badge_id
    except credential.CredentialError:
        return None


def _badges(ids):
    return {b.id: b for b in Badge.objects.filter(pk__in=[i for i in ids if i]).select_related(
        "accreditation__member__delegation__entity", "accreditation__category")}


# --- Online scans ---------------------------------------------------------------------------

@dataclass
class ScanResult:
    scan: Scan
    badge: Badge | None
    duplicate: bool = False


def _touch(checkpoint: Checkpoint, *, synced: bool = False) -> None:
    now = timezone.now()
    fields = {"last_seen_at": now, **({"last_sync_at": now} if synced else {})}
    Checkpoint.objects.filter(pk=checkpoint.pk).update(**fields)


@transaction.atomic
def scan(user, checkpoint: Checkpoint, *, scan_uuid, token: str, scanned_at=None,
         override: bool = False, override_reason: str = "") -> ScanResult:
    """Decide a scan on the server (the gate is online) and record it."""
    _require(user, "gates.operate", checkpoint)
    existing = Scan.objects.filter(uuid=scan_uuid).select_related("badge").first()
    if existing is not None:  # the gate retried a request whose answer it did not receive
        return ScanResult(existing, _badges([existing.badge_id]).get(existing.badge_id), True)
    if override:
        _require(user, "gates.override_passback", checkpoint)
        if not override_reason.strip():
            raise GateRefused(_("Give the reason for the override."))
    now = timezone.now()
    badge_id = _badge_id(token)
    badge = _badges([badge_id]).get(badge_id)
    revoked = {badge_id} if badge_id and (badge is None or badge.revoked_at) else set()
    inside = {badge_id} if badge_id and Presence.objects.filter(
        badge_id=badge_id, zone_id=checkpoint.zone_id, inside=True).exists() else set()
    verdict = decision.decide(token, _context(checkpoint), int(now.timestamp()),
                              keys=accreditation.public_keys(), revoked=revoked, inside=inside,
                              override=override)
    if verdict.reason == decision.ZONE_NOT_ALLOWED and badge is not None:
        # A published press pool place admits its holder here in its time window (issue 14).
        from convene.press.services import pool_admission

        if pool_admission(checkpoint, badge_id, now):
            verdict = decision.Verdict(True, POOL_POSITION, verdict.credential)
    reason = verdict.reason
    if reason == decision.REVOKED and badge is None:
        reason = UNKNOWN_BADGE
    row = Scan.objects.create(
        uuid=scan_uuid, checkpoint=checkpoint, zone_id=checkpoint.zone_id,
        direction=checkpoint.direction, badge_id=badge_id if badge else None,
        scanned_at=scanned_at or now, accepted=verdict.accepted, reason=reason,
        override=reason == decision.OVERRIDDEN,
        override_reason=override_reason.strip()[:300] if override else "", operator=user)
    if verdict.accepted and badge is not None:
        _update_presence({(badge.id, checkpoint.zone_id): (row.scanned_at, _goes_in(row))})
    if row.override:
        _record_override(user, row, badge)
    _touch(checkpoint)
    return ScanResult(row, badge)


def _goes_in(row: Scan) -> bool:
    return row.direction == Direction.ENTRY


def _record_override(user, row: Scan, badge: Badge | None) -> None:
    record(user, "gate.passback_overridden", row, after={
        "checkpoint": row.checkpoint_id, "badge": str(row.badge_id), "reason": row.override_reason,
        "offline": row.offline, "scanned_at": row.scanned_at.isoformat()},
        summary=f"{badge.accreditation.member.full_name if badge else row.badge_id} at "
                f"{row.checkpoint.name}: {row.override_reason}")


def _badge_zone_order(item) -> tuple:
    (badge_id, zone_id), _seen = item
    return str(badge_id), zone_id


def _update_presence(latest: dict) -> None:
    """latest: (badge id, zone id) -> (scanned at, inside?) of an accepted scan. A scan older
    than the presence already known (an offline gate uploading late) does not overwrite it."""
    if not latest:
        return
    known = {}
    badge_ids = {b for b, _zone in latest}
    for p in Presence.objects.filter(badge_id__in=badge_ids,
                                     zone_id__in={z for _badge, z in latest}):
        known[(p.badge_id, p.zone_id)] = p.last_scan_at
    rows = [Presence(badge_id=b, zone_id=z, inside=inside, last_scan_at=at)
            for (b, z), (at, inside) in sorted(latest.items(), key=_badge_zone_order)
            if (b, z) not in known or at >= known[(b, z)]]
    # In one order (badge, zone), so that two gates syncing at once take the rows' locks in the
    # same order on PostgreSQL and cannot deadlock each other.
    Presence.objects.bulk_create(rows, update_conflicts=True, unique_fields=["badge", "zone"],
                                 update_fields=["inside", "last_scan_at"])


# --- Offline uploads --------------------------------------------------------------------------

@dataclass(frozen=True)
class OfflineScan:
    uuid: uuidlib.UUID
    token: str
    scanned_at: datetime
    accepted: bool
    reason: str
    override: bool = False
    override_reason: str = ""


@dataclass
class SyncResult:
    received: int
    stored: int
    duplicates: int
    conflicts: list = None  # Scan rows this upload showed to be second entries (passback)


@transaction.atomic
def ingest(user, checkpoint: Checkpoint, items: list[OfflineScan]) -> SyncResult:
    """Store scans decided offline, each once whatever the number of uploads."""
    _require(user, "gates.operate", checkpoint)
    if len(items) > MAX_SYNC_BATCH:
        raise GateRefused(_("Upload at most %(n)d scans at a time.") % {"n": MAX_SYNC_BATCH})
    unique = {item.uuid: item for item in items}
    known = set(Scan.objects.filter(uuid__in=list(unique)).values_list("uuid", flat=True))
    new = [item for u, item in unique.items() if u not in known]
    claimed = {item.uuid: _badge_id(item.token) for item in new}
    known_badges = set(Badge.objects.filter(pk__in=[b for b in claimed.values() if b])
                       .values_list("pk", flat=True))
    rows = [Scan(uuid=item.uuid, checkpoint=checkpoint, zone_id=checkpoint.zone_id,
                 direction=checkpoint.direction,
                 badge_id=claimed[item.uuid] if claimed[item.uuid] in known_badges else None,
                 scanned_at=item.scanned_at, accepted=item.accepted, reason=item.reason[:20],
                 offline=True, override=item.override and item.accepted,
                 override_reason=item.override_reason[:300] if item.override else "",
                 operator=user) for item in new]
    # ignore_conflicts: a concurrent upload of the same scans cannot fail or double them.
    Scan.objects.bulk_create(rows, ignore_conflicts=True)
    latest: dict = {}
    for row in sorted(rows, key=lambda r: r.scanned_at):
        if row.accepted and row.badge_id:
            latest[(row.badge_id, row.zone_id)] = (row.scanned_at, _goes_in(row))
    _update_presence(latest)
    flagged = flag_passback_conflicts({(r.badge_id, r.zone_id) for r in rows
                                       if r.accepted and r.badge_id})
    # The answer lists the conflicts among the uploaded scans whether or not they were stored
    # just now (a re-sent upload whose first answer was lost still reports them), and the
    # scans of other gates that this upload showed to be second entries.
    conflicts = conflict_rows(Scan.objects.filter(uuid__in=list(unique), passback_conflict=True)
                              .values_list("pk", flat=True), flagged)
    overrides = [row for row in rows if row.override]
    if overrides:
        badges = _badges({row.badge_id for row in overrides})
        for row in overrides:
            row.checkpoint = checkpoint
            _record_override(user, row, badges.get(row.badge_id))
    _touch(checkpoint, synced=True)
    if rows:
        record(user, "gate.scans_synced", checkpoint,
               after={"received": len(items), "stored": len(rows),
                      "accepted": sum(r.accepted for r in rows),
                      "passback_conflicts": [str(c["uuid"]) for c in conflicts
                                             if c["id"] in flagged]},
               summary=f"{checkpoint.name}: {len(rows)} offline scans"
                       + (f", {len(flagged)} passback conflicts" if flagged else ""))
    return SyncResult(received=len(items), stored=len(rows), duplicates=len(items) - len(rows),
                      conflicts=conflicts)


def conflict_rows(*pk_sets) -> list[dict]:
    """The passback conflicts with these scan ids, as the sync answer and the live view show
    them: plain rows in one query (an upload can reveal hundreds)."""
    pks = set().union(*map(set, pk_sets))
    if not pks:
        return []
    rows = Scan.objects.filter(pk__in=pks).order_by("scanned_at").values(
        "id", "uuid", "badge_id", "scanned_at", "checkpoint__name",
        "conflict_with__scanned_at", "conflict_with__checkpoint__name",
        "badge__accreditation__member__title", "badge__accreditation__member__given_name",
        "badge__accreditation__member__family_name")
    member = "badge__accreditation__member__"
    return [{"id": r["id"], "uuid": r["uuid"], "badge_id": r["badge_id"],
             "name": " ".join(p for p in (r[member + "title"], personal_name(
                 r[member + "given_name"] or "", r[member + "family_name"] or "")) if p)
             if r[member + "family_name"] is not None else None,
             "checkpoint": r["checkpoint__name"], "scanned_at": r["scanned_at"],
             "inside_since": r["conflict_with__scanned_at"],
             "entered_at": r["conflict_with__checkpoint__name"]} for r in rows]


def flag_passback_conflicts(pairs: set) -> set:
    """Recompute the passback conflicts of these (badge, zone) pairs over every gate's accepted
    scans (passback.py) and store the flags; returns the ids of the scans newly flagged. A
    fixed number of queries whatever the crowd: read the timelines, one bulk update of the
    flags that changed."""
    if not pairs:
        return set()
    badge_ids = {b for b, _z in pairs}
    timelines: dict = {}
    rows = Scan.objects.filter(badge_id__in=badge_ids, zone_id__in={z for _b, z in pairs},
                               accepted=True).only(
        "id", "badge_id", "zone_id", "scanned_at", "direction", "override", "passback_conflict",
        "conflict_with_id")
    by_id = {}
    for row in rows:
        if (row.badge_id, row.zone_id) in pairs:
            by_id[row.pk] = row
            timelines.setdefault((row.badge_id, row.zone_id), []).append(passback.Passage(
                row.pk, row.scanned_at, row.direction == Direction.ENTRY, row.override))
    found = {}
    for timeline in timelines.values():
        found.update(passback.conflicts(timeline))
    changed, newly = [], []
    for pk, row in by_id.items():
        with_id = found.get(pk)
        if row.passback_conflict != (with_id is not None) or row.conflict_with_id != with_id:
            if with_id is not None and not row.passback_conflict:
                newly.append(pk)
            row.passback_conflict, row.conflict_with_id = with_id is not None, with_id
            changed.append(row)
    if changed:
        # One prepared statement run for each changed row: bulk_update's CASE expression costs
        # far more to build in Python than the rows cost to write (it was 80 % of an upload
        # in which most scans were second entries).
        table = connection.ops.quote_name(Scan._meta.db_table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET passback_conflict = %s, conflict_with_id = %s WHERE id = %s",
                [(r.passback_conflict, r.conflict_with_id, r.pk) for r in changed])
    return set(newly)


# --- What an offline gate keeps ---------------------------------------------------------------

def bundle(user, checkpoint: Checkpoint) -> dict:
    """Keys, revocations, who is inside, and the people this gate may have to show."""
    _require(user, "gates.operate", checkpoint)
    now = timezone.now()
    valid = Badge.objects.filter(valid_until__gt=now, accreditation__member__delegation__event=(
        checkpoint.event_id))
    revoked = [str(b) for b in valid.filter(revoked_at__isnull=False).values_list("id",
                                                                                  flat=True)]
    shown = valid.filter(revoked_at__isnull=True)
    if checkpoint.direction == Direction.ENTRY:
        shown = shown.annotate(in_zone=F("zones_mask").bitand(1 << checkpoint.zone.bit)).filter(
            in_zone__gt=0)
    people = {}
    for b in shown.select_related("accreditation__member__delegation__entity",
                                  "accreditation__category"):
        acc = b.accreditation
        people[str(b.id)] = {
            "name": acc.member.full_name, "delegation": str(acc.member.delegation.entity),
            "category": acc.category.name, "colour": acc.category.colour,
            "zones": b.zone_codes,
            "photo": reverse("gates:photo", args=[b.id]) if acc.photo_thumb else "",
        }
    inside = [str(b) for b in Presence.objects.filter(zone_id=checkpoint.zone_id, inside=True)
              .values_list("badge_id", flat=True)]
    _touch(checkpoint)
    return {
        "checkpoint": {"id": checkpoint.pk, "name": checkpoint.name,
                       "zone": checkpoint.zone.code, "zone_bit": checkpoint.zone.bit,
                       "direction": checkpoint.direction},
        "keys": [{"kid": kid.hex(), "public_key": credential.encode(credential.public_raw(k))}
                 for kid, k in accreditation.public_keys().items()],
        "revoked": revoked, "inside": inside, "people": people,
        "server_time": now.isoformat(), "pools": _pool_list(checkpoint),
    }


def _pool_list(checkpoint: Checkpoint) -> dict | None:
    """The press pool places admitting to this zone, signed (press.services)."""
    from convene.press.services import signed_pool_list

    return signed_pool_list(checkpoint)


def person_display(badge: Badge | None) -> dict | None:
    if badge is None:
        return None
    acc = badge.accreditation
    return {"name": acc.member.full_name, "delegation": str(acc.member.delegation.entity),
            "category": acc.category.name, "colour": acc.category.colour,
            "zones": badge.zone_codes,
            "photo": reverse("gates:photo", args=[badge.id]) if acc.photo_thumb else ""}


# --- Checkpoints --------------------------------------------------------------------------------

@transaction.atomic
def create_checkpoint(user, event, name: str, zone: Zone, direction: str) -> Checkpoint:
    _require(user, "gates.manage_checkpoints")
    checkpoint = Checkpoint(event=event, name=name, zone=zone, direction=direction)
    checkpoint.full_clean()
    checkpoint.save()
    record(user, "checkpoint.created", checkpoint,
           after=snapshot(checkpoint, ["name", "zone", "direction"]), summary=name)
    return checkpoint


def stale_since(minutes: int) -> datetime:
    return timezone.now() - timedelta(minutes=minutes)
