"""A small reception world: the VIP terminal, a hotel, the venue, roads, a fleet, greeters,
greeting rules and liaison officers; Viet Nam's head of State ready to arrive."""

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest

from convene.accounts.models import Role
from convene.delegations.models import Member
from convene.reception.models import (
    Driver,
    Greeter,
    GreetingRule,
    LiaisonOfficer,
    MotorcadeRule,
    Place,
    RoomBlock,
    TravelTime,
    Vehicle,
)
from tests.conftest import make_user


def build_reception(event, delegation):
    w = SimpleNamespace()
    w.airport = Place.objects.create(event=event, code="HAN-VIP", name="Noi Bai VIP terminal",
                                     kind="airport", is_vip_terminal=True)
    w.hotel = Place.objects.create(event=event, code="HOTEL-A", name="Hotel Alpha",
                                   kind="hotel")
    w.venue = Place.objects.create(event=event, code="NCC", name="National Convention Centre",
                                   kind="venue")
    TravelTime.objects.create(origin=w.airport, destination=w.hotel, minutes=45)
    TravelTime.objects.create(origin=w.airport, destination=w.hotel, minutes=70,
                              band_start=time(7), band_end=time(9))
    TravelTime.objects.create(origin=w.hotel, destination=w.venue, minutes=15)
    TravelTime.objects.create(origin=w.airport, destination=w.venue, minutes=40)
    for k in range(6):
        night = date(2025, 10, 22) + timedelta(days=k)
        RoomBlock.objects.create(hotel=w.hotel, night=night, room_type="suite", rooms=1)
        RoomBlock.objects.create(hotel=w.hotel, night=night, room_type="standard", rooms=5)
    GreetingRule.objects.create(event=event, rank="head_of_state",
                                greeter_roles="deputy prime minister, chief of protocol",
                                flowers=True, guard_of_honour=True)
    w.dpm = Greeter.objects.create(event=event, name="H.E. Bui Thanh Son",
                                   role="deputy prime minister", email="dpm@example.org")
    w.chief = Greeter.objects.create(event=event, name="Mr. Nguyen Viet Dung",
                                     role="chief of protocol", email="chief@example.org")
    w.officer = LiaisonOfficer.objects.create(event=event, name="Nguyen Thu Ha",
                                              languages="en,fr", is_senior=True,
                                              email="lo.ha@example.org")
    LiaisonOfficer.objects.create(event=event, name="Hoang Bao", languages="en",
                                  email="lo.bao@example.org")
    MotorcadeRule.objects.create(event=event, rank="head_of_state",
                                 categories="vip_sedan, van")
    w.vip_car = Vehicle.objects.create(event=event, code="VS01", category="vip_sedan",
                                       plate="80A-001.01")
    w.vip_driver = Driver.objects.create(event=event, name="Pham Van Tai", phone="+84 90 1",
                                         email="tai@example.org", vehicle=w.vip_car)
    w.van = Vehicle.objects.create(event=event, code="VN01", category="van", plate="80A-002")
    Driver.objects.create(event=event, name="Le Van Xe", vehicle=w.van,
                          email="xe@example.org")
    w.president = Member.objects.create(
        delegation=delegation, title="H.E. Mr.", given_name="Van A", family_name="Nguyen",
        rank="head_of_state", is_head=True, status="approved", function="President")
    w.adviser = Member.objects.create(delegation=delegation, given_name="Thi C",
                                      family_name="Le", rank="other", status="approved")
    return w


@pytest.fixture
def rc(event, viet_nam):
    w = build_reception(event, viet_nam)
    w.desk = make_user("desk", Role.RECEPTION_OFFICER)
    w.dispatcher = make_user("dispatch", Role.DISPATCHER)
    return w
