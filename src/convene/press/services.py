"""What the press office, media focal points, security and the newsroom do: each action is one
transaction, checked and audited. Views, the API and the demo call these functions.

Media accreditation is the accreditation pipeline itself (accreditation.services): a media
outlet is a delegation, its staff are members; this module adds what is particular to the
press (the assignment, passport data, equipment) and calls the pipeline's steps.
"""

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from convene.accounts.permissions import require as _require
from convene.accreditation import keys as badge_keys
from convene.accreditation import services as accreditation
from convene.accreditation.models import Badge, Category, Zone
from convene.accreditation.workflow import APPROVED_STAGES, WorkflowRefused
from convene.audit.services import record, snapshot
from convene.core import uploads
from convene.core.links import absolute_url
from convene.delegations.models import Delegation, Member
from convene.directory.models import Entity, EntityKind
from convene.press import figures, poolgate, pools
from convene.press.models import (
    CoverageOpportunity,
    Equipment,
    Function,
    ItemKind,
    ItemStatus,
    MediaOutlet,
    MediaProfile,
    PoolPlace,
    PoolRequest,
    Release,
    ReleaseStatus,
    ReleaseText,
    Reserved,
    Revision,
)


class PressRefused(Exception):
    """A press rule refuses the action; `message` is for the person, `field` names the input."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


# Media zones beside issue 3's "M" (media centre) and "PP" (press pool positions): the press
# conference room and the photo risers. A riser is a pool position: no category grants it, only
# a published pool place in its time window (poolgate.py).
MEDIA_ZONES = [("PC", "Press conference room"), ("PR", "Photo risers (pool)")]
# The media category a function is accredited in (data/accreditation/defaults.json).
CATEGORY_OF_FUNCTION = {
    Function.PHOTOGRAPHER: "media_photo", Function.CAMERA: "media_crew",
    Function.SOUND: "media_crew", Function.TECHNICIAN: "media_crew",
    Function.REPORTER: "media_print", Function.FIXER: "media_print",
}


@transaction.atomic
def ensure_media_setup(event) -> None:
    """The media zones and categories of an event (idempotent; system set-up)."""
    accreditation.ensure_defaults(event)
    zones = {z.code: z for z in Zone.objects.select_for_update().filter(event=event)}
    bit = max((z.bit for z in zones.values()), default=-1) + 1
    for code, name in MEDIA_ZONES:
        if code not in zones:
            Zone.objects.create(event=event, code=code, name=name, bit=bit)
            bit += 1
    # The press conference room is for every accredited journalist.
    pc = Zone.objects.get(event=event, code="PC")
    for category in Category.objects.filter(event=event, code__startswith="media_"):
        category.zones.add(pc)


# --- Outlets ---------------------------------------------------------------------------------

def outlets(event):
    return (MediaOutlet.objects.filter(delegation__event=event)
            .select_related("delegation__entity")
            .annotate(staff=Count("delegation__members")))


def visible_outlets(user, event):
    qs = outlets(event)
    if user.has_perm("press.view_media"):
        return qs
    return qs.filter(focal_points=user) if user.is_authenticated else qs.none()


@transaction.atomic
def create_outlet(user, event, data: dict) -> MediaOutlet:
    _require(user, "press.manage_outlets")
    name = (data.get("name") or "").strip()
    if not name:
        raise PressRefused(_("Give the outlet's name."), "name")
    code = "MEDIA-" + (slugify(data.get("code") or name).upper()[:25] or "X")
    if Entity.objects.filter(code=code).exists():
        raise PressRefused(_("An outlet with this name or code exists already."), "name")
    # A media outlet is a private-sector participant of the directory (no new kind of entity).
    entity = Entity.objects.create(code=code, kind=EntityKind.PRIVATE_SECTOR, name_en=name,
                                   names={"en": name}, acronym=(data.get("code") or "")[:32])
    deadline = timezone.make_aware(datetime.combine(event.end_date, time.max))
    delegation = Delegation.objects.create(event=event, entity=entity, status="confirmed",
                                           quota=int(data.get("quota") or 20),
                                           nomination_deadline=deadline)
    outlet = MediaOutlet(delegation=delegation, kind=data.get("kind") or "online",
                         foreign=bool(data.get("foreign", True)),
                         country=data.get("country", ""), tier=int(data.get("tier", 2)),
                         reserved=data.get("reserved", ""),
                         travelling_with=data.get("travelling_with"))
    try:
        outlet.full_clean(exclude=["delegation"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PressRefused(" ".join(messages), field) from None
    outlet.save()
    record(user, "press.outlet_created", outlet,
           after=snapshot(outlet, ["kind", "foreign", "country", "tier", "reserved"]),
           summary=name)
    return outlet


@transaction.atomic
def add_focal_point(user, outlet: MediaOutlet, person) -> None:
    _require(user, "press.manage_outlets")
    outlet.focal_points.add(person)
    record(user, "press.focal_point_added", outlet, after={"user": person.get_username()},
           summary=f"{person.get_username()} for {outlet}")


def freelancers(event) -> MediaOutlet:
    """The outlet that freelance journalists apply under (created at first use)."""
    outlet = MediaOutlet.objects.filter(delegation__event=event, kind="freelance").first()
    if outlet is None:
        with transaction.atomic():
            entity, _created = Entity.objects.get_or_create(
                code="MEDIA-FREELANCE", defaults={"kind": EntityKind.PRIVATE_SECTOR,
                                                  "name_en": "Freelance journalists",
                                                  "names": {"en": "Freelance journalists"}})
            deadline = timezone.make_aware(datetime.combine(event.end_date, time.max))
            delegation, _created = Delegation.objects.get_or_create(
                event=event, entity=entity,
                defaults={"quota": 500, "status": "confirmed", "nomination_deadline": deadline})
            outlet = MediaOutlet.objects.create(delegation=delegation, kind="freelance",
                                                tier=2)
    return outlet


# --- Staff: nomination, public application, confirmation ------------------------------------

PROFILE_FIELDS = ["function", "press_card", "nationality", "passport_number", "passport_expiry",
                  "date_of_birth", "languages"]


def _check_passport(event, number: str) -> None:
    if MediaProfile.objects.filter(event=event, passport_number__iexact=number.strip()).exists():
        raise PressRefused(_("An application with this passport number exists already for "
                             "this event."), "passport_number")


def _new_member(outlet: MediaOutlet, data: dict, actor) -> Member:
    member = Member(delegation=outlet.delegation, title=data.get("title", ""),
                    given_name=data.get("given_name", ""),
                    family_name=(data.get("family_name") or "").strip(),
                    email=data.get("email", ""), function=Function(data["function"]).label,
                    nominated_by=actor)
    try:
        member.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PressRefused(" ".join(messages), field) from None
    member.save()
    return member


def _new_profile(outlet, member, data, *, public: bool) -> MediaProfile:
    event = outlet.delegation.event
    number = (data.get("passport_number") or "").strip()
    if not number:
        raise PressRefused(_("Give the passport number."), "passport_number")
    if data.get("function") not in Function.values:
        raise PressRefused(_("Choose a function."), "function")
    _check_passport(event, number)
    profile = MediaProfile(member=member, event=event, applied_publicly=public,
                           **{k: data.get(k) for k in PROFILE_FIELDS if data.get(k) is not None})
    profile.passport_number = number
    try:
        profile.full_clean(exclude=["member", "event", "letter"])
        profile.save()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PressRefused(" ".join(messages), field) from None
    except IntegrityError:  # the same passport, submitted at the same moment
        raise PressRefused(_("An application with this passport number exists already for "
                             "this event."), "passport_number") from None
    return profile


def _attach_letter(profile: MediaProfile, letter) -> dict:
    if letter is None:
        return {}
    try:
        checked = uploads.check_letter(uploads.read_bounded(
            letter, uploads.limit("document_max_bytes")), name=letter.name)
    except uploads.UploadRefused as exc:
        raise PressRefused(exc.message, "letter") from None
    profile.letter.save(checked.storage_name("assignment"), ContentFile(checked.content),
                        save=True)
    return checked.audit()


def _category_for(event, function: str) -> Category:
    ensure_media_setup(event)
    return Category.objects.get(event=event, code=CATEGORY_OF_FUNCTION[function])


def _photo(user, member, photo) -> None:
    if photo is None:
        return
    data = photo if isinstance(photo, bytes) else uploads.read_bounded(
        photo, uploads.limit("image_max_bytes"))
    try:
        accreditation.upload_photo(user, member, data)
    except uploads.UploadRefused as exc:
        raise PressRefused(exc.message, "photo") from None


@transaction.atomic
def nominate(user, outlet: MediaOutlet, data: dict, *, letter=None, photo=None,
             submit: bool = False) -> MediaProfile:
    """The outlet's focal point (or the press office) nominates a member of its staff: a
    delegation member whose accreditation runs through the one pipeline."""
    _require(user, "press.nominate", outlet)
    if outlet.delegation.members.count() >= outlet.delegation.quota:
        raise PressRefused(_("The outlet's quota of %(q)d people is reached.")
                           % {"q": outlet.delegation.quota})
    member = _new_member(outlet, data, user)
    profile = _new_profile(outlet, member, data, public=False)
    profile.confirmed_at, profile.confirmed_by = timezone.now(), user
    profile.save(update_fields=["confirmed_at", "confirmed_by"])
    letter_audit = _attach_letter(profile, letter)
    record(user, "member.nominated", member, after=snapshot(member),
           summary=f"{member.full_name} nominated to {outlet} (media)")
    record(user, "press.staff_nominated", profile,
           after={**snapshot(profile, ["function", "nationality", "languages"]),
                  **letter_audit}, summary=f"{member.full_name}, {outlet}")
    accreditation.set_category(user, member, _category_for(outlet.delegation.event,
                                                            profile.function))
    _photo(user, member, photo)
    if submit:
        accreditation.submit(user, member)
    return profile


def _pending_photo_name(profile) -> str:
    return f"press/pending-photos/{profile.pk}.jpg"


@transaction.atomic
def apply_publicly(event, outlet: MediaOutlet | None, data: dict, *, letter=None,
                   photo=None) -> MediaProfile:
    """A journalist applies on the public form, without an account. Nothing enters the
    accreditation pipeline until the outlet's focal point (or the press office) confirms."""
    outlet = outlet or freelancers(event)
    if outlet.delegation.event_id != event.pk:
        raise PressRefused(_("Choose an outlet of this event."), "outlet")
    if not (data.get("email") or "").strip():
        raise PressRefused(_("Give an e-mail address: the press office writes to it."), "email")
    photo_bytes = None
    if photo is not None:
        try:
            photo_bytes = uploads.read_bounded(photo, uploads.limit("image_max_bytes"))
            from convene.accreditation.photos import check_and_crop

            check_and_crop(photo_bytes)  # the same photo rules as delegates, checked now
        except uploads.UploadRefused as exc:
            raise PressRefused(exc.message, "photo") from None
    member = _new_member(outlet, data, None)
    profile = _new_profile(outlet, member, data, public=True)
    letter_audit = _attach_letter(profile, letter)
    if photo_bytes:
        from convene.accreditation.storage import private_storage

        private_storage().save(_pending_photo_name(profile), ContentFile(photo_bytes))
    record(None, "press.applied", profile,
           after={**snapshot(profile, ["function", "nationality"]), **letter_audit},
           summary=f"{member.full_name} applied for {outlet} (public form)")
    return profile


@transaction.atomic
def confirm_application(user, profile: MediaProfile) -> MediaProfile:
    """The outlet confirms the assignment: the application enters the pipeline (submitted
    for security vetting)."""
    member = profile.member
    _require(user, "press.confirm_application", member)
    if profile.confirmed_at:
        raise PressRefused(_("This application is confirmed already."))
    profile.confirmed_at, profile.confirmed_by = timezone.now(), user
    profile.save(update_fields=["confirmed_at", "confirmed_by"])
    record(user, "press.application_confirmed", profile, summary=member.full_name)
    accreditation.set_category(user, member, _category_for(profile.event, profile.function))
    from convene.accreditation.storage import private_storage

    name = _pending_photo_name(profile)
    if private_storage().exists(name):
        with private_storage().open(name) as fh:
            _photo(user, member, fh.read())
        transaction.on_commit(lambda: private_storage().delete(name))
        accreditation.submit(user, member)
    return profile


def submit(user, member: Member):
    try:
        return accreditation.submit(user, member)
    except WorkflowRefused as exc:
        raise PressRefused(exc.message) from None


def staff(outlet: MediaOutlet):
    return (MediaProfile.objects.filter(member__delegation=outlet.delegation)
            .select_related("member__accreditation__category")
            .prefetch_related("equipment").order_by("member__family_name"))


def is_accredited(profile: MediaProfile, *, fresh: bool = False) -> bool:
    if fresh:
        return Member.objects.filter(pk=profile.member_id,
                                     accreditation__stage__in=APPROVED_STAGES).exists()
    acc = getattr(profile.member, "accreditation", None)
    return acc is not None and acc.stage in APPROVED_STAGES


# --- Equipment -------------------------------------------------------------------------------

@transaction.atomic
def declare_item(user, profile: MediaProfile, data: dict) -> Equipment:
    _require(user, "press.nominate", profile.member)
    serial = (data.get("serial") or "").strip()
    if not serial:
        raise PressRefused(_("Give the serial number."), "serial")
    if data.get("kind") not in ItemKind.values:
        raise PressRefused(_("Choose the kind of item."), "kind")
    # Drones are refused unless the organiser and host security allow one case by case.
    status = ItemStatus.REFUSED if data["kind"] == ItemKind.DRONE else ItemStatus.DECLARED
    item = Equipment.objects.create(profile=profile, kind=data["kind"], serial=serial,
                                    description=(data.get("description") or "")[:120],
                                    status=status)
    record(user, "press.equipment_declared", item,
           after=snapshot(item, ["kind", "serial", "description", "status"]),
           summary=f"{profile.member.full_name}: {item}")
    return item


def equipment_list(event):
    return (Equipment.objects.filter(profile__event=event)
            .select_related("profile__member__delegation__entity")
            .order_by("profile__member__delegation__entity__name_en",
                      "profile__member__family_name", "kind"))


@transaction.atomic
def move_item(user, item: Equipment, inside: bool, gate: str) -> Equipment:
    """Security checks a declared item in or out at a gate."""
    _require(user, "press.check_equipment")
    if item.status == ItemStatus.REFUSED and inside:
        raise PressRefused(_("This item is refused: it does not enter the venue."))
    item.inside, item.moved_at, item.moved_at_gate = inside, timezone.now(), gate[:100]
    item.save(update_fields=["inside", "moved_at", "moved_at_gate"])
    record(user, "press.equipment_checked_in" if inside else "press.equipment_checked_out",
           item, after={"gate": gate, "serial": item.serial}, summary=str(item))
    return item


@transaction.atomic
def report_undeclared(user, event, profile: MediaProfile, description: str, gate: str):
    """An item nobody declared: an incident for the security task force (operations)."""
    _require(user, "press.check_equipment")
    from convene.operations import services as operations
    from convene.operations.models import TaskForce

    task_force = (TaskForce.objects.filter(event=event, name__icontains="security").first()
                  or TaskForce.objects.filter(event=event).first())
    if task_force is None:
        raise PressRefused(_("There is no task force to report the incident to."))
    if not user.has_perm("operations.report_issue"):
        raise PressRefused(_("Incidents are reported by the members of a task force: ask to be "
                             "added to the security task force (Operations)."))
    issue = operations.report_issue(user, task_force, {
        "title": _("Undeclared equipment: %(what)s") % {"what": description[:80]},
        "description": _("%(who)s (%(outlet)s) carried an item not declared: %(what)s.")
        % {"who": profile.member.full_name, "outlet": profile.outlet, "what": description},
        "location": gate[:100], "severity": "medium",
        "delegation": profile.member.delegation})
    record(user, "press.undeclared_item", profile, after={"issue": issue.pk, "gate": gate},
           summary=description[:100])
    return issue


# --- Pools -----------------------------------------------------------------------------------

@transaction.atomic
def save_opportunity(user, event, data: dict, opportunity=None) -> CoverageOpportunity:
    _require(user, "press.manage_pools")
    opp = opportunity or CoverageOpportunity(event=event)
    before = snapshot(opp) if opportunity else None
    for field in ("title", "session", "meeting", "zone", "starts_at", "ends_at", "photo", "tv",
                  "writer", "agency"):
        if field in data:
            setattr(opp, field, data[field])
    try:
        opp.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PressRefused(" ".join(messages), None if field == "__all__" else field) from None
    opp.save()
    record(user, "press.opportunity_saved", opp, before=before, after=snapshot(opp),
           summary=opp.title)
    return opp


@transaction.atomic
def request_place(user, opportunity: CoverageOpportunity, profile: MediaProfile,
                  kind: str) -> PoolRequest:
    _require(user, "press.request_place", profile.member)
    if not is_accredited(profile, fresh=True):
        raise PressRefused(_("Only an approved accreditation can ask for a pool place."))
    if kind not in opportunity.positions:
        raise PressRefused(_("Choose the kind of position."), "kind")
    req, created = PoolRequest.objects.get_or_create(opportunity=opportunity, profile=profile,
                                                     kind=kind)
    if not created and req.withdrawn_at:
        req.withdrawn_at = None
        req.save(update_fields=["withdrawn_at"])
    record(user, "press.place_requested", req,
           after={"opportunity": opportunity.pk, "kind": kind},
           summary=f"{profile.member.full_name}: {opportunity}")
    return req


@transaction.atomic
def withdraw(user, request: PoolRequest) -> PoolRequest:
    _require(user, "press.request_place", request.profile.member)
    request.withdrawn_at = timezone.now()
    request.save(update_fields=["withdrawn_at"])
    record(user, "press.place_withdrawn", request, summary=str(request.profile.member))
    return request


def _inputs(opp: CoverageOpportunity):
    live = list(PoolRequest.objects.filter(opportunity=opp, withdrawn_at__isnull=True)
                .select_related("profile__member__delegation__media_outlet"))
    outlets = {r.profile.member.delegation.media_outlet for r in live}
    tiers = {str(o.pk): o.tier for o in outlets}
    meeting_delegations = set()
    if opp.meeting_id:
        req = opp.meeting.request
        meeting_delegations = {req.requester_id, req.counterpart_id}
    requests, reservations = [], []
    for rank, r in enumerate(live):
        outlet = r.profile.member.delegation.media_outlet
        who = (str(outlet.pk), r.kind, str(r.profile.pk))
        if outlet.reserved == Reserved.HOST_BROADCASTER and r.kind == pools.TV:
            reservations.append(pools.Reservation(*who, "host broadcaster"))
        elif outlet.reserved == Reserved.HOST_PHOTOGRAPHER and r.kind == pools.PHOTO:
            reservations.append(pools.Reservation(*who, "host photographer"))
        elif outlet.travelling_with_id and outlet.travelling_with_id in meeting_delegations:
            reservations.append(pools.Reservation(
                *who, f"travelling press of {outlet.travelling_with}"))
        else:
            requests.append(pools.Request(*who, rank))
    # Rotation over the summit: places won at the other published opportunities.
    before = dict(PoolPlace.objects.filter(
        opportunity__event=opp.event, opportunity__published_at__isnull=False,
        basis__in=[pools.WON, pools.KEPT]).exclude(opportunity=opp)
        .values_list("profile__member__delegation__media_outlet")
        .annotate(n=Count("pk")).values_list("profile__member__delegation__media_outlet", "n"))
    before = {str(k): v for k, v in before.items()}
    withdrawn = {(str(r.profile.member.delegation.media_outlet.pk), str(r.profile_id))
                 for r in PoolRequest.objects.filter(opportunity=opp,
                                                     withdrawn_at__isnull=False)
                 .select_related("profile__member__delegation__media_outlet")}
    return requests, reservations, tiers, before, withdrawn


@transaction.atomic
def run_allocation(user, opportunity: CoverageOpportunity, *, keep_published: bool = True,
                   seed: str = "") -> pools.Allocation:
    """Allocate the opportunity's places (pools.allocate) and store them; a published list
    keeps its places unless the coordinator asks for a fresh draw."""
    _require(user, "press.manage_pools")
    opp = CoverageOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    requests, reservations, tiers, before, withdrawn = _inputs(opp)
    published = []
    if opp.published_at:
        published = [pools.Place(str(p.profile.member.delegation.media_outlet.pk), p.kind,
                                 str(p.profile_id), p.basis, p.reason)
                     for p in opp.places.select_related(
                         "profile__member__delegation__media_outlet")]
    seed = seed.strip() or opp.seed or secrets.token_hex(8)
    result = pools.allocate(pools.Opportunity(str(opp.pk), opp.positions), requests,
                            tiers=tiers, seed=seed, places_before=before,
                            reservations=reservations, published=published,
                            withdrawn=withdrawn, keep_published=keep_published)
    opp.places.all().delete()
    PoolPlace.objects.bulk_create([PoolPlace(opportunity=opp, profile_id=int(p.journalist),
                                             kind=p.kind, basis=p.basis, reason=p.reason)
                                   for p in result.places])
    opp.seed, opp.allocated_at = seed, timezone.now()
    opp.explanations = {o: {"tier": e.tier, "places_before": e.places_before, "lot": e.lot,
                            "seed": e.seed, "won": e.won, "missed": e.missed,
                            "reasons": e.reasons} for o, e in result.explanations.items()}
    opp.save(update_fields=["seed", "allocated_at", "explanations"])
    record(user, "press.pool_allocated", opp,
           after={"seed": seed, "keep_published": keep_published,
                  "places": [[p.outlet, p.kind, p.journalist, p.basis] for p in result.places]},
           summary=f"{opp}: {len(result.places)} places")
    return result


def pool_list(opp: CoverageOpportunity):
    return list(opp.places.select_related("profile__member__delegation__entity",
                                          "profile__member__accreditation"))


@transaction.atomic
def publish_pool(user, opportunity: CoverageOpportunity) -> CoverageOpportunity:
    _require(user, "press.manage_pools")
    opp = CoverageOpportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opp.allocated_at is None:
        raise PressRefused(_("Run the allocation before publishing the pool list."))
    opp.published_at = timezone.now()
    opp.save(update_fields=["published_at"])
    places = pool_list(opp)
    record(user, "press.pool_published", opp, after={"seed": opp.seed, "places": len(places)},
           summary=str(opp))
    recipients = [(p.profile.member.email, p) for p in places if p.profile.member.email]

    def notify():
        link = absolute_url("press:opportunity", pk=opp.pk)
        for email, place in recipients:
            send_mail(
                _("Pool place: %(what)s") % {"what": opp.title},
                _("You hold a %(kind)s pool place at “%(what)s”, %(start)s to %(end)s. "
                  "Your badge admits you to the pool position in that window only. "
                  "Pool list: %(link)s") % {
                    "kind": place.get_kind_display(), "what": opp.title,
                    "start": timezone.localtime(opp.starts_at).strftime("%d %b %H:%M"),
                    "end": timezone.localtime(opp.ends_at).strftime("%H:%M"), "link": link},
                settings.DEFAULT_FROM_EMAIL, [email])

    transaction.on_commit(notify)
    return opp


POOL_CSV_HEADER = ["opportunity", "kind", "name", "outlet", "basis", "reason", "seed"]


def pool_rows(opp):
    return [[opp.title, p.get_kind_display(), p.profile.member.full_name,
             str(p.profile.member.delegation.entity), p.basis, p.reason, opp.seed]
            for p in pool_list(opp)]


def pool_pdf(opp) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    html = render_to_string("press/pool_pdf.html", {"opp": opp, "places": pool_list(opp)})
    return HTML(string=html).write_pdf()


# --- Pool access at the gate -----------------------------------------------------------------

def passes_for(event, zone, at: datetime | None = None) -> list[dict]:
    """The published pool places for a zone, with the holder's valid badge: what a gate needs
    to admit pool members in their windows (today's and later ones)."""
    at = at or timezone.now()
    rows = []
    places = (PoolPlace.objects.filter(
        opportunity__event=event, opportunity__zone=zone,
        opportunity__published_at__isnull=False, opportunity__ends_at__gt=at)
        .select_related("opportunity", "profile__member__delegation__entity"))
    badges = {b.accreditation.member_id: b for b in Badge.objects.filter(
        revoked_at__isnull=True, accreditation__member__in=[p.profile.member_id for p in places]
    ).select_related("accreditation")}
    for p in places:
        badge = badges.get(p.profile.member_id)
        if badge is None:
            continue
        rows.append({"badge": str(badge.id), "zone_bit": zone.bit,
                     "valid_from": int(p.opportunity.starts_at.timestamp()),
                     "valid_until": int(p.opportunity.ends_at.timestamp()),
                     "opportunity": p.opportunity.title, "name": p.profile.member.full_name,
                     "outlet": str(p.profile.member.delegation.entity),
                     "kind": p.get_kind_display()})
    return sorted(rows, key=lambda r: (r["valid_from"], r["badge"]))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed_pool_list(checkpoint) -> dict | None:
    """The pool passes of a checkpoint's zone, signed with the badge key: the offline gate
    believes a list only if its signature verifies with a key it already trusts."""
    passes = passes_for(checkpoint.event, checkpoint.zone)
    payload = json.dumps({"zone_bit": checkpoint.zone.bit, "passes": passes},
                         separators=(",", ":"), ensure_ascii=False).encode()
    try:
        kid, private = badge_keys.signing_key()
    except badge_keys.NoSigningKey:
        return None
    return {"kid": kid, "payload": _b64(payload), "signature": _b64(private.sign(payload)),
            "sha256": hashlib.sha256(payload).hexdigest()}


def pool_admission(checkpoint, badge_id, at: datetime) -> dict | None:
    """Online twin of the offline check: the pass admitting this badge here now, if any."""
    if badge_id is None:
        return None
    passes = [poolgate.Pass(p["badge"], p["zone_bit"], p["valid_from"], p["valid_until"],
                            p["opportunity"]) for p in passes_for(checkpoint.event,
                                                                 checkpoint.zone, at)]
    found = poolgate.admits(passes, str(badge_id), checkpoint.zone.bit, int(at.timestamp()))
    return {"opportunity": found.opportunity} if found else None


# --- Newsroom: figures -----------------------------------------------------------------------

def live_figures(event) -> dict:
    """Each figure's value now, from the registry that keeps it."""
    from convene.treaty import services as treaty

    values = dict.fromkeys(figures.FIGURES)
    current = treaty.current_treaty()
    if current is not None:
        st = treaty.status(current)
        values["signatures"] = st.signatories
        values["instruments"] = st.parties
        values["instruments_needed"] = st.entry_into_force.still_needed
        eif_date = st.entry_into_force.date
        values["entry_into_force"] = eif_date.isoformat() if eif_date else None
        values["days_to_entry_into_force"] = (
            (eif_date - timezone.localdate()).days if eif_date else None)
    values["states_represented"] = Delegation.objects.filter(
        event=event, status="confirmed", entity__kind__in=["member_state", "observer_state"]
    ).count()
    values["heads_of_state"] = Member.objects.filter(
        delegation__event=event, rank__in=["head_of_state", "head_of_government"],
        accreditation__stage__in=APPROVED_STAGES).count()
    values["journalists"] = MediaProfile.objects.filter(
        event=event, member__accreditation__stage__in=APPROVED_STAGES).count()
    return values


def figures_for_review(text: ReleaseText) -> list[dict]:
    live = live_figures(text.release.event)
    return [{"name": n, "label": figures.FIGURES[n][0], "source": figures.FIGURES[n][1],
             "value": live.get(n), "shown": figures.format_value(live.get(n), text.language)}
            for n in figures.references(text.body) if n in figures.FIGURES]


# --- Newsroom: releases ----------------------------------------------------------------------

CHECKLIST = [
    ("facts", gettext_lazy("Facts and quotations checked against the sources")),
    ("figures", gettext_lazy("Each figure's value and source seen")),
    ("names", gettext_lazy("Names, titles and country names as in UN terminology")),
    ("embargo", gettext_lazy("Embargo time and audience right")),
]


def _check_text(title: str, body: str) -> None:
    if not title.strip():
        raise PressRefused(_("Give the title."), "title")
    if not body.strip():
        raise PressRefused(_("Write the text."), "body")
    try:
        figures.check(body)
    except figures.UnknownFigure as exc:
        raise PressRefused(_("Unknown figure: %(names)s. Known figures: %(known)s.") % {
            "names": ", ".join(exc.names), "known": ", ".join(figures.FIGURES)}, "body") from None


@transaction.atomic
def draft_release(user, event, data: dict) -> Release:
    _require(user, "press.draft_release")
    _check_text(data.get("title", ""), data.get("body", ""))
    base = slugify(data["title"])[:40] or "release"
    reference = f"{timezone.localdate():%Y%m%d}-{base}"
    n = 1
    while Release.objects.filter(reference=reference).exists():
        n += 1
        reference = f"{timezone.localdate():%Y%m%d}-{base}-{n}"
    release = Release.objects.create(event=event, kind=data.get("kind") or "release",
                                     reference=reference, created_by=user,
                                     embargo_until=data.get("embargo_until"))
    ReleaseText.objects.create(release=release, language=data.get("language") or "en",
                               title=data["title"].strip(), body=data["body"])
    record(user, "press.release_drafted", release, after={"reference": reference},
           summary=data["title"][:100])
    return release


@transaction.atomic
def save_text(user, release: Release, language: str, title: str, body: str) -> ReleaseText:
    """A draft text or a translation; after publication changes go through correct()."""
    _require(user, "press.draft_release")
    if language not in dict(settings.LANGUAGES):
        raise PressRefused(_("Choose a language."), "language")
    _check_text(title, body)
    text = ReleaseText.objects.filter(release=release, language=language).first()
    if text is not None and text.revisions.exists():
        raise PressRefused(_("This language is published: issue a correction instead."))
    text = text or ReleaseText(release=release, language=language)
    text.title, text.body = title.strip(), body
    text.reviewed_by, text.reviewed_at = None, None
    text.save()
    if release.status == ReleaseStatus.APPROVED and not release.published_at:
        release.status = ReleaseStatus.IN_REVIEW  # approved text changed: approve again
        release.save(update_fields=["status"])
    record(user, "press.text_saved", text, after={"language": language, "title": title},
           summary=f"{release} ({language})")
    return text


@transaction.atomic
def review_text(user, text: ReleaseText, ticked) -> ReleaseText:
    _require(user, "press.review_release")
    missing = [str(label) for key, label in CHECKLIST if key not in set(ticked)]
    if missing:
        raise PressRefused(_("Tick every item of the checklist: %(items)s.")
                           % {"items": "; ".join(missing)}, "checklist")
    text.reviewed_by, text.reviewed_at = user, timezone.now()
    text.save(update_fields=["reviewed_by", "reviewed_at"])
    release = text.release
    release.checklist[text.language] = {"by": user.get_username(),
                                        "figures": figures_for_review(text)}
    if release.status == ReleaseStatus.DRAFT:
        release.status = ReleaseStatus.IN_REVIEW
    release.save(update_fields=["checklist", "status"])
    record(user, "press.text_reviewed", text, after={"language": text.language,
                                                     "checklist": sorted(ticked)},
           summary=f"{release} ({text.language})")
    return text


@transaction.atomic
def approve(user, release: Release) -> Release:
    _require(user, "press.approve_release")
    texts = list(release.texts.all())
    if not texts or any(t.reviewed_at is None for t in texts if not t.revisions.exists()):
        raise PressRefused(_("Every language must be reviewed before approval."))
    # A language added after publication is approved in turn; the release stays public.
    status = (ReleaseStatus.PUBLISHED if release.status == ReleaseStatus.PUBLISHED
              else ReleaseStatus.APPROVED)
    release.status, release.approved_by, release.approved_at = status, user, timezone.now()
    release.save(update_fields=["status", "approved_by", "approved_at"])
    record(user, "press.release_approved", release, summary=str(release))
    return release


def _freeze(text: ReleaseText, live: dict, now) -> dict:
    return {n: {"value": live.get(n), "at": now.isoformat(), "source": figures.FIGURES[n][1]}
            for n in figures.references(text.body)}


@transaction.atomic
def publish(user, release: Release, *, embargo_until: datetime | None = None) -> Release:
    """Publish every approved, reviewed language, freezing its figures now. With an embargo
    the release stays invisible (page, feed, API) until that time."""
    _require(user, "press.publish_release")
    release = Release.objects.select_for_update().get(pk=release.pk)
    waiting = [t for t in release.texts.filter(reviewed_at__isnull=False)
               if not t.revisions.exists()]
    approved_now = release.status == ReleaseStatus.APPROVED or (
        release.status == ReleaseStatus.PUBLISHED and release.approved_at is not None
        and waiting and all(t.reviewed_at <= release.approved_at for t in waiting))
    if not approved_now:
        raise PressRefused(_("Only an approved release can be published."))
    now = timezone.now()
    live = live_figures(release.event)
    published = []
    for text in release.texts.filter(reviewed_at__isnull=False):
        if text.revisions.exists():
            continue
        Revision.objects.create(text=text, number=1, title=text.title,
                                rendered=figures.render(text.body, live, text.language),
                                figures=_freeze(text, live, now), created_by=user,
                                created_at=now)
        published.append(text.language)
    if release.status != ReleaseStatus.PUBLISHED:
        release.embargo_until = embargo_until or release.embargo_until
        release.status = ReleaseStatus.PUBLISHED
        release.published_at = (max(now, release.embargo_until) if release.embargo_until
                                else now)
    release.save(update_fields=["status", "published_at", "embargo_until"])
    if release.published_at > now and published:
        _send_embargoed_copies(release, published)
    record(user, "press.release_published", release,
           after={"languages": published, "embargo_until": release.embargo_until,
                  "figures": live}, summary=str(release))
    return release


def _send_embargoed_copies(release: Release, languages: list[str]) -> None:
    """Embargoed copies go to accredited journalists only, marked with the embargo."""
    emails = sorted(set(Member.objects.filter(
        delegation__event=release.event, media_profile__isnull=False,
        accreditation__stage__in=APPROVED_STAGES).exclude(email="")
        .values_list("email", flat=True)))
    texts = [latest(t) for t in release.texts.filter(language__in=languages)]
    until = timezone.localtime(release.published_at).strftime("%d %B %Y %H:%M %Z")

    def send():
        from django.core.mail import EmailMessage

        body = "\n\n---\n\n".join(f"{r.title}\n\n{r.rendered}" for r in texts if r)
        for email in emails:  # one message each: no journalist sees the others' addresses
            EmailMessage(f"EMBARGOED UNTIL {until}: {texts[0].title if texts else release}",
                         f"EMBARGOED UNTIL {until}. Not for publication before that time.\n\n"
                         f"{body}", settings.DEFAULT_FROM_EMAIL, [email]).send()

    transaction.on_commit(send)


@transaction.atomic
def correct(user, text: ReleaseText, *, title: str, body: str, reason: str,
            refresh_figures: bool = False) -> Revision:
    """A correction (or, refreshing the figures, an update) after publication: a new
    revision with its reason, the earlier ones kept and shown; never a silent edit."""
    _require(user, "press.correct_release")
    if not reason.strip():
        raise PressRefused(_("Give the reason for the correction."), "reason")
    _check_text(title, body)
    last = text.revisions.order_by("-number").first()
    if last is None:
        raise PressRefused(_("This language is not published yet: edit the draft."))
    now = timezone.now()
    if refresh_figures:
        live, frozen = live_figures(text.release.event), None
        frozen = _freeze(ReleaseText(body=body), live, now)
    else:
        frozen = {n: last.figures[n] for n in figures.references(body) if n in last.figures}
        missing = [n for n in figures.references(body) if n not in frozen]
        if missing:
            live = live_figures(text.release.event)
            frozen.update({n: {"value": live.get(n), "at": now.isoformat(),
                               "source": figures.FIGURES[n][1]} for n in missing})
    values = {n: f["value"] for n, f in frozen.items()}
    text.title, text.body = title.strip(), body
    text.save(update_fields=["title", "body"])
    revision = Revision.objects.create(
        text=text, number=last.number + 1, title=title.strip(),
        rendered=figures.render(body, values, text.language), figures=frozen,
        reason=reason.strip(), created_by=user, created_at=now)
    record(user, "press.release_corrected", revision,
           before={"number": last.number, "rendered": last.rendered},
           after={"number": revision.number, "rendered": revision.rendered,
                  "reason": revision.reason}, summary=f"{text.release} ({text.language})")
    return revision


def public_releases(event=None, now=None):
    """Published releases whose embargo has passed: what the newsroom, feed and API show."""
    now = now or timezone.now()
    qs = Release.objects.filter(status=ReleaseStatus.PUBLISHED, published_at__lte=now)
    if event is not None:
        qs = qs.filter(event=event)
    return qs.prefetch_related("texts__revisions").order_by("-published_at")


def latest(text: ReleaseText) -> Revision | None:
    revisions = list(text.revisions.all())
    return revisions[-1] if revisions else None


@dataclass
class StaleFigure:
    release: Release
    language: str
    name: str
    published: object
    now: object


def stale_figures(event) -> list[StaleFigure]:
    """Figures that changed since they were published: the communications team may update."""
    live = live_figures(event)
    out = []
    for release in Release.objects.filter(event=event, status=ReleaseStatus.PUBLISHED
                                          ).prefetch_related("texts__revisions"):
        for text in release.texts.all():
            last = latest(text)
            if last is None:
                continue
            for change in figures.changed(last.figures, live):
                out.append(StaleFigure(release, text.language, change.name, change.published,
                                       change.now))
    return out


def notify_stale_figures(event) -> int:
    """Tell the communications team once per changed figure (press check_figures)."""
    from django.core.cache import cache

    from convene.accounts.models import Role, User

    stale = [s for s in stale_figures(event)
             if cache.add(f"press-stale:{s.release.pk}:{s.language}:{s.name}:{s.now}", 1,
                          60 * 60 * 24 * 30)]
    if not stale:
        return 0
    emails = list(User.objects.filter(role_assignments__role__in=[
        Role.COMMUNICATIONS_OFFICER, Role.RELEASE_APPROVER]).exclude(email="")
        .values_list("email", flat=True).distinct())
    lines = [f"{s.release} ({s.language}): {s.name} was {s.published}, is now {s.now}"
             for s in stale]
    if emails:
        send_mail(_("Figures changed in published releases"),
                  "\n".join(lines) + "\n\n" + absolute_url("press:newsroom_desk"),
                  settings.DEFAULT_FROM_EMAIL, emails)
    return len(stale)


def translations_missing(release: Release) -> list[str]:
    have = {t.language for t in release.texts.all()}
    return [code for code, _name in settings.LANGUAGES if code not in have]


def newsroom_q(language: str):
    return Q(texts__language=language)


# --- Media centre, interviews, press conferences ---------------------------------------------

def _aware(value):
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


@transaction.atomic
def save_facility(user, event, data: dict):
    from convene.press.models import Facility

    _require(user, "press.manage_facilities")
    facility = Facility(event=event, kind=data.get("kind"), name=(data.get("name") or "").strip(),
                        capacity=data.get("capacity") or 1)
    try:
        facility.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PressRefused(" ".join(messages), field) from None
    facility.save()
    record(user, "press.facility_saved", facility, after=snapshot(facility),
           summary=facility.name)
    return facility


@transaction.atomic
def book(user, facility, profile: MediaProfile, starts_at, ends_at):
    """Book a workstation, booth or room, within its capacity."""
    from convene.press import media_centre
    from convene.press.models import Booking, Facility

    _require(user, "press.book", profile)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise PressRefused(_("The booking must end after it starts."), "ends_at")
    if not is_accredited(profile, fresh=True):
        raise PressRefused(_("Only an approved accreditation can book."))
    Facility.objects.select_for_update().get(pk=facility.pk)  # one booking at a time per room
    taken = list(Booking.objects.filter(facility=facility, starts_at__lt=ends_at,
                                        ends_at__gt=starts_at)
                 .values_list("starts_at", "ends_at"))
    if not media_centre.has_room(taken, facility.capacity, starts_at, ends_at):
        raise PressRefused(_("%(f)s is full at that time (capacity %(n)d).")
                           % {"f": facility, "n": facility.capacity}, "starts_at")
    booking = Booking.objects.create(facility=facility, profile=profile, starts_at=starts_at,
                                     ends_at=ends_at, created_by=user)
    record(user, "press.booked", booking, after={"facility": facility.name,
                                                 "from": starts_at, "until": ends_at},
           summary=f"{profile.member.full_name}: {facility}")
    return booking


@transaction.atomic
def flag_spokesperson(user, member: Member, on: bool = True):
    from convene.press.models import Spokesperson

    _require(user, "press.flag_spokesperson", member)
    if on:
        Spokesperson.objects.get_or_create(member=member)
    else:
        Spokesperson.objects.filter(member=member).delete()
    record(user, "press.spokesperson_flagged" if on else "press.spokesperson_unflagged", member,
           summary=member.full_name)


@transaction.atomic
def request_interview(user, profile: MediaProfile, delegation: Delegation, topic: str,
                      minutes: int = 20):
    from convene.press.models import InterviewRequest, Spokesperson

    _require(user, "press.request_interview", profile)
    if not topic.strip():
        raise PressRefused(_("Say what the interview is about."), "topic")
    if not Spokesperson.objects.filter(member__delegation=delegation).exists():
        raise PressRefused(_("This delegation has no spokesperson for the press."),
                           "delegation")
    req = InterviewRequest.objects.create(profile=profile, delegation=delegation,
                                          topic=topic.strip()[:300],
                                          minutes=max(5, min(int(minutes or 20), 90)))
    record(user, "press.interview_requested", req, summary=f"{profile.member.full_name} → "
                                                          f"{delegation}")
    return req


def _delegation_busy(delegation, exclude=None) -> list[tuple]:
    """When the delegation's principal is taken: the programme (the busy-time service that
    bilaterals use), its published bilaterals, and its accepted interviews."""
    from convene.bilaterals import availability
    from convene.bilaterals import services as bilaterals
    from convene.press.models import InterviewRequest, InterviewStatus

    times, _warnings = availability.busy_times(delegation.event)
    busy = [(b.start, b.end) for b in times if b.delegation_id in (None, delegation.pk)]
    busy += [(m.start, m.end) for m in bilaterals.agenda(delegation) if not m.cancelled]
    busy += list(InterviewRequest.objects.filter(
        delegation=delegation, status=InterviewStatus.ACCEPTED).exclude(pk=getattr(
            exclude, "pk", None)).values_list("starts_at", "ends_at"))
    return busy


def _interview_windows(event):
    """09:00-19:00 of each day of the event, from now on (all of it for an event that is over:
    a rehearsal or the demo)."""
    tz = timezone.get_current_timezone()
    now = timezone.now() if event.end_date >= timezone.localdate() else None
    day = event.start_date
    while day <= event.end_date:
        start, end = datetime.combine(day, time(9, 0), tz), datetime.combine(day, time(19, 0), tz)
        if now is not None and now > start:
            start = (now + timedelta(minutes=10)).replace(second=0, microsecond=0)
        if start < end:
            yield start, end
        day += timedelta(days=1)


@transaction.atomic
def answer_interview(user, req, accept: bool):
    """The delegation's focal point accepts (a slot and a room that avoid the principal's
    programme and bilaterals are given) or declines an interview request."""
    from convene.press import media_centre
    from convene.press.models import Booking, Facility, FacilityKind, InterviewStatus

    _require(user, "press.answer_interview", req)
    if req.status != InterviewStatus.REQUESTED:
        raise PressRefused(_("This request has been answered already."))
    if not accept:
        req.status = InterviewStatus.DECLINED
        req.save(update_fields=["status"])
        record(user, "press.interview_declined", req, summary=str(req))
        return req
    busy = _delegation_busy(req.delegation, exclude=req)
    rooms = list(Facility.objects.filter(event=req.delegation.event,
                                         kind=FacilityKind.INTERVIEW_ROOM))
    if not rooms:
        raise PressRefused(_("The media centre has no interview room yet."))
    for start, end in _interview_windows(req.delegation.event):
        while start < end:
            slot = media_centre.first_free_slot(start, end, req.minutes, busy)
            if slot is None:
                break
            for room in rooms:
                taken = list(Booking.objects.filter(facility=room, starts_at__lt=slot[1],
                                                    ends_at__gt=slot[0])
                             .values_list("starts_at", "ends_at"))
                taken += [(i.starts_at, i.ends_at) for i in type(req).objects.filter(
                    room=room, status=InterviewStatus.ACCEPTED)]
                if media_centre.has_room(taken, room.capacity, *slot):
                    req.status, req.room = InterviewStatus.ACCEPTED, room
                    req.starts_at, req.ends_at = slot
                    req.save(update_fields=["status", "room", "starts_at", "ends_at"])
                    record(user, "press.interview_accepted", req,
                           after={"from": slot[0], "until": slot[1], "room": room.name},
                           summary=str(req))
                    return req
            start = slot[0] + timedelta(minutes=10)
    raise PressRefused(_("No free slot and room remain for this interview during the event."))


def _hand(q):
    outlet = q.profile.member.delegation.media_outlet
    from convene.press import media_centre

    return media_centre.Hand(q.pk, str(outlet.pk), outlet.country or (
        "domestic" if not outlet.foreign else "foreign"), q.asked_at)


def question_queue(session) -> list:
    """The waiting questions in the order the moderator calls them (media_centre.py)."""
    from convene.press import media_centre
    from convene.press.models import Question

    rows = list(Question.objects.filter(session=session, withdrawn=False).select_related(
        "profile__member__delegation__media_outlet", "profile__member__delegation__entity"))
    waiting = [q for q in rows if q.called_at is None]
    order = media_centre.balanced_queue([_hand(q) for q in waiting],
                                        [_hand(q) for q in rows if q.called_at])
    by_id = {q.pk: q for q in waiting}
    return [by_id[h.id] for h in order]


@transaction.atomic
def ask(user, session):
    from convene.press.models import Question

    _require(user, "press.ask_question")
    profile = MediaProfile.objects.filter(user=user).select_related("member").first()
    if profile is None or not is_accredited(profile, fresh=True):
        raise PressRefused(_("Only an accredited journalist asks for the floor."))
    if Question.objects.filter(session=session, profile=profile, called_at__isnull=True,
                               withdrawn=False).exists():
        raise PressRefused(_("You are in the queue already."))
    q = Question.objects.create(session=session, profile=profile)
    record(user, "press.floor_asked", q, summary=f"{profile.member.full_name}: {session}")
    return q


@transaction.atomic
def call_next(user, session):
    _require(user, "press.moderate")
    queue = question_queue(session)
    if not queue:
        raise PressRefused(_("Nobody is waiting."))
    q = queue[0]
    q.called_at = timezone.now()
    q.save(update_fields=["called_at"])
    record(user, "press.floor_given", q, summary=f"{q.profile.member.full_name}: {session}")
    return q


# --- Photo gallery and media kit -------------------------------------------------------------

@transaction.atomic
def add_photo(user, event, upload, caption: str, credit: str):
    """A newsroom photo with its caption and credit; resized in the background."""
    from convene.press.models import GalleryPhoto

    _require(user, "press.draft_release")
    if not caption.strip():
        raise PressRefused(_("Give the caption."), "caption")
    if not credit.strip():
        raise PressRefused(_("Give the photographer's credit."), "credit")
    try:
        checked = uploads.check_image(uploads.read_bounded(upload, uploads.limit(
            "image_max_bytes")), name=getattr(upload, "name", ""))
    except uploads.UploadRefused as exc:
        raise PressRefused(exc.message, "photo") from None
    photo = GalleryPhoto(event=event, caption=caption.strip()[:300], credit=credit.strip()[:120],
                         created_by=user)
    from convene.press.tasks import resized

    # Stored re-encoded at its own size: the original's metadata (GPS …) never leaves.
    photo.original.save("original.jpg", ContentFile(resized(checked.content, 4000)), save=False)
    photo.save()
    record(user, "press.photo_added", photo, after={"caption": photo.caption,
                                                    "credit": photo.credit}, summary=caption)

    def enqueue():
        from convene.press.tasks import resize_gallery_photo

        resize_gallery_photo.enqueue(photo.pk)

    transaction.on_commit(enqueue)
    return photo


def public_photos(event):
    from convene.press.models import GalleryPhoto

    return GalleryPhoto.objects.filter(event=event, published=True).exclude(web="")


def media_kit(event) -> bytes:
    """A ZIP of what the newsroom has published: each release in each language (latest
    revision), the fact sheets among them, and the gallery photos with their credits."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as kit:
        for release in public_releases(event):
            for text in release.texts.all():
                last = latest(text)
                if last is None:
                    continue
                note = (f"\n\nCorrected {last.created_at:%Y-%m-%d %H:%M}: {last.reason}"
                        if last.number > 1 else "")
                kit.writestr(f"{release.kind}/{release.reference}-{text.language}.txt",
                             f"{last.title}\n\n{last.rendered}{note}\n")
        credits = []
        for photo in public_photos(event):
            name = f"photos/{photo.pk:04d}.jpg"
            with photo.web.open("rb") as fh:
                kit.writestr(name, fh.read())
            credits.append(f"{name}\t{photo.caption}\t© {photo.credit}")
        kit.writestr("photos/CREDITS.txt", "\n".join(credits) + "\n")
    return out.getvalue()
