"""Reception and logistics: pages and API. URLs point at Viet Nam's travel and plan (VNM_FOCAL
concerned): an arrival of its member, its daily plan and calendar feed, a hotel, a conflict."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from convene.reception import services
from convene.reception.models import Conflict, Driver, Movement, Place, Vehicle
from tests.matrix import EVERYONE, OTHER_FP, VNM_FOCAL, Operation, Page

DESK = ["organiser", "reception_officer"]
FLEET = [*DESK, "dispatcher"]
BOARD = [*DESK, "liaison_officer", "dispatcher", "task_force_lead"]
VNM_ENTRY = [*DESK, VNM_FOCAL]
VNM_READERS = [*BOARD, VNM_FOCAL]
# Raising an incident is the desk's, and reporting it is the operations' (task forces):
# the organiser here, a reception officer only once on a task force.
INCIDENT = ["organiser"]
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def prepare(world):
    event = world.event
    world.rc_airport = Place.objects.create(event=event, code="HAN-VIP", name="Noi Bai VIP",
                                            kind="airport", is_vip_terminal=True)
    world.rc_hotel = Place.objects.create(event=event, code="HOTEL-A", name="Hotel A",
                                          kind="hotel")
    Place.objects.create(event=event, code="NCC", name="National Convention Centre",
                         kind="venue")
    car = Vehicle.objects.create(event=event, code="S01", category="sedan", plate="30A-001")
    world.rc_driver = Driver.objects.create(event=event, name="Tran Van B", vehicle=car)
    world.rc_flight = services.save_flight(world.users["organiser"], world.viet_nam, {
        "direction": "arrival", "travellers": [world.member], "flight_number": "VN123",
        "airport": world.rc_airport,
        "scheduled_at": datetime(2025, 10, 24, 9, 0, tzinfo=HANOI)})
    world.rc_conflict = Conflict.objects.filter(event=event).first()
    world.rc_movement = Movement.objects.create(
        event=event, delegation=world.viet_nam, kind="other", origin=world.rc_airport,
        destination=world.rc_hotel, pickup=datetime(2025, 10, 24, 10, 0, tzinfo=HANOI),
        category="sedan")
    world.rc_token = services.delegation_reception(world.viet_nam).feed_token


def _plain(name):
    return lambda w: reverse(name)


def _vnm(name):
    return lambda w: reverse(name, kwargs={"pk": w.viet_nam.pk})


def _pk(name, attr):
    return lambda w: reverse(name, kwargs={"pk": getattr(w, attr).pk})


PAGES = {
    "reception:board": Page(BOARD, _plain("reception:board")),
    "reception:arrivals": Page(BOARD, _plain("reception:arrivals")),
    "reception:flight_status": Page(DESK, _pk("reception:flight_status", "rc_flight"), "post",
                                    lambda w: {"status": "landed"}),
    "reception:flight_change": Page(DESK, _pk("reception:flight_change", "rc_flight")),
    "reception:compute": Page(FLEET, lambda w: reverse("reception:compute",
                                                       kwargs={"what": "fleet"}), "post"),
    "reception:conflict_resolve": Page(DESK, _pk("reception:conflict_resolve", "rc_conflict"),
                                       "post", lambda w: {"resolution": "Car sent"}),
    "reception:conflict_incident": Page(INCIDENT,
                                        _pk("reception:conflict_incident", "rc_conflict"),
                                        "post"),
    "reception:plans": Page([*BOARD, VNM_FOCAL, OTHER_FP], _plain("reception:plans")),
    "reception:travel": Page(VNM_READERS, _vnm("reception:travel")),
    "reception:travel_import": Page(VNM_ENTRY, _vnm("reception:travel_import")),
    "reception:liaison_set": Page(DESK, _vnm("reception:liaison_set")),
    "reception:plan": Page(VNM_READERS, _vnm("reception:plan")),
    "reception:plan_pdf": Page(VNM_READERS, _vnm("reception:plan_pdf")),
    # Calendar apps cannot log in: the secret token in the address is the permission.
    "reception:plan_feed": Page(EVERYONE, lambda w: reverse(
        "reception:plan_feed", kwargs={"pk": w.viet_nam.pk}) + f"?token={w.rc_token}"),
    "reception:run_sheet": Page(FLEET, lambda w: reverse("reception:run_sheet")
                                + f"?driver={w.rc_driver.pk}"),
    "reception:movements": Page(FLEET, _plain("reception:movements")),
    "reception:movement_edit": Page(FLEET, _pk("reception:movement_edit", "rc_movement")),
    "reception:rooming": Page(DESK, _plain("reception:rooming")),
    "reception:rooming_xlsx": Page(DESK, _pk("reception:rooming_xlsx", "rc_hotel")),
    "reception:rooming_pdf": Page(DESK, _pk("reception:rooming_pdf", "rc_hotel")),
}

SMALL_INSTANCE = {
    "places": ["HAN-VIP", "HOTEL-A"], "travel_minutes": {"HAN-VIP": {"HOTEL-A": 45}},
    "buffer_minutes": 10, "vehicles": [{"id": "S01", "category": "sedan"}],
    "movements": [{"id": "M1", "category": "sedan", "from": "HAN-VIP", "to": "HOTEL-A",
                   "pickup": "2025-10-24T08:10"}]}

OPERATIONS = {
    ("get", "/api/reception/arrivals"): Operation(BOARD),
    ("post", "/api/reception/flights/{flight_id}/status"): Operation(
        DESK, url=lambda w: f"/api/reception/flights/{w.rc_flight.pk}/status",
        body=lambda w: {"status": "landed"}),
    ("get", "/api/reception/conflicts"): Operation(BOARD),
    ("post", "/api/reception/plan-fleet"): Operation(FLEET, body=lambda w: SMALL_INSTANCE),
}
