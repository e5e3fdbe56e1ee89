"""Bilateral meetings over JSON; the same services and rules as the web pages."""

from datetime import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from convene.bilaterals import services
from convene.bilaterals.models import (
    BilateralRequest,
    Priority,
    RequestStatus,
    ScheduleRun,
)
from convene.core.models import current_event
from convene.delegations.models import Delegation

router = Router(tags=["bilaterals"])


class Error(Schema):
    detail: str


DENIED = {401: Error, 403: Error, 404: Error}


class RequestIn(Schema):
    requester_id: int
    counterpart_id: int
    topic: str
    priority: Priority = Priority.NORMAL
    length: int = 1
    extra_seats: int = 0


class RequestOut(Schema):
    id: int
    requester: str
    counterpart: str
    topic: str
    priority: int
    counterpart_priority: int | None
    length: int
    min_seats: int
    status: str
    requested_at: datetime


class RequestDecision(Schema):  # not "Decision": one OpenAPI name, one schema
    accept: bool
    priority: Priority = Priority.NORMAL
    note: str = ""


class AgendaItem(Schema):
    uid: str
    request_id: int
    with_delegation: str
    topic: str
    room: str
    start: datetime
    end: datetime
    sequence: int
    cancelled: bool


class RunIn(Schema):
    time_limit: int = 20
    move_published: bool = False


class RunOut(Schema):
    id: int
    status: str
    phase: str
    time_limit: int
    objective: int | None
    bound: int | None
    greedy_objective: int | None
    started_at: datetime | None
    finished_at: datetime | None


def _request_out(r: BilateralRequest) -> dict:
    return {"id": r.pk, "requester": r.requester.entity.code,
            "counterpart": r.counterpart.entity.code, "topic": r.topic,
            "priority": r.priority, "counterpart_priority": r.counterpart_priority,
            "length": r.length, "min_seats": r.min_seats, "status": r.status,
            "requested_at": r.requested_at}


def _event():
    event = current_event()
    if event is None:
        raise HttpError(404, "Not found.")
    return event


@router.get("/requests", response={200: list[RequestOut], 401: Error},
            summary="Bilateral requests you may see (all for the secretariat, your own "
                    "delegation's for a focal point)")
def list_requests(request):
    qs = BilateralRequest.objects.filter(event=_event()).select_related(
        "requester__entity", "counterpart__entity")
    if not request.user.has_perm("bilaterals.view_schedule"):
        own = request.user.focal_point_delegation_ids()
        qs = qs.filter(Q(requester_id__in=own) | Q(counterpart_id__in=own))
    return [_request_out(r) for r in qs]


@router.post("/requests", response={201: RequestOut, 409: Error, **DENIED},
             summary="Request a bilateral with another delegation")
def create_request(request, payload: RequestIn):
    requester = get_object_or_404(Delegation.objects.select_related("event"),
                                  pk=payload.requester_id)
    if not request.user.has_perm("bilaterals.request_meeting", requester):
        raise HttpError(403, "You may not do this.")
    counterpart = get_object_or_404(Delegation, pk=payload.counterpart_id)
    try:
        made = services.request_meeting(request.user, requester, {
            "counterpart": counterpart, "topic": payload.topic, "priority": payload.priority,
            "length": payload.length, "extra_seats": max(0, payload.extra_seats)})
    except services.BilateralRefused as exc:
        return 409, {"detail": exc.message}
    return 201, _request_out(made)


@router.post("/requests/{pk}/decision", response={200: RequestOut, 409: Error, **DENIED},
             summary="Accept or decline a request received")
def decide(request, pk: int, payload: RequestDecision):
    bilateral = get_object_or_404(BilateralRequest.objects.select_related(
        "requester__entity", "counterpart__entity"), pk=pk)
    if not request.user.has_perm("bilaterals.answer_request", bilateral):
        raise HttpError(403, "You may not do this.")
    try:
        answered = services.answer_request(request.user, bilateral, payload.accept,
                                           priority=payload.priority, note=payload.note)
    except services.BilateralRefused as exc:
        return 409, {"detail": exc.message}
    return _request_out(answered)


@router.get("/delegations/{pk}/agenda", response={200: list[AgendaItem], **DENIED},
            summary="A delegation's published bilateral meetings (cancelled ones included)")
def agenda(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    if not request.user.has_perm("bilaterals.view_delegation", delegation):
        raise HttpError(403, "You may not do this.")
    items = []
    for p in services.agenda(delegation):
        r: BilateralRequest = p.request
        other = r.counterpart if r.requester_id == delegation.pk else r.requester
        items.append({"uid": p.uid, "request_id": r.pk, "with_delegation": other.entity.code,
                      "topic": r.topic, "room": p.room_name, "start": p.start, "end": p.end,
                      "sequence": p.sequence,
                      "cancelled": p.cancelled or r.status != RequestStatus.ACCEPTED})
    return items


@router.post("/runs", response={201: RunOut, 409: Error, **DENIED},
             summary="Run the scheduler in the background (organiser)")
def start_run(request, payload: RunIn):
    if not request.user.has_perm("bilaterals.manage_schedule"):
        raise HttpError(403, "You may not do this.")
    try:
        run = services.start_run(request.user, _event(), time_limit=payload.time_limit,
                                 keep_published=not payload.move_published)
    except services.BilateralRefused as exc:
        return 409, {"detail": exc.message}
    run.refresh_from_db()
    return 201, run


@router.get("/runs/{pk}", response={200: RunOut, **DENIED},
            summary="The progress and outcome of a scheduler run")
def run_status(request, pk: int):
    if not request.user.has_perm("bilaterals.view_schedule"):
        raise HttpError(403, "You may not do this.")
    return get_object_or_404(ScheduleRun.objects.defer("instance", "result"), pk=pk)

