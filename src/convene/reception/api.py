"""The reception API; the same services and rules as the web pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Body, Router, Schema
from ninja.errors import HttpError

from convene.core.models import current_event
from convene.reception import fleet, services
from convene.reception.models import Conflict, ConflictStatus, Direction, Flight

router = Router(tags=["reception"])


class Error(Schema):
    detail: str


DENIED = {401: Error, 403: Error, 404: Error}


class ArrivalOut(Schema):
    id: int
    delegation: str
    flight_number: str
    scheduled_at: datetime
    airport: str
    terminal: str
    travellers: list[str]
    greeters: list[str]
    status: str


class StatusIn(Schema):
    status: str


class ReceptionConflictOut(Schema):  # not "ConflictOut": the gates have one
    id: int
    rule: str
    severity: str
    message: str
    delegation: str | None


def _event():
    event = current_event()
    if event is None:
        raise HttpError(404, "Not found.")
    return event


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, "You may not do this.")


def _arrival(f: Flight) -> dict:
    return {"id": f.pk, "delegation": str(f.delegation), "flight_number": f.flight_number,
            "scheduled_at": f.scheduled_at, "airport": f.airport.code, "terminal": f.terminal,
            "travellers": [str(m) for m in f.travellers.all()],
            "greeters": [g.greeter.name for g in f.greetings.all()], "status": f.status}


@router.get("/arrivals", response={200: list[ArrivalOut], **DENIED}, summary="Arrivals board")
def arrivals(request):
    _need(request, "reception.view_board")
    flights = Flight.objects.filter(event=_event(), direction=Direction.ARRIVAL).select_related(
        "delegation__entity", "airport").prefetch_related("travellers", "greetings__greeter")
    return [_arrival(f) for f in flights]


@router.post("/flights/{flight_id}/status", response={200: ArrivalOut, 400: Error, **DENIED},
             summary="Move a flight to a status (scheduled, landed, greeted, left_airport, "
                     "at_hotel)")
def flight_status(request, flight_id: int, payload: StatusIn):
    _need(request, "reception.manage")
    flight = get_object_or_404(Flight, pk=flight_id)
    try:
        services.set_flight_status(request.user, flight, payload.status)
    except services.ReceptionRefused as exc:
        raise HttpError(400, exc.message) from None
    return _arrival(flight)


@router.get("/conflicts", response={200: list[ReceptionConflictOut], **DENIED},
            summary="Open reception conflicts, most severe first")
def conflicts(request):
    _need(request, "reception.view_board")
    found = Conflict.objects.filter(event=_event(), status=ConflictStatus.OPEN).select_related(
        "delegation__entity")
    order = {"critical": 0, "serious": 1, "warning": 2}
    return sorted(({"id": c.pk, "rule": c.rule, "severity": c.severity, "message": c.message,
                    "delegation": str(c.delegation) if c.delegation else None} for c in found),
                  key=lambda c: (order.get(c["severity"], 9), c["id"]))


@router.post("/plan-fleet", response={200: dict, 400: Error, **DENIED},
             summary="The fleet planner on an instance (the JSON contract of "
                     "`convene reception plan-fleet`)")
def plan_fleet(request, payload: dict = Body(...), time_limit: float = 10):  # noqa: B008
    _need(request, "reception.plan_fleet")
    try:
        instance = fleet.parse_instance(payload)
    except fleet.InstanceError as exc:
        raise HttpError(400, str(exc)) from None
    return fleet.plan(instance, time_limit=min(max(time_limit, 1), 30)).to_json(instance)
