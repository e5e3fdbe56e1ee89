"""Speakers lists and the signing schedule over JSON; the same services as the pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from convene.core.models import current_event
from convene.programme.models import Session
from convene.protocol import services

router = Router(tags=["protocol"])


class Error(Schema):
    detail: str


class SpeakerSlotOut(Schema):
    number: int
    entry_id: int
    delegation_id: int
    delegation: str
    speaker: str
    band: int
    planned_start: datetime | None
    minutes: int
    swapped: bool


class SigningSlotOut(Schema):
    number: int
    delegation_id: int
    entity_code: str
    signer_member_id: int
    signer_name: str
    starts_at: datetime
    ends_at: datetime
    full_powers_needed: bool


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, "You may not do this.")


@router.get("/sessions/{pk}/speakers",
            response={200: list[SpeakerSlotOut], 401: Error, 403: Error, 404: Error},
            summary="The list of speakers of a session, in speaking order")
def speakers(request, pk: int):
    _need(request, "protocol.view_protocol")
    view = services.speakers_view(get_object_or_404(Session.objects.select_related("event"),
                                                    pk=pk))
    return [{"number": s.number, "entry_id": s.inscription.id,
             "delegation_id": s.inscription.delegation_id, "delegation": s.inscription.name,
             "speaker": s.inscription.speaker, "band": s.inscription.band,
             "planned_start": s.planned_start, "minutes": s.minutes, "swapped": s.swapped}
            for s in view.slots]


@router.get("/signing-schedule", response={200: list[SigningSlotOut], 401: Error, 403: Error},
            summary="Who signs when at the signing ceremony")
def signing_schedule(request):
    _need(request, "protocol.view_protocol")
    return [s.__dict__ for s in services.signing_schedule(current_event())]
