"""The bilateral pages and API: forms show errors where they belong, lists use a fixed number of
queries, the run's progress is polled, and the Hanoi demo loads once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from convene.bilaterals import services
from convene.bilaterals.demo import load_demo
from convene.bilaterals.models import (
    AvailabilityBlock,
    BilateralRequest,
    Meeting,
    PublishedMeeting,
    RequestStatus,
    Room,
    RunStatus,
    ScheduleRun,
    Slot,
)
from tests.bilaterals.conftest import ask, client_for
from tests.conftest import make_delegation, make_user


def test_a_focal_point_requests_by_the_form(focal_vnm, viet_nam, lao, grid):
    client = client_for(focal_vnm)
    page = client.get(f"/bilaterals/delegations/{viet_nam.pk}/request/").content.decode()
    assert "Lao People" in page and "1 slot(s) — 30 minutes" in page
    assert "2 slot(s) — 70 minutes" in page  # two meetings and the changeover between
    response = client.post(f"/bilaterals/delegations/{viet_nam.pk}/request/", {
        "counterpart": lao.pk, "topic": "Border cooperation", "priority": 3, "length": 1,
        "extra_seats": 0, "preferred_slots": [grid[3].pk]})
    assert response.status_code == 302
    made = BilateralRequest.objects.get()
    assert (made.requester, made.counterpart, made.priority) == (viet_nam, lao, 3)
    assert list(made.preferred_slots.all()) == [grid[3]]
    # A second request between the same two: refused next to the field.
    again = client.post(f"/bilaterals/delegations/{viet_nam.pk}/request/", {
        "counterpart": lao.pk, "topic": "Again", "priority": 2, "length": 1, "extra_seats": 0})
    assert again.status_code == 200
    assert again.context["form"].errors["counterpart"] == [
        "There is already a request between Viet Nam and Lao People's Democratic Republic."]
    assert BilateralRequest.objects.count() == 1


def test_the_other_side_answers_by_the_form(focal_vnm, focal_lao, viet_nam, lao):
    request = ask(focal_vnm, viet_nam, lao)
    page = client_for(focal_lao).get(f"/bilaterals/delegations/{lao.pk}/").content.decode()
    assert f"/bilaterals/requests/{request.pk}/answer/" in page
    response = client_for(focal_lao).post(f"/bilaterals/requests/{request.pk}/answer/", {
        "decision": "decline", "priority": 2, "note": "Our minister leaves early."})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.DECLINED and request.note == "Our minister leaves early."
    mine = client_for(focal_vnm).get(f"/bilaterals/delegations/{viet_nam.pk}/").content.decode()
    assert "Declined" in mine and "Our minister leaves early." in mine


def test_the_principal_s_availability_is_ticked_by_slot(focal_vnm, viet_nam, grid):
    client = client_for(focal_vnm)
    url = f"/bilaterals/delegations/{viet_nam.pk}/availability/"
    assert client.post(url, {"unavailable": [grid[0].pk, grid[1].pk]}).status_code == 302
    assert set(AvailabilityBlock.objects.values_list("slot_id", flat=True)) == {grid[0].pk,
                                                                               grid[1].pk}
    page = client.get(url).content.decode()
    assert page.count("checked") == 2


def test_grid_errors_are_shown_next_to_the_field(organiser, event):
    response = client_for(organiser).post("/bilaterals/setup/", {
        "first_day": "2025-10-25", "last_day": "2025-10-26", "windows": "9 to 12",
        "meeting_minutes": 30, "changeover_minutes": 10})
    assert response.status_code == 200
    assert "is not a time window" in response.context["form"].errors["windows"][0]
    assert not Slot.objects.exists()


def test_a_room_name_is_used_once(organiser, event, rooms):
    response = client_for(organiser).post("/bilaterals/rooms/new/",
                                          {"name": "Lotus", "seats": 12})
    assert response.status_code == 200
    assert response.context["room_form"].errors["name"]
    assert Room.objects.count() == 2


def test_a_room_in_use_is_not_removed(organiser, event, grid, rooms, focal_vnm, focal_lao,
                                      viet_nam, lao):
    request = services.answer_request(focal_lao, ask(focal_vnm, viet_nam, lao), True)
    services.place_meeting(organiser, request, rooms[0], grid[0])
    client_for(organiser).post(f"/bilaterals/rooms/{rooms[0].pk}/delete/")
    assert Room.objects.filter(pk=rooms[0].pk).exists()


def test_a_refused_drop_on_the_grid_comes_back_with_the_reason(organiser, event, grid, rooms,
                                                               focal_vnm, focal_lao, viet_nam,
                                                               lao, cambodia):
    first = services.answer_request(focal_lao, ask(focal_vnm, viet_nam, lao), True)
    second = services.answer_request(organiser, ask(focal_vnm, viet_nam, cambodia), True)
    services.place_meeting(organiser, first, rooms[0], grid[0])
    response = client_for(organiser).post(f"/bilaterals/requests/{second.pk}/place/", {
        "room": rooms[1].pk, "start_slot": grid[0].pk, "from": "grid"}, follow=True)
    assert response.redirect_chain[-1][0] == "/bilaterals/schedule/"
    assert "is at the same time" in response.content.decode()
    assert not Meeting.objects.filter(request=second).exists()


def test_run_progress_is_polled_until_it_ends(organiser, observer_user, event):
    run = ScheduleRun.objects.create(event=event, status=RunStatus.RUNNING, time_limit=20)
    client = client_for(observer_user)
    polling = client.get(f"/bilaterals/runs/{run.pk}/?polling=1", HTTP_HX_REQUEST="true")
    body = polling.content.decode()
    assert 'hx-trigger="every 1s"' in body and "<progress" in body
    assert "HX-Refresh" not in polling
    ScheduleRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, objective=7, bound=7)
    done = client.get(f"/bilaterals/runs/{run.pk}/?polling=1", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true" and "every 1s" not in done.content.decode()


@pytest.fixture
def observer_user(db):
    return make_user("observer.bil", "observer")


@pytest.fixture
def crowded(event, grid, rooms, organiser):
    """n accepted requests, each placed, for the query-count tests."""
    def add(n):
        for i in range(n):
            a = make_delegation(event, f"A{Room.objects.count()}{i:02}", f"State A{i}")
            b = make_delegation(event, f"B{Room.objects.count()}{i:02}", f"State B{i}")
            request = services.answer_request(organiser, ask(organiser, a, b), True)
            room = services.save_room(organiser, event, {"name": f"Room {a.entity.code}",
                                                         "seats": 10})
            services.place_meeting(organiser, request, room, grid[i % len(grid)])
    return add


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_schedule_page_uses_a_fixed_number_of_queries(organiser, crowded, event):
    client = client_for(organiser)
    crowded(2)
    services.publish(organiser, event)
    few = _queries(client, "/bilaterals/schedule/")
    crowded(12)
    services.publish(organiser, event)
    assert _queries(client, "/bilaterals/schedule/") == few


def test_a_delegation_page_uses_a_fixed_number_of_queries(organiser, focal_vnm, viet_nam,
                                                          event, grid, rooms):
    client = client_for(focal_vnm)

    def add(n):
        for i in range(n):
            other = make_delegation(event, f"X{BilateralRequest.objects.count():03}", f"S{i}")
            request = services.answer_request(organiser, ask(organiser, viet_nam, other), True)
            if i < len(grid):
                services.place_meeting(organiser, request, rooms[1], grid[
                    BilateralRequest.objects.count() % len(grid)])
    add(1)
    services.publish(organiser, event)
    services.feed_of(viet_nam)  # made on the first visit
    url = f"/bilaterals/delegations/{viet_nam.pk}/"
    few = _queries(client, url)
    add(4)
    services.publish(organiser, event)
    assert _queries(client, url) == few


def test_the_api_lists_only_what_each_one_may_see(focal_vnm, focal_lao, organiser, viet_nam,
                                                  lao, cambodia):
    ask(focal_vnm, viet_nam, lao)
    ask(organiser, cambodia, make_delegation(viet_nam.event, "THA", "Thailand"))

    def pairs(user):
        return {(r["requester"], r["counterpart"])
                for r in client_for(user).get("/api/bilaterals/requests").json()}

    assert pairs(organiser) == {("VNM", "LAO"), ("KHM", "THA")}
    assert pairs(focal_lao) == {("VNM", "LAO")}
    response = client_for(focal_lao).post("/api/bilaterals/requests", {
        "requester_id": lao.pk, "counterpart_id": viet_nam.pk, "topic": "x"},
        content_type="application/json")
    assert response.status_code == 409 and "already a request" in response.json()["detail"]


def test_the_hanoi_demo_loads_once(event, organiser):
    for code, name in [("VNM", "Viet Nam"), ("LAO", "Lao PDR"), ("KHM", "Cambodia"),
                       ("THA", "Thailand"), ("CHN", "China"), ("USA", "United States"),
                       ("EU", "European Union"), ("UN", "United Nations"),
                       ("UNODC", "UNODC")]:
        make_delegation(event, code, name)
    load_demo(event)
    counts = (Room.objects.count(), Slot.objects.count(), BilateralRequest.objects.count(),
              Meeting.objects.count(), PublishedMeeting.objects.count(),
              ScheduleRun.objects.count(), AvailabilityBlock.objects.count())
    assert counts[:2] == (4, 20)
    assert counts[2] >= 10 and counts[3] >= 8 and counts[4] == counts[3]
    assert BilateralRequest.objects.filter(status=RequestStatus.PENDING,
                                           counterpart__entity__code="LAO").exists()
    load_demo(event)
    assert (Room.objects.count(), Slot.objects.count(), BilateralRequest.objects.count(),
            Meeting.objects.count(), PublishedMeeting.objects.count(),
            ScheduleRun.objects.count(), AvailabilityBlock.objects.count()) == counts
    page = client_for(organiser).get("/bilaterals/schedule/").content.decode()
    assert "Last run" in page and "bil-chip" in page


def test_the_api_refuses_bad_fields_in_words(focal_vnm, viet_nam, lao):
    client = client_for(focal_vnm)
    response = client.post("/api/bilaterals/requests", {
        "requester_id": viet_nam.pk, "counterpart_id": lao.pk, "topic": ""},
        content_type="application/json")
    assert response.status_code == 409 and "blank" in response.json()["detail"]
    response = client.post("/api/bilaterals/requests", {
        "requester_id": viet_nam.pk, "counterpart_id": lao.pk, "topic": "x", "length": 9},
        content_type="application/json")
    assert response.status_code == 409 and "1 to 3 slots" in response.json()["detail"]
    assert not BilateralRequest.objects.exists()
