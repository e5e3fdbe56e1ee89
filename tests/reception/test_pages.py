"""Reception pages as people meet them: what each sees, prints and downloads."""

from datetime import datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

from django.utils import timezone
from icalendar import Calendar
from openpyxl import load_workbook

from convene.reception import services
from convene.reception.models import Flight

H = ZoneInfo("Asia/Ho_Chi_Minh")


def _arrival(user, delegation, rc):
    return services.save_flight(user, delegation, {
        "direction": "arrival", "travellers": [rc.president, rc.adviser],
        "flight_number": "VN18", "airport": rc.airport,
        "scheduled_at": datetime(2025, 10, 24, 10, 0, tzinfo=H)})


def _planned(rc, event, viet_nam, organiser):
    _arrival(organiser, viet_nam, rc)
    services.assign_hotels(organiser, event)
    services.generate_movements(organiser, event)
    services.compute_greetings(organiser, event)
    services.compute_liaisons(organiser, event)
    services.assign_dedicated_cars(organiser, event)
    services.plan_fleet(organiser, event, time_limit=2)


def test_the_focal_point_form_saves_a_flight_in_its_own_time_zone(client, rc, viet_nam,
                                                                 focal_vnm):
    client.force_login(focal_vnm)
    url = f"/reception/delegations/{viet_nam.pk}/travel/"
    response = client.post(url, {
        "direction": "arrival", "travellers": [rc.president.pk], "flight_number": "AF198",
        "airport": rc.airport.pk, "day": "2025-10-24", "time": "06:30",
        "time_zone": "Europe/Paris", "baggage": "2"})
    assert response.status_code == 302
    flight = Flight.objects.get()
    assert flight.scheduled_at == datetime(2025, 10, 24, 4, 30, tzinfo=ZoneInfo("UTC"))
    # a bad time zone is named next to its field, and nothing is saved
    response = client.post(url, {
        "direction": "arrival", "travellers": [rc.president.pk], "flight_number": "AF199",
        "airport": rc.airport.pk, "day": "2025-10-24", "time": "06:30",
        "time_zone": "Mars/Olympus"})
    assert "Unknown time zone" in response.content.decode()
    assert Flight.objects.count() == 1


def test_after_the_deadline_the_focal_point_sees_no_form_and_posts_nothing(
        client, rc, viet_nam, focal_vnm, event):
    settings_ = services.reception_settings(event)
    settings_.arrivals_deadline = timezone.now() - timedelta(minutes=1)
    settings_.save()
    client.force_login(focal_vnm)
    url = f"/reception/delegations/{viet_nam.pk}/travel/"
    page = client.get(url).content.decode()
    assert "deadline has passed" in page and 'id="flight-form"' not in page
    assert client.post(url, {"flight_number": "X"}).status_code == 403
    assert client.get(f"{url}import/").status_code == 403


def test_the_plan_pdf_feed_rooming_xlsx_and_run_sheet(client, rc, viet_nam, event, organiser):
    _planned(rc, event, viet_nam, organiser)
    client.force_login(organiser)
    pdf = client.get(f"/reception/delegations/{viet_nam.pk}/plan.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    token = services.delegation_reception(viet_nam).feed_token
    client.logout()
    feed = client.get(f"/reception/delegations/{viet_nam.pk}/plan.ics?token={token}")
    summaries = [str(e["summary"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert "Arrival VN18 from —" in summaries
    assert client.get(f"/reception/delegations/{viet_nam.pk}/plan.ics?token=x").status_code \
        == 404
    client.force_login(organiser)
    xlsx = client.get(f"/reception/rooming/{rc.hotel.pk}.xlsx")
    sheet = load_workbook(BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:2] == ["Delegation", "Guest"]
    assert {r[3] for r in rows[1:]} == {"Suite", "Standard room"}
    assert client.get(f"/reception/rooming/{rc.hotel.pk}.pdf").content.startswith(b"%PDF")
    sheet = client.get(f"/reception/run-sheet/?driver={rc.vip_driver.pk}").content.decode()
    assert "Noi Bai VIP terminal → Hotel Alpha" in sheet


def test_a_focal_point_sees_only_its_own_delegations_plans(client, rc, viet_nam, lao,
                                                          focal_lao, organiser, event):
    _planned(rc, event, viet_nam, organiser)
    client.force_login(focal_lao)
    page = client.get("/reception/plans/").content.decode()
    assert "Lao People" in page and "Viet Nam" not in page
    assert client.get(f"/reception/delegations/{viet_nam.pk}/plan/").status_code == 403
    assert client.get(f"/reception/delegations/{lao.pk}/plan/").status_code == 200


def test_one_tap_on_the_arrivals_board_answers_with_the_row(client, rc, viet_nam, organiser):
    flight = _arrival(organiser, viet_nam, rc)
    client.force_login(organiser)
    row = client.post(f"/reception/flights/{flight.pk}/status/", {"status": "landed"},
                      HTTP_HX_REQUEST="true").content.decode()
    assert 'class="arrival status-landed"' in row and "Mark: Greeted" in row
    flight.refresh_from_db()
    assert flight.status == "landed"


def test_a_movement_edited_by_hand_is_kept_by_later_planning(client, rc, viet_nam, event,
                                                             organiser):
    from convene.audit.models import AuditEvent
    from convene.reception.models import Movement

    _planned(rc, event, viet_nam, organiser)
    movement = Movement.objects.get(category="van")
    client.force_login(rc.dispatcher)
    assert "VN01" in client.get("/reception/movements/").content.decode()
    response = client.post(f"/reception/movements/{movement.pk}/", {
        "pickup": "2025-10-24T11:00", "arrive_by": "", "origin": rc.airport.pk,
        "destination": rc.hotel.pk, "category": "van", "vehicle": rc.van.pk, "driver": "",
        "title": "Staff van, later"})
    assert response.status_code == 302
    movement.refresh_from_db()
    assert movement.edited_by_hand and movement.title == "Staff van, later"
    assert timezone.localtime(movement.pickup).hour == 11
    services.generate_movements(organiser, event)
    movement.refresh_from_db()
    assert movement.title == "Staff van, later"
    assert AuditEvent.objects.filter(action="reception.movement_changed").exists()


def test_the_boards_take_a_fixed_number_of_queries(client, rc, viet_nam, lao, event,
                                                   organiser):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from convene.delegations.models import Member

    _planned(rc, event, viet_nam, organiser)
    client.force_login(organiser)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = {u: count(u) for u in ("/reception/arrivals/", "/reception/",
                                    "/api/reception/arrivals")}
    for k in range(3):
        head = Member.objects.create(delegation=lao, family_name=f"P{k}", rank="minister",
                                     is_head=k == 0)
        services.save_flight(organiser, lao, {
            "direction": "arrival", "travellers": [head], "flight_number": f"QV{k}",
            "airport": rc.airport, "scheduled_at": datetime(2025, 10, 24, 12 + k, 0,
                                                            tzinfo=H)})
    services.compute_greetings(organiser, event)
    assert {u: count(u) for u in before} == before
