"""What people do with protocol: settings, the lot, speakers lists and swaps, signatories and
full powers. One transaction per action, with its permission check and audit event.

`signing_schedule(event)` is what the treaty app (issue 5) reads to know who signs when."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.accounts.permissions import require as _require
from convene.audit.services import record, snapshot
from convene.core import uploads
from convene.delegations.models import Delegation, DelegationStatus, Member
from convene.directory.models import Entity, EntityKind
from convene.programme.models import Session, SessionKind
from convene.protocol import precedence, seating, signature, speakers
from convene.protocol.models import (
    FullPowers,
    FullPowersStatus,
    ProtocolSettings,
    SeatingDraw,
    Signatory,
    SpeakerEntry,
    SpeakersList,
    SpeakerSwap,
    SwapStatus,
)

SETTINGS_FIELDS = ["host_delegation", "rank_bands", "kind_bands", "speaker_time_limit",
                   "seats_per_kind", "host_seating", "signature_host_first", "signature_order",
                   "signing_slot_minutes", "signing_session"]


class ProtocolRefused(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


# --- Settings and precedence ----------------------------------------------------------------

def settings_for(event) -> ProtocolSettings:
    """The event's protocol settings; the cited defaults when none have been saved."""
    return (ProtocolSettings.objects.filter(event=event).select_related("host_delegation")
            .first() or ProtocolSettings(event=event))


def policy_for(event, settings: ProtocolSettings | None = None) -> precedence.PrecedencePolicy:
    settings = settings or settings_for(event)
    return precedence.PrecedencePolicy.from_overrides(settings.rank_bands, settings.kind_bands)


@transaction.atomic
def update_settings(user, event, data: dict) -> ProtocolSettings:
    _require(user, "protocol.manage_protocol")
    current = settings_for(event)
    before = snapshot(current, SETTINGS_FIELDS) if current.pk else None
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(current, name, data[name])
    if current.host_delegation_id and current.host_delegation.event_id != event.pk:
        raise ProtocolRefused(_("Choose a delegation to this event."), "host_delegation")
    current.save()
    record(user, "protocol.settings_updated", current, before=before,
           after=snapshot(current, SETTINGS_FIELDS), summary=str(event))
    return current


def band_of(policy: precedence.PrecedencePolicy, member: Member) -> int:
    return policy.band(member.rank, member.delegation.entity.kind)


# --- The lot for seating --------------------------------------------------------------------

def current_draw(event) -> SeatingDraw | None:
    return SeatingDraw.objects.filter(event=event).select_related("entity", "recorded_by").first()


@transaction.atomic
def record_draw(user, event, entity: Entity, drawn_by: str, drawn_at=None) -> SeatingDraw:
    """Record the lot drawn (by the Secretary-General at the UN: A/RES/71/323 para. 42)."""
    _require(user, "protocol.manage_protocol")
    if entity.kind != EntityKind.MEMBER_STATE:
        raise ProtocolRefused(_("The lot is drawn among Member States."), "entity")
    if not drawn_by.strip():
        raise ProtocolRefused(_("Say who drew the lot."), "drawn_by")
    draw = SeatingDraw.objects.create(event=event, entity=entity, drawn_by=drawn_by.strip(),
                                      drawn_at=drawn_at or timezone.now(), recorded_by=user)
    record(user, "protocol.lot_drawn", draw, after=snapshot(draw),
           summary=f"{entity.name_en} drawn by {draw.drawn_by}")
    return draw


@transaction.atomic
def draw_by_lot(user, event) -> SeatingDraw:
    """Let Convene draw the lot among all Member States, with the system's secure random."""
    _require(user, "protocol.manage_protocol")
    states = list(Entity.objects.filter(kind=EntityKind.MEMBER_STATE).order_by("code"))
    if not states:
        raise ProtocolRefused(_("No Member States are loaded."))
    entity = secrets.SystemRandom().choice(states)
    draw = SeatingDraw.objects.create(event=event, entity=entity, random=True,
                                      drawn_by=_("Convene (random draw) for %(user)s")
                                      % {"user": user.get_username()},
                                      drawn_at=timezone.now(), recorded_by=user)
    record(user, "protocol.lot_drawn", draw, after=snapshot(draw),
           summary=f"{entity.name_en} drawn at random")
    return draw


# --- Speakers lists -------------------------------------------------------------------------

SPEAKING_KINDS = (SessionKind.PLENARY, SessionKind.HIGH_LEVEL, SessionKind.OPENING)


def speakers_list_for(session: Session) -> SpeakersList:
    return (SpeakersList.objects.filter(session=session).first()
            or SpeakersList(session=session))


@transaction.atomic
def inscribe_speaker(user, session: Session, delegation: Delegation, speaker: Member,
                     time_limit: int | None = None) -> SpeakerEntry:
    _require(user, "protocol.inscribe_speaker", delegation)
    if session.kind not in SPEAKING_KINDS:
        raise ProtocolRefused(_("This session has no speakers list."))
    if delegation.event_id != session.event_id:
        raise ProtocolRefused(_("This delegation is not attending this event."), "delegation")
    if speaker.delegation_id != delegation.pk:
        raise ProtocolRefused(_("The speaker must be a member of the delegation."), "speaker")
    if speaker.status == "refused":
        raise ProtocolRefused(_("%(name)s has been refused accreditation.")
                              % {"name": speaker.full_name}, "speaker")
    if time_limit is not None and not (1 <= time_limit <= 60):
        raise ProtocolRefused(_("Give a speaking time between 1 and 60 minutes."), "time_limit")
    speakers_list, _created = SpeakersList.objects.get_or_create(session=session)
    if speakers_list.closed and not user.has_perm("protocol.manage_protocol"):
        raise ProtocolRefused(_("The list of speakers is closed."))
    if speakers_list.entries.filter(delegation=delegation, withdrawn_at__isnull=True).exists():
        raise ProtocolRefused(_("%(d)s is already inscribed on this list.") % {"d": delegation},
                              "delegation")
    entry = SpeakerEntry.objects.create(speakers_list=speakers_list, delegation=delegation,
                                        speaker=speaker, inscribed_at=timezone.now(),
                                        time_limit=time_limit, inscribed_by=user)
    record(user, "protocol.speaker_inscribed", entry, after=snapshot(entry),
           summary=f"{delegation}: {speaker.full_name} — {session.title}")
    return entry


@transaction.atomic
def withdraw_speaker(user, entry: SpeakerEntry) -> SpeakerEntry:
    _require(user, "protocol.inscribe_speaker", entry)
    if entry.withdrawn_at is None:
        entry.withdrawn_at = timezone.now()
        entry.save(update_fields=["withdrawn_at"])
        record(user, "protocol.speaker_withdrawn", entry,
               after={"withdrawn_at": entry.withdrawn_at}, summary=str(entry))
    return entry


@transaction.atomic
def propose_swap(user, first: SpeakerEntry, second: SpeakerEntry) -> SpeakerSwap:
    """One delegation asks another to exchange slots. The secretariat records a swap both have
    notified jointly (COP21 practice), so when it proposes, the swap is agreed at once."""
    _require(user, "protocol.swap_speaker", first)
    if first.pk == second.pk or first.speakers_list_id != second.speakers_list_id:
        raise ProtocolRefused(_("Choose another delegation on the same list."), "second")
    if first.withdrawn_at or second.withdrawn_at:
        raise ProtocolRefused(_("A withdrawn inscription cannot be swapped."), "second")
    agreed = user.has_perm("protocol.manage_protocol")
    swap = SpeakerSwap.objects.create(
        first=first, second=second, proposed_by=user,
        status=SwapStatus.AGREED if agreed else SwapStatus.PROPOSED,
        decided_by=user if agreed else None, decided_at=timezone.now() if agreed else None)
    record(user, "protocol.swap_agreed" if agreed else "protocol.swap_proposed", swap,
           after=snapshot(swap), summary=f"{first.delegation} ⇄ {second.delegation}")
    return swap


@transaction.atomic
def decide_swap(user, swap: SpeakerSwap, agree: bool) -> SpeakerSwap:
    """The other delegation (or the secretariat for it) agrees or declines."""
    _require(user, "protocol.swap_speaker", swap.second)
    if swap.status != SwapStatus.PROPOSED:
        raise ProtocolRefused(_("This swap has already been decided."))
    before = snapshot(swap, ["status"])
    swap.status = SwapStatus.AGREED if agree else SwapStatus.DECLINED
    swap.decided_by, swap.decided_at = user, timezone.now()
    swap.save(update_fields=["status", "decided_by", "decided_at"])
    record(user, "protocol.swap_" + swap.status, swap, before=before,
           after=snapshot(swap, ["status"]),
           summary=f"{swap.first.delegation} ⇄ {swap.second.delegation}")
    return swap


@dataclass
class SpeakersView:
    speakers_list: SpeakersList
    slots: list[speakers.Slot]
    entries: dict[int, SpeakerEntry]
    swaps: list[SpeakerSwap]
    time_limit: int


def speakers_view(session: Session, *, start=None) -> SpeakersView:
    """The ordered list with planned times, in a fixed number of queries."""
    settings = settings_for(session.event)
    policy = policy_for(session.event, settings)
    speakers_list = speakers_list_for(session)
    entries = {}
    swaps: list[SpeakerSwap] = []
    if speakers_list.pk:
        entries = {e.pk: e for e in speakers_list.entries.filter(withdrawn_at__isnull=True)
                   .select_related("delegation__entity", "speaker")}
        swaps = list(SpeakerSwap.objects.filter(first__speakers_list=speakers_list)
                     .select_related("first__delegation__entity", "second__delegation__entity"))
    inscriptions = [speakers.Inscription(
        e.pk, e.delegation_id, str(e.delegation), e.speaker.full_name,
        policy.band(e.speaker.rank, e.delegation.entity.kind), e.inscribed_at, e.time_limit)
        for e in entries.values()]
    agreed = [speakers.Swap(s.first_id, s.second_id, s.decided_at) for s in swaps
              if s.status == SwapStatus.AGREED and s.decided_at]
    order = speakers.order_speakers(inscriptions, agreed)
    time_limit = speakers_list.time_limit or settings.speaker_time_limit
    slots = speakers.schedule(order, start or session.starts_at, time_limit,
                              swapped_ids=speakers.swapped_ids(agreed))
    return SpeakersView(speakers_list, slots, entries, swaps, time_limit)


def speaker_cue_items(session: Session, after) -> list[dict]:
    """The statements of the speakers list as script cues, starting at `after`."""
    view = speakers_view(session, start=after)
    return [{"speaker_entry": view.entries[slot.inscription.id],
             "what": _("Statement by %(speaker)s (%(delegation)s), %(n)d min")
             % {"speaker": slot.inscription.speaker, "delegation": slot.inscription.name,
                "n": slot.minutes},
             "planned_at": slot.planned_start, "duration_seconds": slot.minutes * 60,
             "where": _("Podium")}
            for slot in view.slots]


def put_speakers_in_script(user, session: Session):
    from convene.programme import services as programme

    last = session.cues.order_by("-position").first()
    after = (last.planned_at + timedelta(seconds=last.duration_seconds)) if last \
        else session.starts_at
    return programme.set_speaker_cues(user, session, speaker_cue_items(session, after))


# --- Seating --------------------------------------------------------------------------------

@dataclass
class SeatingView:
    plan: seating.SeatingPlan | None
    draw: SeatingDraw | None
    chairs: list
    problem: str | None
    host_seating: str


def seating_view(session: Session) -> SeatingView:
    settings = settings_for(session.event)
    draw = current_draw(session.event)
    chairs = [p for p in session.participations.select_related("member__delegation__entity")
              if p.role in ("chair", "co_chair")]
    room = session.room
    if room is None or not room.rows or not room.seats_per_row:
        return SeatingView(None, draw, chairs, _("The session's room has no seating layout "
                                                 "(rows and seats per row)."),
                           settings.host_seating)
    delegations = (Delegation.objects.filter(event=session.event,
                                             status=DelegationStatus.CONFIRMED)
                   .select_related("entity"))
    host_id = settings.host_delegation_id
    seatables = [seating.Seatable(d.pk, d.entity.name_en, d.entity.kind, d.pk == host_id)
                 for d in delegations]
    order = seating.seating_order(seatables, draw.entity.name_en if draw else None,
                                  host=settings.host_seating)
    plan = seating.assign_seats(order, room.rows, room.seats_per_row,
                                settings.seats_per_kind or None)
    return SeatingView(plan, draw, chairs, None, settings.host_seating)


# --- Signature and full powers --------------------------------------------------------------

SIGNING_KINDS = (EntityKind.MEMBER_STATE, EntityKind.OBSERVER_STATE, EntityKind.REIO)


@transaction.atomic
def book_signature(user, event, delegation: Delegation, signer: Member,
                   appointment=None) -> Signatory:
    """Name who signs for a State (or the EU) and book the appointment. The Convention is open
    to States and regional economic integration organisations (art. 64)."""
    _require(user, "protocol.book_signature", delegation)
    if delegation.event_id != event.pk:
        raise ProtocolRefused(_("This delegation is not attending this event."), "delegation")
    if delegation.entity.kind not in SIGNING_KINDS:
        raise ProtocolRefused(_("Only States and regional economic integration organisations "
                                "sign the Convention (art. 64)."), "delegation")
    if signer.delegation_id != delegation.pk:
        raise ProtocolRefused(_("The signer must be a member of the delegation."), "signer")
    current = Signatory.objects.filter(event=event, delegation=delegation).first()
    before = snapshot(current, ["signer", "appointment"]) if current else None
    signatory = current or Signatory(event=event, delegation=delegation, booked_by=user)
    signatory.signer, signatory.appointment = signer, appointment
    signatory.save()
    record(user, "protocol.signature_booked", signatory, before=before,
           after=snapshot(signatory, ["signer", "appointment"]),
           summary=f"{delegation}: {signer.full_name}")
    return signatory


@transaction.atomic
def upload_full_powers(user, signatory: Signatory, document) -> FullPowers:
    """Keep the full powers once their content proves them a PDF or a scan (UploadRefused says
    what is wrong); stored under the extension the content calls for."""
    _require(user, "protocol.upload_full_powers", signatory)
    checked = uploads.check_letter(uploads.read_bounded(
        document, uploads.limit("document_max_bytes")), name=document.name)
    fp = FullPowers(signatory=signatory, uploaded_by=user)
    fp.document.save(checked.storage_name("full-powers"), ContentFile(checked.content),
                     save=False)
    fp.save()
    record(user, "protocol.full_powers_uploaded", fp,
           after={**snapshot(fp), "file": checked.audit()}, summary=str(signatory))
    return fp


@transaction.atomic
def check_full_powers(user, fp: FullPowers, accept: bool, remarks: str = "") -> FullPowers:
    """The depositary's examination (VCLT art. 7(1)(a)); a rejection needs a reason."""
    _require(user, "protocol.check_full_powers", fp)
    if not accept and not remarks.strip():
        raise ProtocolRefused(_("Say why the full powers are rejected."), "remarks")
    before = snapshot(fp, ["status", "remarks"])
    fp.status = FullPowersStatus.CHECKED if accept else FullPowersStatus.REJECTED
    fp.remarks, fp.checked_by, fp.checked_at = remarks.strip(), user, timezone.now()
    fp.save(update_fields=["status", "remarks", "checked_by", "checked_at"])
    record(user, "protocol.full_powers_" + fp.status, fp, before=before,
           after=snapshot(fp, ["status", "remarks"]), summary=str(fp.signatory))
    return fp


def signatories(event):
    return (Signatory.objects.filter(event=event)
            .select_related("delegation__entity", "signer")
            .prefetch_related(Prefetch("full_powers",
                                       queryset=FullPowers.objects.order_by("-uploaded_at",
                                                                            "-pk"))))


def _latest_full_powers(signatory: Signatory) -> FullPowers | None:
    items = list(signatory.full_powers.all())
    return items[0] if items else None


@dataclass
class ScheduleView:
    schedule: signature.SigningSchedule
    signatories: dict[int, Signatory]
    start: object
    policy: signature.SignaturePolicy


def signing_schedule_view(event) -> ScheduleView:
    settings = settings_for(event)
    policy = policy_for(event, settings)
    sig_policy = signature.SignaturePolicy(settings.signature_host_first,
                                           settings.signature_order,
                                           settings.signing_slot_minutes)
    start = _signing_start(event, settings)
    people = {s.pk: s for s in signatories(event)}
    signers = []
    for s in people.values():
        fp = _latest_full_powers(s)
        signers.append(signature.Signer(
            s.pk, s.delegation_id, s.delegation.entity.name_en, s.signer.full_name,
            s.signer.rank, policy.band(s.signer.rank, s.delegation.entity.kind),
            s.delegation.entity.kind in (EntityKind.MEMBER_STATE, EntityKind.OBSERVER_STATE),
            s.delegation_id == settings.host_delegation_id, s.appointment,
            fp.status if fp else None))
    return ScheduleView(signature.signing_schedule(signers, sig_policy, start), people, start,
                        sig_policy)


def _signing_start(event, settings: ProtocolSettings):
    if settings.signing_session_id:
        return settings.signing_session.starts_at
    session = (Session.objects.filter(event=event, kind=SessionKind.SIGNING)
               .order_by("starts_at").first())
    if session:
        return session.starts_at
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(event.start_date, time(9, 0)))


@dataclass(frozen=True)
class ScheduledSignature:
    """One line of the signing schedule, as the treaty app reads it."""

    number: int
    delegation_id: int
    entity_code: str
    signer_member_id: int
    signer_name: str
    starts_at: object
    ends_at: object
    full_powers_needed: bool


def signing_schedule(event) -> list[ScheduledSignature]:
    """Who signs when at the ceremony — for the treaty app (issue 5), which records the
    signatures. Signatories without the full powers they need are not in it."""
    view = signing_schedule_view(event)
    out = []
    for slot in view.schedule.slots:
        s = view.signatories[slot.signer.id]
        out.append(ScheduledSignature(slot.number, s.delegation_id, s.delegation.entity.code,
                                      s.signer_id, s.signer.full_name, slot.starts_at,
                                      slot.ends_at, slot.needs_full_powers))
    return out
