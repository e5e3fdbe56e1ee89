"""What people do with accreditations: each action is one transaction, checked and audited.

Views, the JSON API, the delegation pages and the demo call these functions; the rules they
apply are in workflow.py (steps), photos.py (uploads) and credential.py (the signed QR).
Member.status (delegations) is the delegation list's summary of the accreditation stage and is
written here only.
"""

import json
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.accounts.permissions import require as _require
from convene.accreditation import credential, keys, notifications, workflow
from convene.accreditation.models import (
    Accreditation,
    Badge,
    BadgeBatch,
    BadgeSettings,
    BatchItem,
    BatchPart,
    BatchScope,
    BatchStatus,
    Category,
    ItemState,
    SigningKey,
    Zone,
)
from convene.accreditation.photos import check_and_crop
from convene.accreditation.workflow import Stage, Vetting, WorkflowRefused
from convene.audit.services import Entry, record, record_many, snapshot
from convene.delegations.models import Member

log = logging.getLogger(__name__)

DEFAULTS_FILE = settings.BASE_DIR / "data" / "accreditation" / "defaults.json"
PART_SIZE = 100  # badges per PDF part: parts render in parallel on the task workers
MAX_PARTS = 20  # a larger batch makes larger parts: each PDF costs ~40 ms of fonts and set-up


def part_size(total: int) -> int:
    """Badges per part: PART_SIZE, or more for batches over MAX_PARTS parts (still enough
    parts to keep every worker busy and the progress bar moving)."""
    return max(PART_SIZE, -(-total // MAX_PARTS))

__all__ = ["WorkflowRefused"]


def _snap(acc: Accreditation) -> dict:
    data = snapshot(acc, ["category", "stage", "vetting", "photo", "id_document"])
    data["zones_granted"] = sorted(z.code for z in acc.zones_granted.all()) if acc.pk else []
    data["zones_denied"] = sorted(z.code for z in acc.zones_denied.all()) if acc.pk else []
    return data


def _state(acc: Accreditation) -> workflow.State:
    return workflow.State(
        stage=acc.stage, vetting=acc.vetting, has_photo=bool(acc.photo),
        photo_exempt=workflow.photo_exempt(acc.member.rank, acc.category.photo_required))


# --- Configuration --------------------------------------------------------------------------

@transaction.atomic
def ensure_defaults(event, actor=None) -> None:
    """The default zones, categories and badge validity of an event (idempotent)."""
    spec = json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))
    zones = {z.code: z for z in Zone.objects.filter(event=event)}
    next_bit = max((z.bit for z in zones.values()), default=-1) + 1
    for item in spec["zones"]:
        if item["code"] not in zones:
            zones[item["code"]] = Zone.objects.create(event=event, code=item["code"],
                                                      name=item["name"], bit=next_bit)
            next_bit += 1
    existing = set(Category.objects.filter(event=event).values_list("code", flat=True))
    number = max(Category.objects.filter(event=event).values_list("number", flat=True),
                 default=0)
    for order, item in enumerate(spec["categories"]):
        if item["code"] in existing:
            continue
        number += 1
        category = Category.objects.create(
            event=event, code=item["code"], name=item["name"], colour=item["colour"],
            photo_required=item.get("photo_required", True), order=order, number=number)
        category.zones.set([zones[c] for c in item["zones"]])
    if not BadgeSettings.objects.filter(event=event).exists():
        tz = timezone.get_current_timezone()
        BadgeSettings.objects.create(
            event=event,
            valid_from=datetime.combine(event.start_date - timedelta(days=3), time.min, tz),
            valid_until=datetime.combine(event.end_date + timedelta(days=1), time.min, tz))
        record(actor, "accreditation.defaults_loaded", event,
               after={"zones": sorted(zones), "categories": len(spec["categories"])},
               summary=f"Default zones and categories for {event}")


def badge_settings(event) -> BadgeSettings:
    settings_row = BadgeSettings.objects.filter(event=event).first()
    if settings_row is None:
        ensure_defaults(event)
        settings_row = BadgeSettings.objects.get(event=event)
    return settings_row


@transaction.atomic
def create_zone(user, event, code: str, name: str) -> Zone:
    _require(user, "accreditation.configure")
    used = list(Zone.objects.select_for_update().filter(event=event).values_list("bit",
                                                                                flat=True))
    bit = max(used, default=-1) + 1
    zone = Zone(event=event, code=code, name=name, bit=bit)
    zone.full_clean()
    zone.save()
    record(user, "zone.created", zone, after=snapshot(zone), summary=str(zone))
    return zone


@transaction.atomic
def save_category(user, event, category: Category | None, data: dict) -> Category:
    _require(user, "accreditation.configure")
    if category is None:
        number = max(Category.objects.select_for_update().filter(event=event)
                     .values_list("number", flat=True), default=0) + 1
        if number > 255:
            raise WorkflowRefused(_("An event can have at most 255 categories."))
        category = Category(event=event, number=number)
        before = None
    else:
        before = {**snapshot(category), "zones": sorted(z.code for z in category.zones.all())}
    for field in ("code", "name", "colour", "photo_required", "order"):
        if field in data:
            setattr(category, field, data[field])
    category.full_clean()
    category.save()
    if "zones" in data:
        category.zones.set(data["zones"])
    after = {**snapshot(category), "zones": sorted(z.code for z in category.zones.all())}
    record(user, "category.saved", category, before=before, after=after, summary=category.name)
    # Issued badges keep the zones they were signed with; changing a category's defaults
    # applies to badges printed from now on (docs/badges.md).
    return category


@transaction.atomic
def set_validity(user, event, valid_from, valid_until) -> BadgeSettings:
    _require(user, "accreditation.configure")
    row = badge_settings(event)
    before = snapshot(row, ["valid_from", "valid_until"])
    row.valid_from, row.valid_until = valid_from, valid_until
    row.full_clean()
    row.save()
    record(user, "badges.validity_set", row, before=before,
           after=snapshot(row, ["valid_from", "valid_until"]), summary=str(row))
    return row


# --- One person's accreditation ---------------------------------------------------------------

def default_category(member: Member) -> Category:
    event = member.delegation.event
    code = workflow.default_category(member.rank, member.is_head, member.delegation.entity.kind)
    category = Category.objects.filter(event=event, code=code).first()
    if category is None:
        ensure_defaults(event)
        category = (Category.objects.filter(event=event, code=code).first()
                    or Category.objects.filter(event=event).first())
    return category


def _locked(member: Member) -> Accreditation:
    """The member's accreditation under a row lock, created at its first use."""
    def query():
        return Accreditation.objects.select_for_update(of=("self",)).select_related(
            "member__delegation__entity", "member__delegation__event", "category").filter(
            member=member).first()

    acc = query()
    if acc is None:
        Accreditation.objects.create(member=member, category=default_category(member))
        acc = query()
    return acc


def accreditation_of(member: Member) -> Accreditation | None:
    return Accreditation.objects.select_related("category").filter(member=member).first()


def _set_stage(acc: Accreditation, stage: str) -> None:
    acc.stage = stage
    status = workflow.member_status(stage)
    # By query, not from the instance: the caller's Member may have been read before.
    Member.objects.filter(pk=acc.member_id).exclude(status=status).update(
        status=status, updated_at=timezone.now())
    acc.member.status = status


def _revoke_badges(acc: Accreditation, reason: str) -> int:
    return Badge.objects.filter(accreditation=acc, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason[:300])


def _after_change(user, acc: Accreditation, *, photo_changed: bool) -> None:
    """Re-open approval when what the organiser approved has changed (workflow.after_change)."""
    reopened = workflow.after_change(_state(acc), photo_changed=photo_changed)
    if reopened.revoke_badge:
        _revoke_badges(acc, "accreditation changed after approval")
    acc.vetting = reopened.vetting
    _set_stage(acc, reopened.stage)


@transaction.atomic
def reopen_after_member_change(user, member: Member) -> None:
    """A nomination was changed after approval (delegations.update_member, whose caller has
    the permission): the organiser approves it again, and a printed badge is withdrawn."""
    acc = Accreditation.objects.select_for_update(of=("self",)).select_related(
        "category").filter(member=member).first()
    if acc is None or acc.stage not in workflow.APPROVED_STAGES:
        # Nothing approved to re-open; a status approved without an accreditation (data from
        # before the workflow) goes back for approval.
        status = workflow.member_status(acc.stage if acc else Stage.NOMINATED)
        Member.objects.filter(pk=member.pk).exclude(status=status).update(status=status)
        member.status = status
        return
    acc.member = member
    before = _snap(acc)
    _after_change(user, acc, photo_changed=False)
    acc.save()
    record(user, "accreditation.reopened", acc, before=before, after=_snap(acc),
           summary=f"{member.full_name}: nomination changed after approval")


@transaction.atomic
def submit(user, member: Member) -> Accreditation:
    _require(user, "accreditation.edit_request", member)
    acc = _locked(member)
    before = _snap(acc)
    _set_stage(acc, workflow.check_submit(_state(acc)))
    acc.vetting = Vetting.PENDING
    acc.submitted_at = timezone.now()
    acc.save()
    record(user, "accreditation.submitted", acc, before=before, after=_snap(acc),
           summary=member.full_name)
    return acc


@transaction.atomic
def upload_photo(user, member: Member, data: bytes) -> Accreditation:
    """Check, crop and store a badge photo (PhotoRefused says what is wrong with it)."""
    _require(user, "accreditation.edit_request", member)
    photo = check_and_crop(data)
    acc = _locked(member)
    before = _snap(acc)
    old = [f.name for f in (acc.photo, acc.photo_thumb) if f]
    _after_change(user, acc, photo_changed=True)
    acc.photo.save("photo.jpg", ContentFile(photo.badge), save=False)
    acc.photo_thumb.save("thumb.jpg", ContentFile(photo.thumb), save=False)
    acc.save()
    record(user, "accreditation.photo_uploaded", acc, before=before, after=_snap(acc),
           summary=member.full_name)

    def delete_old():
        for name in old:
            acc.photo.storage.delete(name)

    transaction.on_commit(delete_old)
    return acc


@transaction.atomic
def set_category(user, member: Member, category: Category) -> Accreditation:
    """The category a focal point asks for (before approval) or the organiser sets."""
    acc = _locked(member)
    if acc.stage in workflow.APPROVED_STAGES or acc.stage in workflow.CLOSED_STAGES:
        _require(user, "accreditation.set_access", member)
    else:
        _require(user, "accreditation.edit_request", member)
    if category.event_id != member.delegation.event_id:
        raise WorkflowRefused(_("This category belongs to another event."))
    if category.pk == acc.category_id:
        return acc
    before = _snap(acc)
    _after_change(user, acc, photo_changed=False)
    acc.category = category
    acc.save()
    record(user, "accreditation.category_changed", acc, before=before, after=_snap(acc),
           summary=f"{member.full_name}: {category}")
    return acc


@transaction.atomic
def set_access(user, member: Member, category: Category, granted, denied) -> Accreditation:
    """Category and per-person zone exceptions (organiser)."""
    _require(user, "accreditation.set_access", member)
    acc = _locked(member)
    granted, denied = set(granted), set(denied)
    event_id = member.delegation.event_id
    if any(z.event_id != event_id for z in granted | denied) or category.event_id != event_id:
        raise WorkflowRefused(_("These zones or this category belong to another event."))
    if granted & denied:
        raise WorkflowRefused(_("A zone cannot be both granted and withheld."))
    before = _snap(acc)
    if (category.pk == acc.category_id and granted == set(acc.zones_granted.all())
            and denied == set(acc.zones_denied.all())):
        return acc
    _after_change(user, acc, photo_changed=False)
    acc.category = category
    acc.save()
    acc.zones_granted.set(granted)
    acc.zones_denied.set(denied)
    record(user, "accreditation.access_changed", acc, before=before, after=_snap(acc),
           summary=member.full_name)
    return acc


@transaction.atomic
def record_vetting(user, member: Member, cleared: bool, reason: str = "") -> Accreditation:
    _require(user, "accreditation.vet", member)
    acc = _locked(member)
    before = _snap(acc)
    stage = workflow.check_vetting(_state(acc), cleared, reason)
    acc.vetting = Vetting.CLEARED if cleared else Vetting.REFUSED
    acc.vetting_reason = reason.strip()
    acc.vetted_by, acc.vetted_at = user, timezone.now()
    if not cleared:
        acc.decision_reason = ""
    _set_stage(acc, stage)
    acc.save()
    record(user, "accreditation.vetted", acc, before=before,
           after={**_snap(acc), "vetting_reason": acc.vetting_reason},
           summary=f"{member.full_name}: {acc.get_vetting_display()}")
    if not cleared:
        notifications.on_commit_decision(acc, approved=False)
    return acc


@transaction.atomic
def decide(user, member: Member, approve: bool, reason: str = "") -> Accreditation:
    """The organiser approves (after security clearance) or refuses an accreditation."""
    _require(user, "accreditation.decide", member)
    acc = _locked(member)
    before = _snap(acc)
    stage = workflow.check_decision(_state(acc), approve)
    _set_stage(acc, stage)
    acc.decided_by, acc.decided_at = user, timezone.now()
    acc.decision_reason = "" if approve else reason.strip()
    acc.save()
    record(user, "accreditation.approved" if approve else "accreditation.refused", acc,
           before=before, after=_snap(acc), summary=member.full_name)
    notifications.on_commit_decision(acc, approved=approve)
    return acc


@transaction.atomic
def revoke(user, member: Member, reason: str) -> Accreditation:
    """Withdraw an accreditation at any time: its badge is refused at every gate."""
    _require(user, "accreditation.revoke", member)
    acc = _locked(member)
    before = _snap(acc)
    _set_stage(acc, workflow.check_revoke(_state(acc), reason))
    acc.revoked_reason = reason.strip()
    acc.save()
    revoked = _revoke_badges(acc, reason.strip())
    record(user, "accreditation.revoked", acc, before=before,
           after={**_snap(acc), "reason": acc.revoked_reason, "badges_revoked": revoked},
           summary=member.full_name)
    return acc


@transaction.atomic
def collect(user, member: Member, id_document: str) -> Accreditation:
    """The accreditation desk hands the badge over after checking an identity document."""
    _require(user, "accreditation.collect", member)
    acc = _locked(member)
    before = _snap(acc)
    _set_stage(acc, workflow.check_collect(_state(acc), bool(id_document.strip())))
    acc.id_document = id_document.strip()[:60]
    acc.collected_at, acc.collected_by = timezone.now(), user
    acc.save()
    record(user, "accreditation.collected", acc, before=before, after=_snap(acc),
           summary=member.full_name)
    return acc


# --- Queues and bulk actions ------------------------------------------------------------------

@dataclass
class BulkResult:
    done: list
    refused: list  # (member, message)


def _bulk(action, members) -> BulkResult:
    result = BulkResult([], [])
    for member in members:
        try:
            action(member)
        except WorkflowRefused as exc:
            result.refused.append((member, exc.message))
        else:
            result.done.append(member)
    return result


def bulk_vet(user, members, cleared: bool, reason: str = "") -> BulkResult:
    """Each person is one transaction: a refusal of one does not undo the others."""
    _require(user, "accreditation.vet")
    return _bulk(lambda m: record_vetting(user, m, cleared, reason), members)


def bulk_decide(user, members, approve: bool, reason: str = "") -> BulkResult:
    _require(user, "accreditation.decide")
    return _bulk(lambda m: decide(user, m, approve, reason), members)


def with_accreditations(members):
    """Members with their accreditation, category and zones, in a fixed number of queries."""
    return members.select_related(
        "delegation__entity", "accreditation__category").prefetch_related(
        "accreditation__category__zones", "accreditation__zones_granted",
        "accreditation__zones_denied")


def zones_of(acc: Accreditation) -> list[Zone]:
    """The effective zones (uses prefetched relations when there are any)."""
    zones = workflow.effective_zones(acc.category.zones.all(), acc.zones_granted.all(),
                                     acc.zones_denied.all())
    return sorted(zones, key=lambda z: z.bit)


# --- Badges -------------------------------------------------------------------------------------

def _signer():
    """The current private key, its public half registered for the gates."""
    kid, private = keys.signing_key()
    public_hex = credential.public_raw(private.public_key()).hex()
    row, _ = SigningKey.objects.get_or_create(key_id=kid, defaults={"public_key": public_hex})
    if row.withdrawn_at is not None:
        raise keys.NoSigningKey(f"key {kid} is withdrawn")
    return bytes.fromhex(kid), private


def register_public_key(kid: str, public_hex: str) -> SigningKey:
    return SigningKey.objects.get_or_create(key_id=kid, defaults={"public_key": public_hex})[0]


def public_keys() -> dict:
    """Key id (4 bytes) -> Ed25519 public key, for every key gates should trust."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    return {bytes.fromhex(k.key_id): Ed25519PublicKey.from_public_bytes(
        bytes.fromhex(k.public_key)) for k in SigningKey.objects.filter(withdrawn_at__isnull=True)}


def _new_badge(acc: Accreditation, batch: BadgeBatch, part: int, signer, window) -> Badge:
    """A signed badge for `acc`, not yet saved (create_batch saves them all at once)."""
    kid, private = signer
    zones = zones_of(acc)
    mask = credential.zone_mask(z.bit for z in zones)
    badge = Badge(accreditation=acc, batch=batch, part=part, key_id=kid.hex(),
                  category_number=acc.category.number, zones_mask=mask,
                  zone_codes=" ".join(z.code for z in zones),
                  valid_from=window.valid_from, valid_until=window.valid_until)
    badge.token = credential.sign(
        private, badge_id=badge.id, category=acc.category.number, zones=mask,
        valid_from=int(window.valid_from.timestamp()),
        valid_until=int(window.valid_until.timestamp()))
    return badge


def _batch_accreditations(event, scope: str, delegation, category, member_ids):
    """Who a new batch prints, in print order (the parts follow it)."""
    qs = Accreditation.objects.filter(member__delegation__event=event)
    if scope == BatchScope.REPRINT:
        qs = qs.filter(stage__in=[Stage.ISSUED, Stage.COLLECTED])
    else:
        qs = qs.filter(stage=Stage.APPROVED)
    if delegation is not None:
        qs = qs.filter(member__delegation=delegation)
    if category is not None:
        qs = qs.filter(category=category)
    if member_ids is not None:
        qs = qs.filter(member_id__in=member_ids)
    return list(qs.order_by("member__delegation__entity__name_en", "-member__is_head",
                            "member__family_name", "pk").values_list("pk", flat=True))


# A selection this small (the desk printing one person, a delegation's handful) is issued in the
# request, so the badge exists when the page comes back; anything larger is issued by a worker.
ISSUE_NOW_MAX = 50


def _no_key_refusal():
    log.error("badge printing refused: no signing key in %s", keys.key_dir())
    return WorkflowRefused(_("Badges cannot be signed on this server: it has no badge "
                             "signing key. An administrator runs “convene badge_keys "
                             "generate” (see docs/badges.md)."))


@transaction.atomic
def create_batch(user, event, scope: str, *, delegation=None, category=None,
                 member_ids=None) -> BadgeBatch:
    """Record a batch and its work list; its badges are issued (signed) in the task queue,
    chunk by chunk, then its PDF parts are rendered, also in the queue. Returns at once."""
    _require(user, "accreditation.print_badges")
    if scope == BatchScope.DELEGATION and delegation is None:
        raise WorkflowRefused(_("Choose the delegation to print."))
    if scope == BatchScope.CATEGORY and category is None:
        raise WorkflowRefused(_("Choose the category to print."))
    acc_ids = _batch_accreditations(event, scope, delegation, category, member_ids)
    if not acc_ids:
        raise WorkflowRefused(_("There is nobody to print in this selection."))
    try:
        _signer()  # refuse now, in words, rather than fail later in a worker
    except keys.NoSigningKey:
        raise _no_key_refusal() from None
    size = part_size(len(acc_ids))
    parts = -(-len(acc_ids) // size)
    batch = BadgeBatch.objects.create(
        event=event, scope=scope, delegation=delegation, category=category,
        requested_by=user, total=len(acc_ids), parts=parts, status=BatchStatus.ISSUING,
        heartbeat_at=timezone.now())
    BatchItem.objects.bulk_create(
        [BatchItem(batch=batch, accreditation_id=acc_id, position=i, part=i // size)
         for i, acc_id in enumerate(acc_ids)], batch_size=1000)
    BatchPart.objects.bulk_create([BatchPart(batch=batch, number=n) for n in range(parts)])
    record(user, "badges.batch_created", batch,
           after={"scope": scope, "total": batch.total, "parts": batch.parts,
                  "delegation": delegation.pk if delegation else None,
                  "category": category.pk if category else None},
           summary=f"Badge batch {batch.pk}: {batch.total} badges")
    if len(acc_ids) <= ISSUE_NOW_MAX:
        issue_batch(batch.pk)
    else:
        transaction.on_commit(lambda: _enqueue_issue(batch.pk))
    return batch


def _enqueue_issue(batch_id: int) -> None:
    from convene.accreditation.tasks import issue_badges

    issue_badges.enqueue(batch_id)


def _enqueue_parts(batch_id: int, numbers) -> None:
    from convene.accreditation.tasks import render_badge_part

    for number in numbers:
        render_badge_part.enqueue(batch_id, number)


def _issuable(acc: Accreditation, scope: str) -> bool:
    if scope == BatchScope.REPRINT:
        return acc.stage in (Stage.ISSUED, Stage.COLLECTED)
    return acc.stage == Stage.APPROVED


def issue_batch(batch_id: int, chunk: int | None = None) -> int:
    """Issue every pending badge of a batch, one committed chunk at a time; then queue its
    PDF parts. Safe to run again, or twice at once: each chunk locks the batch row and takes
    only items still pending, and an item turns `issued` in the transaction that creates its
    badge (and (batch, accreditation) is unique on Badge). Returns the badges issued here."""
    issued = 0
    while True:
        n = _issue_chunk(batch_id, chunk or settings.BADGE_ISSUE_CHUNK)
        if n is None:
            break
        issued += n
    _finish_issuing(batch_id)
    return issued


@transaction.atomic
def _issue_chunk(batch_id: int, chunk: int) -> int | None:
    batch = BadgeBatch.objects.select_for_update(of=("self",)).select_related(
        "requested_by", "event").get(
        pk=batch_id)
    items = list(BatchItem.objects.filter(batch=batch, state=ItemState.PENDING)
                 .order_by("position")[:chunk])
    if not items:
        return None
    accs = {a.pk: a for a in Accreditation.objects.filter(
        pk__in=[i.accreditation_id for i in items]).select_for_update(of=("self",))
        .select_related("member__delegation__entity", "category").prefetch_related(
        "category__zones", "zones_granted", "zones_denied")}
    try:
        signer = _signer()
    except keys.NoSigningKey:
        raise _no_key_refusal() from None
    window, now = badge_settings(batch.event), timezone.now()
    todo = [(item, accs[item.accreditation_id]) for item in items
            if _issuable(accs[item.accreditation_id], batch.scope)]
    skipped = [item.pk for item in items if item.pk not in {i.pk for i, _a in todo}]
    if batch.scope == BatchScope.REPRINT and todo:
        Badge.objects.filter(accreditation__in=[a for _i, a in todo],
                             revoked_at__isnull=True).update(
            revoked_at=now, revoked_reason="replaced by a reprint")
    new_badges, entries = [], []
    for item, acc in todo:
        before = _snap(acc)
        badge = _new_badge(acc, batch, item.part, signer, window)
        acc.stage, acc.updated_at = workflow.check_issue(_state(acc)), now  # always ISSUED
        new_badges.append(badge)
        entries.append(Entry("badge.issued", acc, before=before, after={
            **_snap(acc), "badge": badge.short_id, "zones": badge.zone_codes,
            "batch": batch.pk}, summary=acc.member.full_name))
    # Thousands of people: every row is still written and audited one by one, but in a few
    # bulk statements rather than a handful of round trips per person.
    Badge.objects.bulk_create(new_badges, batch_size=500)
    # check_issue gives every one the same stage: one UPDATE (bulk_update's CASE per row was
    # 40 % of issuing).
    Accreditation.objects.filter(pk__in=[a.pk for _i, a in todo]).update(
        stage=Stage.ISSUED, updated_at=now)
    status = workflow.member_status(Stage.ISSUED)
    Member.objects.filter(pk__in=[a.member_id for _i, a in todo]).exclude(
        status=status).update(status=status, updated_at=now)
    BatchItem.objects.filter(pk__in=[i.pk for i, _a in todo]).update(state=ItemState.ISSUED)
    BatchItem.objects.filter(pk__in=skipped).update(state=ItemState.SKIPPED)
    BadgeBatch.objects.filter(pk=batch.pk).update(
        issued=F("issued") + len(todo), skipped=F("skipped") + len(skipped), heartbeat_at=now)
    if entries:
        record_many(batch.requested_by, entries)
    return len(todo)


@transaction.atomic
def _finish_issuing(batch_id: int) -> None:
    """Every item issued: the batch moves on to rendering (once, whoever gets here first)."""
    moved = BadgeBatch.objects.filter(pk=batch_id, status__in=[
        BatchStatus.QUEUED, BatchStatus.ISSUING]).exclude(
        items__state=ItemState.PENDING).update(status=BatchStatus.RUNNING,
                                              heartbeat_at=timezone.now())
    if moved:
        numbers = list(BatchPart.objects.filter(batch_id=batch_id, rendered_at__isnull=True)
                       .values_list("number", flat=True))
        transaction.on_commit(lambda: _enqueue_parts(batch_id, numbers))


def stall_seconds() -> int:
    return settings.BADGE_BATCH_STALL_SECONDS


def resume_stalled_batches(stalled_for: int | None = None, batch_id: int | None = None) -> list:
    """Queue again the work of every unfinished batch no worker has moved on for
    `stalled_for` seconds (its worker was killed or restarted: django-tasks' database
    backend leaves such a task "running" for ever). Safe if the worker was only slow: the
    work is idempotent. Returns the batches resumed."""
    limit = timezone.now() - timedelta(seconds=stall_seconds() if stalled_for is None
                                       else stalled_for)
    qs = BadgeBatch.objects.filter(status__in=[BatchStatus.QUEUED, BatchStatus.ISSUING,
                                               BatchStatus.RUNNING]).filter(
        Q(heartbeat_at__lte=limit) | Q(heartbeat_at__isnull=True))
    if batch_id is not None:
        qs = qs.filter(pk=batch_id)
    resumed = []
    for batch in qs:
        with transaction.atomic():
            # Claim the resumption: a second caller in the same moment finds it fresh.
            if not BadgeBatch.objects.filter(pk=batch.pk, heartbeat_at=batch.heartbeat_at).update(
                    heartbeat_at=timezone.now()):
                continue
            if batch.status == BatchStatus.RUNNING:
                numbers = list(BatchPart.objects.filter(batch=batch, rendered_at__isnull=True)
                               .values_list("number", flat=True))
                transaction.on_commit(lambda b=batch.pk, n=numbers: _enqueue_parts(b, n))
            else:
                transaction.on_commit(lambda b=batch.pk: _enqueue_issue(b))
            log.warning("badge batch %s resumed (no progress since %s)", batch.pk,
                        batch.heartbeat_at)
            resumed.append(batch)
    return resumed


def batch_part_name(batch_id: int, part: int) -> str:
    return f"accreditation/batches/{batch_id}/badges-{batch_id}-{part + 1:02d}.pdf"


def active_badge(acc: Accreditation) -> Badge | None:
    return acc.badges.filter(revoked_at__isnull=True).first()


@transaction.atomic
def withdraw_key(user, kid: str) -> SigningKey:
    """A signing key is lost or stolen: every gate refuses badges signed with it from now."""
    _require(user, "accreditation.configure")
    row = SigningKey.objects.select_for_update().get(key_id=kid)
    if row.withdrawn_at is None:
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])
        record(user, "badges.key_withdrawn", row, after={"key_id": kid}, summary=kid)
    return row
