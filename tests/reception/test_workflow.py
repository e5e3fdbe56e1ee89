"""The desk's work end to end through the services, as a user meets it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from convene.audit.models import AuditEvent
from convene.programme.models import Day, Participation, Session
from convene.reception import dailyplan, services
from convene.reception.models import Conflict, Flight, Greeting, Movement, Stay
from convene.reception.services import ReceptionRefused

H = ZoneInfo("Asia/Ho_Chi_Minh")
LANDING = datetime(2025, 10, 24, 10, 0, tzinfo=H)


def _arrival(user, delegation, rc, at=LANDING, travellers=None):
    return services.save_flight(user, delegation, {
        "direction": "arrival", "travellers": travellers or [rc.president, rc.adviser],
        "flight_number": "VN18", "airline": "Vietnam Airlines", "origin": "Paris",
        "airport": rc.airport, "terminal": "VIP", "scheduled_at": at, "baggage": 4})


def _plan_everything(user, event):
    services.assign_hotels(user, event)
    services.generate_movements(user, event)
    services.compute_greetings(user, event)
    services.compute_liaisons(user, event)
    services.assign_dedicated_cars(user, event)
    services.plan_fleet(user, event, time_limit=2)


def test_a_focal_point_enters_travel_until_the_deadline_then_only_the_desk(
        rc, viet_nam, focal_vnm, focal_lao, event):
    flight = _arrival(focal_vnm, viet_nam, rc)
    assert flight.travellers.count() == 2
    assert AuditEvent.objects.filter(action="reception.flight_saved").count() == 1
    with pytest.raises(PermissionDenied):  # another delegation's focal point: PermissionDenied
        _arrival(focal_lao, viet_nam, rc)
    settings_ = services.reception_settings(event)
    settings_.arrivals_deadline = timezone.now() - timedelta(hours=1)
    settings_.save()
    with pytest.raises(ReceptionRefused, match="deadline"):
        _arrival(focal_vnm, viet_nam, rc)
    _arrival(rc.desk, viet_nam, rc)  # the desk still can
    assert Flight.objects.filter(delegation=viet_nam).count() == 2


def test_the_plan_gives_greeters_liaison_officer_dedicated_car_and_hotel(
        rc, viet_nam, event, organiser):
    _arrival(organiser, viet_nam, rc)
    _plan_everything(rc.desk, event)
    stay = Stay.objects.get(member=rc.president)
    assert (stay.hotel, stay.room_type) == (rc.hotel, "suite")
    assert Stay.objects.get(member=rc.adviser).room_type == "standard"
    assert {g.greeter for g in Greeting.objects.all()} == {rc.dpm, rc.chief}
    assert services.delegation_reception(viet_nam).liaison_officer == rc.officer  # senior
    rc.vip_car.refresh_from_db()
    assert rc.vip_car.dedicated_to == rc.president
    arrival = Movement.objects.get(flight__isnull=False, category="vip_sedan")
    assert (arrival.vehicle, arrival.driver) == (rc.vip_car, rc.vip_driver)
    assert arrival.pickup == LANDING + timedelta(minutes=30)
    plan = dailyplan.build(viet_nam)
    texts = " ".join(f"{i.title} {i.car} {i.driver} {i.note}" for d in plan.days for i in d.items)
    assert "VS01" in texts and "Pham Van Tai" in texts and "Bui Thanh Son" in texts
    assert plan.liaison_officer == rc.officer and "Hotel Alpha" in plan.hotels[0]
    assert b"BEGIN:VEVENT" in dailyplan.to_ics(plan)
    assert not Conflict.objects.filter(status="open").exists()


def test_a_flight_change_moves_its_movements_raises_conflicts_and_tells_the_officer(
        rc, viet_nam, event, organiser, django_capture_on_commit_callbacks):
    day = Day.objects.create(event=event, date=LANDING.date() + timedelta(days=1))
    session = Session.objects.create(
        event=event, day=day, kind="plenary", title="Opening of the signing ceremony",
        starts_at=datetime(2025, 10, 25, 9, 0, tzinfo=H),
        ends_at=datetime(2025, 10, 25, 11, 0, tzinfo=H))
    Participation.objects.create(session=session, member=rc.president, role="principal")
    flight = _arrival(organiser, viet_nam, rc)
    _plan_everything(rc.desk, event)
    assert not Conflict.objects.filter(status="open").exists()
    mail.outbox.clear()
    late = datetime(2025, 10, 25, 8, 40, tzinfo=H)
    with pytest.raises(PermissionDenied):
        services.change_flight(rc.dispatcher, flight, late)  # not the desk's
    with django_capture_on_commit_callbacks(execute=True):
        raised = services.change_flight(rc.desk, flight, late, note="delayed in Paris")
    assert "late_landing" in {c.rule for c in raised}
    critical = Conflict.objects.get(rule="late_landing")
    assert critical.severity == "critical"
    moved = Movement.objects.get(flight=flight, category="vip_sedan")
    assert moved.pickup == late + timedelta(minutes=30)
    [message] = mail.outbox
    assert "lo.ha@example.org" in message.to and "dpm@example.org" in message.to
    assert "VN18" in message.subject and "Opening" in message.body
    # the desk resolves it; the critical one could become an incident first
    services.resolve_conflict(rc.desk, critical, "Opening moved to the afternoon for VNM")
    assert not Conflict.objects.filter(status="open", rule="late_landing").exists()
    assert AuditEvent.objects.filter(action="reception.conflict_resolved").exists()


def test_a_critical_conflict_becomes_an_operations_incident(rc, viet_nam, event, organiser):
    from convene.operations.models import Issue, TaskForce

    TaskForce.objects.create(event=event, area="reception", name="Reception")
    flight = _arrival(organiser, viet_nam, rc)  # no hotel yet: no car meets it
    conflict = Conflict.objects.get(rule="arrival_without_movement", key=f"no-movement:{flight.pk}")
    issue = services.raise_incident(organiser, conflict)
    assert isinstance(issue, Issue) and issue.delegation == viet_nam
    assert services.raise_incident(organiser, conflict) == issue  # once
    with pytest.raises(PermissionDenied):
        services.raise_incident(rc.desk, conflict)  # on no task force


def test_over_block_and_conflicts_clear_themselves_when_fixed(rc, viet_nam, lao, event,
                                                            organiser):
    from convene.delegations.models import Member

    laos = Member.objects.create(delegation=lao, family_name="Phommavong", rank="head_of_state",
                                 is_head=True)
    _arrival(organiser, viet_nam, rc)
    _arrival(organiser, lao, rc, at=LANDING + timedelta(hours=3), travellers=[laos])
    services.assign_hotels(organiser, event)
    over = Conflict.objects.filter(rule="hotel_over_block", status="open")
    assert over.exists()  # one suite held, two heads of State
    stay = Stay.objects.get(member=laos)
    services.save_stay(organiser, laos, {"room_type": "standard", "hotel": stay.hotel})
    assert not Conflict.objects.filter(rule="hotel_over_block", status="open").exists()


def test_an_import_with_one_bad_row_saves_nothing_and_names_the_row(rc, viet_nam, focal_vnm):
    good = ("family_name,given_name,direction,flight,airline,origin,airport,terminal,date,"
            "time,time_zone,baggage\n"
            "Nguyen,Van A,arrival,VN18,Vietnam Airlines,Paris,HAN-VIP,VIP,2025-10-24,10:00,"
            "Asia/Ho_Chi_Minh,2\n"
            "Le,Thi C,arrival,VN18,Vietnam Airlines,Paris,HAN-VIP,VIP,2025-10-24,10:00,,1\n")
    bad = good + "Nobody,,arrival,VN18,,Paris,HAN-XXX,,2025-10-24,25:00,,\n"
    result = services.import_travel(focal_vnm, viet_nam, bad.encode())
    assert not result.ok and not Flight.objects.exists()
    fields = {(e.line, e.field) for e in result.errors}
    assert {(4, "family_name"), (4, "airport"), (4, "time")} <= fields
    result = services.import_travel(focal_vnm, viet_nam, good.encode())
    assert result.ok
    [flight] = Flight.objects.all()  # the two travel together
    assert flight.travellers.count() == 2 and flight.baggage == 3


def test_the_greeting_roster_needs_two_greeters_for_two_close_landings(rc, viet_nam, lao,
                                                                     event, organiser):
    from convene.delegations.models import Member

    laos = Member.objects.create(delegation=lao, family_name="Phommavong", rank="head_of_state",
                                 is_head=True)
    _arrival(organiser, viet_nam, rc)
    _arrival(organiser, lao, rc, at=LANDING + timedelta(minutes=20), travellers=[laos])
    roster = services.compute_greetings(organiser, event)
    assert len(roster.greetings) == 2 and len(roster.gaps) == 2  # one of each role only


def test_open_conflicts_appear_on_the_readiness_dashboard(rc, viet_nam, event, organiser,
                                                          client):
    _arrival(organiser, viet_nam, rc)  # no hotel: no car meets it
    client.force_login(organiser)
    page = client.get("/operations/").content.decode()
    assert 'data-figure="reception-conflicts"><div class="figure warn">1<' in page
    assert "Reception conflicts (0 critical)" in page


def test_a_file_of_flight_changes_from_the_desk_moves_the_flight(
        rc, viet_nam, event, organiser, django_capture_on_commit_callbacks):
    flight = _arrival(organiser, viet_nam, rc)
    services.assign_hotels(organiser, event)
    services.compute_liaisons(organiser, event)
    mail.outbox.clear()
    sheet = (b"family_name,given_name,direction,flight,airport,date,time\n"
             b"Nguyen,Van A,arrival,vn18,HAN-VIP,2025-10-24,13:15\n")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.import_travel(rc.desk, viet_nam, sheet)
    assert result.ok and Flight.objects.count() == 1
    flight.refresh_from_db()
    assert flight.scheduled_at == datetime(2025, 10, 24, 13, 15, tzinfo=H)
    assert Movement.objects.get(flight=flight, category="vip_sedan").pickup == \
        flight.scheduled_at + timedelta(minutes=30)
    assert any("lo.ha@example.org" in m.to for m in mail.outbox)
