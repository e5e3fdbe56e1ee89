"""Demo protocol data for Hanoi: the policy (host Viet Nam seated and signing first), a lot
drawn for seating, a speakers list with a swap, signatories with and without full powers.
Invented for the demo (audit summaries say "(demo)"); idempotent."""

import functools
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from convene.audit.services import record, snapshot
from convene.delegations.models import Delegation, Member
from convene.directory.models import Entity
from convene.programme.models import Session
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

# (entity code, family name of the speaker, minutes after 18 Oct 09:00 when inscribed)
SPEAKERS = [("EGY", "Abdelrahman", 0), ("IDN", "Wulandari", 5), ("CHN", "Wang", 20),
            ("KHM", "Sok", 40), ("LAO", "Phommavong", 60), ("EU", "Schmidt", 90)]
# (entity code, family name of the signer, full powers: None, "uploaded" or "checked")
SIGNATORIES = [("VNM", "Nguyen", None), ("LAO", "Sisavath", None), ("KHM", "Sok", "checked"),
               ("IDN", "Wulandari", "checked"), ("CHN", "Wang", "uploaded"),
               ("EU", "Schmidt", None)]


@functools.cache
def demo_full_powers_pdf() -> bytes:
    """A real one-page PDF (uploads are parsed, and the depositary opens it), marked as demo."""
    from weasyprint import HTML

    return HTML(string="<h1>Full powers</h1><p>DEMO — not a real instrument. Fictional data "
                       "for the Convene demonstration.</p>").write_pdf()


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(2025, 10, day, hour, minute))


def _member(event, code, family_name):
    return Member.objects.filter(delegation__event=event, delegation__entity__code=code,
                                 family_name=family_name).select_related("delegation").first()


@transaction.atomic
def load_demo(event) -> None:
    host = Delegation.objects.filter(event=event, entity__code="VNM").first()
    settings, created = ProtocolSettings.objects.get_or_create(
        event=event, defaults={"host_delegation": host, "host_seating": "first",
                               "signing_session": Session.objects.filter(
                                   event=event, kind="signing").first()})
    if created:
        record(None, "protocol.settings_updated", settings, after=snapshot(settings),
               summary=f"{event} (demo)")
    if not SeatingDraw.objects.filter(event=event).exists():
        entity = Entity.objects.filter(code="THA").first()
        if entity:
            draw = SeatingDraw.objects.create(event=event, entity=entity,
                                              drawn_by="The Secretary-General (demo)",
                                              drawn_at=_at(20, 10))
            record(None, "protocol.lot_drawn", draw, after=snapshot(draw),
                   summary=f"{entity.name_en} (demo)")
    plenary = Session.objects.filter(event=event, kind="plenary").order_by("starts_at").first()
    if plenary is not None:
        speakers_list, _ = SpeakersList.objects.get_or_create(session=plenary)
        entries = {}
        for code, family, minutes in SPEAKERS:
            member = _member(event, code, family)
            if member is None:
                continue
            entry, made = SpeakerEntry.objects.get_or_create(
                speakers_list=speakers_list, delegation=member.delegation,
                withdrawn_at__isnull=True,
                defaults={"speaker": member,
                          "inscribed_at": _at(18, 9) + timedelta(minutes=minutes)})
            entries[code] = entry
            if made:
                record(None, "protocol.speaker_inscribed", entry, after=snapshot(entry),
                       summary=f"{member.delegation}: {member.full_name} (demo)")
        if {"IDN", "CHN"} <= entries.keys() and not SpeakerSwap.objects.filter(
                first=entries["CHN"]).exists():
            swap = SpeakerSwap.objects.create(first=entries["CHN"], second=entries["IDN"],
                                              status=SwapStatus.AGREED, decided_at=_at(19, 11))
            record(None, "protocol.swap_agreed", swap, after=snapshot(swap),
                   summary="China ⇄ Indonesia (demo)")
    for n, (code, family, fp_status) in enumerate(SIGNATORIES):
        member = _member(event, code, family)
        if member is None:
            continue
        signatory, made = Signatory.objects.get_or_create(
            event=event, delegation=member.delegation,
            defaults={"signer": member, "appointment": _at(25, 10, 5 + 3 * n)})
        if not made:
            continue
        record(None, "protocol.signature_booked", signatory,
               after=snapshot(signatory, ["signer", "appointment"]),
               summary=f"{member.delegation}: {member.full_name} (demo)")
        if fp_status:
            fp = FullPowers(signatory=signatory, status=FullPowersStatus(fp_status),
                            checked_at=_at(22, 15) if fp_status == "checked" else None)
            fp.document.save(f"full-powers-{code.lower()}-demo.pdf",
                             ContentFile(demo_full_powers_pdf()), save=False)
            fp.save()
            record(None, "protocol.full_powers_uploaded", fp, after=snapshot(fp),
                   summary=f"{member.delegation} (demo)")
