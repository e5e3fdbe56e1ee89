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
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

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
from convene.press import poolgate, pools
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
    Reserved,
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
        try:
            accreditation.submit(user, member)
        except WorkflowRefused as exc:  # e.g. no photo yet: nothing of the nomination is kept
            raise PressRefused(exc.message, "photo") from None
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
    from convene.accreditation.storage import private_storage

    name = _pending_photo_name(profile)
    try:
        accreditation.set_category(user, member, _category_for(profile.event, profile.function))
        if private_storage().exists(name):
            with private_storage().open(name) as fh:
                _photo(user, member, fh.read())
            transaction.on_commit(lambda: private_storage().delete(name))
            accreditation.submit(user, member)
    except WorkflowRefused as exc:
        raise PressRefused(exc.message) from None
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
