"""The bilateral workflow through its services: request, answer, availability, the scheduler
as a background task, changes by hand (checked), publication and the calendar feed."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from icalendar import Calendar

from convene.audit.models import AuditEvent
from convene.bilaterals import availability, planning, services
from convene.bilaterals.checker import check
from convene.bilaterals.models import (
    AgendaFeed,
    BilateralRequest,
    Meeting,
    PlacedBy,
    PublishedMeeting,
    RequestStatus,
    RunStatus,
    ScheduleRun,
)
from convene.delegations.models import Member
from tests.bilaterals.conftest import ask, client_for
from tests.conftest import make_delegation


def accepted(user_ask, requester, user_answer, counterpart, **data):
    request = ask(user_ask, requester, counterpart, **data)
    return services.answer_request(user_answer, request, True)


# --- requests ------------------------------------------------------------------------------------
def test_a_focal_point_requests_and_the_other_side_accepts(focal_vnm, focal_lao, viet_nam, lao):
    nguyen = Member.objects.create(delegation=viet_nam, family_name="Nguyen")
    request = ask(focal_vnm, viet_nam, lao, priority=3, attendees=[nguyen], extra_seats=1)
    assert request.status == RequestStatus.PENDING
    assert request.min_seats == 3  # Nguyen, Lao's principal, an interpreter
    with pytest.raises(PermissionDenied):  # the requester cannot accept for the other side
        services.answer_request(focal_vnm, request, True)
    answered = services.answer_request(focal_lao, request, True, priority=1)
    assert answered.status == RequestStatus.ACCEPTED and answered.weight == 4
    assert list(AuditEvent.objects.filter(object_id=str(request.pk),
                                          object_type="bilaterals.bilateralrequest")
                .values_list("action", flat=True)) == ["bilateral.requested",
                                                        "bilateral.accepted"]
    with pytest.raises(services.BilateralRefused, match="already been answered"):
        services.answer_request(focal_lao, request, False)


def test_a_focal_point_acts_only_for_its_own_delegation(focal_lao, viet_nam, lao, cambodia):
    with pytest.raises(PermissionDenied):
        ask(focal_lao, viet_nam, cambodia)
    request = ask(focal_lao, lao, cambodia)
    with pytest.raises(PermissionDenied):  # Lao asked; Cambodia answers, not Lao
        services.answer_request(focal_lao, request, True)


def test_one_open_request_per_pair_and_no_meeting_with_oneself(focal_vnm, focal_lao, viet_nam,
                                                               lao):
    ask(focal_vnm, viet_nam, lao)
    with pytest.raises(services.BilateralRefused, match="already a request between"):
        ask(focal_lao, lao, viet_nam)
    with pytest.raises(services.BilateralRefused, match="cannot meet itself"):
        ask(focal_vnm, viet_nam, viet_nam)


def test_auto_accept_accepts_for_the_other_side(organiser, event, grid, focal_vnm, viet_nam,
                                                lao):
    spec = services.grid_spec(event)
    spec.auto_accept = True
    services.configure(organiser, event, spec)
    request = ask(focal_vnm, viet_nam, lao)
    assert request.status == RequestStatus.ACCEPTED


def test_the_grid_is_read_back_and_not_rebuilt_under_meetings(organiser, event, grid, rooms,
                                                              focal_vnm, focal_lao, viet_nam,
                                                              lao):
    assert len(grid) == 10
    spec = services.grid_spec(event)
    assert spec.windows == "09:00-10:50, 14:00-15:10"  # rebuilding from it changes nothing
    assert services.configure(organiser, event, spec) == 10
    request = accepted(focal_vnm, viet_nam, focal_lao, lao)
    services.place_meeting(organiser, request, rooms[0], grid[0])
    spec.meeting_minutes = 45
    with pytest.raises(services.BilateralRefused, match="Meetings are placed"):
        services.configure(organiser, event, spec)


# --- the scheduler as a background task ----------------------------------------------------------
@pytest.fixture
def summit(event, grid, rooms, organiser, focal_vnm, focal_lao, viet_nam, lao, cambodia):
    """Viet Nam is wanted by everyone; Thailand's principal is away the whole event."""
    thailand = make_delegation(event, "THA", "Thailand")
    requests = [
        accepted(focal_vnm, viet_nam, focal_lao, lao, priority=3),
        accepted(organiser, cambodia, focal_vnm, viet_nam, priority=2),
        accepted(organiser, cambodia, focal_lao, lao, priority=1, length=2),
        accepted(organiser, thailand, focal_vnm, viet_nam),
    ]
    services.set_availability(organiser, thailand, grid)
    return requests


def _run(organiser, event, **kwargs) -> ScheduleRun:
    run = services.start_run(organiser, event, time_limit=5, **kwargs)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run


def test_a_run_schedules_valid_meetings_and_says_why_not(immediate_tasks, organiser, event,
                                                          summit):
    run = _run(organiser, event)
    assert run.objective == run.bound == 5 + 4 + 3  # all but Thailand's, optimal
    assert run.greedy_objective is not None
    # The schedule written to the database passes the independent checker.
    snap = planning.build_instance(event, with_places=False)
    assert check(snap.instance, planning.working_result(event, snap), check_objective=False) \
        == []
    assert Meeting.objects.count() == 3
    assert Meeting.objects.get(request=summit[2]).slot_count == 2
    page = client_for(organiser).get("/bilaterals/schedule/").content.decode()
    assert "Thailand is never available." in page
    assert AuditEvent.objects.filter(action="bilateral.run_finished").count() == 1


def test_only_one_run_at_a_time_and_nothing_to_do_is_said(organiser, event, grid, rooms):
    with pytest.raises(services.BilateralRefused, match="no accepted requests"):
        services.start_run(organiser, event)


def test_a_run_in_progress_blocks_changes(organiser, event, summit):
    # With the database backend (no worker in tests) the run stays queued.
    run = services.start_run(organiser, event, time_limit=5)
    assert run.status == RunStatus.QUEUED
    with pytest.raises(services.BilateralRefused, match="scheduler is running"):
        services.start_run(organiser, event)
    with pytest.raises(services.BilateralRefused, match="scheduler is running"):
        services.publish(organiser, event)


def test_a_failing_run_is_recorded_not_lost(immediate_tasks, organiser, event, summit,
                                            monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("solver exploded")

    monkeypatch.setattr("convene.bilaterals.solver.solve", broken)
    run = services.start_run(organiser, event, time_limit=5)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "solver exploded" in run.error
    page = client_for(organiser).get("/bilaterals/schedule/").content.decode()
    assert "The last run failed" in page and "exploded" not in page


def test_busy_times_from_other_apps_are_respected(immediate_tasks, organiser, event, grid,
                                                  rooms, summit):
    """The programme hook: the opening session takes everyone's first two slots."""
    opening = availability.BusyTime(grid[0].start, grid[1].end, None, "opening session")
    source = lambda event: [opening]  # noqa: E731
    availability.register(source)
    try:
        _run(organiser, event)
    finally:
        availability.unregister(source)
    assert not Meeting.objects.filter(start_slot__in=grid[:2]).exists()
    assert Meeting.objects.count() == 3


def test_a_broken_busy_time_source_is_reported_and_the_run_goes_on(immediate_tasks, organiser,
                                                                    event, summit):
    def broken(event):
        raise ValueError("no programme")

    availability.register(broken)
    try:
        run = _run(organiser, event)
    finally:
        availability.unregister(broken)
    assert any("could not be read" in w for w in run.result["warnings"])
    assert Meeting.objects.count() == 3


# --- by hand -------------------------------------------------------------------------------------
def test_moves_by_hand_are_checked(immediate_tasks, organiser, event, grid, rooms, summit):
    _run(organiser, event)
    vnm_lao, khm_vnm, khm_lao, _ = summit
    small, large = rooms
    a = Meeting.objects.get(request=vnm_lao)
    b = Meeting.objects.get(request=khm_vnm)
    # Viet Nam cannot be in two meetings at once.
    with pytest.raises(services.BilateralRefused, match="at the same time"):
        services.place_meeting(organiser, khm_vnm, large if a.room == small else small,
                               a.start_slot)
    # One room holds one meeting at a time.
    with pytest.raises(services.BilateralRefused, match="is taken then"):
        services.place_meeting(organiser, khm_lao, b.room, b.start_slot)
    # A two-slot meeting cannot start in the last slot before lunch.
    with pytest.raises(services.BilateralRefused, match="not 2 consecutive slots"):
        services.place_meeting(organiser, khm_lao, large, grid[2])
    # Thailand is away all the time.
    with pytest.raises(services.BilateralRefused, match="Thailand is not available"):
        services.place_meeting(organiser, summit[3], large, grid[9])
    # A room too small.
    BilateralRequest.objects.filter(pk=vnm_lao.pk).update(min_seats=12)
    vnm_lao.refresh_from_db()
    with pytest.raises(services.BilateralRefused, match="Lotus has 8 seats"):
        services.place_meeting(organiser, vnm_lao, small, grid[9])
    moved = services.place_meeting(organiser, vnm_lao, large, grid[9])
    assert moved.placed_by == PlacedBy.ORGANISER and moved.start == grid[9].start
    # A re-run keeps what the organiser placed by hand.
    _run(organiser, event)
    assert Meeting.objects.get(request=vnm_lao).start_slot == grid[9]


def test_cancelling_an_accepted_request_frees_its_place(immediate_tasks, organiser, event,
                                                        summit, focal_lao):
    _run(organiser, event)
    services.cancel_request(focal_lao, summit[0])
    assert not Meeting.objects.filter(request=summit[0]).exists()


# --- publication, agendas and the calendar feed --------------------------------------------------
def _feed(delegation) -> dict:
    token = services.feed_of(delegation).token
    response = client_for_anonymous().get(f"/bilaterals/feed/{delegation.pk}/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def client_for_anonymous():
    from django.test import Client

    return Client()


def test_publishing_reaches_agendas_and_feeds_with_stable_uids(
        immediate_tasks, organiser, event, grid, rooms, summit, viet_nam, lao, focal_lao):
    _run(organiser, event)
    assert services.pending_changes(event) == {"new": 3, "changed": 0, "cancelled": 0}
    assert services.publish(organiser, event)["new"] == 3
    vnm_lao = summit[0]
    published = PublishedMeeting.objects.get(request=vnm_lao)
    events = _feed(viet_nam)
    assert len(events) == 2  # with Lao and with Cambodia
    first = events[published.uid]
    assert first["SEQUENCE"] == 0 and str(first["STATUS"]) == "CONFIRMED"
    assert first.decoded("DTSTART") == published.start
    assert "Lao People" in str(first["SUMMARY"]) and str(first["LOCATION"]) == published.room_name

    # A move, published: same UID, SEQUENCE 1, new time.
    free = next(s for s in grid[5:] if not Meeting.objects.filter(start_slot=s).exists())
    services.place_meeting(organiser, vnm_lao, rooms[1], free)
    assert services.publish(organiser, event)["changed"] == 1
    moved = _feed(lao)[published.uid]
    assert moved["SEQUENCE"] == 1 and moved.decoded("DTSTART") == free.start

    # A cancellation: still in the feed, STATUS:CANCELLED, SEQUENCE 2; gone from the agenda.
    services.cancel_request(focal_lao, vnm_lao)
    cancelled = _feed(viet_nam)[published.uid]
    assert cancelled["SEQUENCE"] == 2 and str(cancelled["STATUS"]) == "CANCELLED"
    page = client_for(focal_lao).get(f"/bilaterals/delegations/{lao.pk}/").content.decode()
    assert f'data-request="{vnm_lao.pk}"' not in page
    assert f'data-request="{summit[2].pk}"' in page  # Cambodia–Lao is still on


def test_a_rerun_after_publication_keeps_published_meetings(immediate_tasks, organiser, event,
                                                            grid, rooms, summit, cambodia,
                                                            focal_lao, lao):
    _run(organiser, event)
    services.publish(organiser, event)
    before = {m.request_id: (m.room_id, m.start_slot_id) for m in Meeting.objects.all()}
    # A new, important request arrives after publication.
    accepted(organiser, cambodia, organiser, make_delegation(event, "IDN", "Indonesia"),
             priority=3)
    _run(organiser, event)
    after = {m.request_id: (m.room_id, m.start_slot_id) for m in Meeting.objects.all()}
    assert all(after[pk] == place for pk, place in before.items())
    assert len(after) == 4
    # Allowed to move published meetings, the scheduler still moves none it need not.
    _run(organiser, event, keep_published=False)
    again = {m.request_id: (m.room_id, m.start_slot_id) for m in Meeting.objects.all()}
    assert again == after


def test_the_feed_needs_its_token_and_a_new_token_retires_the_old(organiser, viet_nam,
                                                                  focal_vnm):
    old = services.feed_of(viet_nam).token
    anonymous = client_for_anonymous()
    assert anonymous.get(f"/bilaterals/feed/{viet_nam.pk}/{old}.ics").status_code == 200
    wrong = old[:-1] + ("a" if old[-1] != "a" else "b")
    assert anonymous.get(f"/bilaterals/feed/{viet_nam.pk}/{wrong}.ics").status_code == 404
    assert anonymous.get(f"/bilaterals/feed/{viet_nam.pk + 1}/{old}.ics").status_code == 404
    services.reset_feed(focal_vnm, viet_nam)
    assert anonymous.get(f"/bilaterals/feed/{viet_nam.pk}/{old}.ics").status_code == 404
    new = AgendaFeed.objects.get(delegation=viet_nam).token
    assert anonymous.get(f"/bilaterals/feed/{viet_nam.pk}/{new}.ics").status_code == 200
    assert old not in str(list(AuditEvent.objects.values_list("before", "after")))


def test_published_times_follow_the_slot_grid(immediate_tasks, organiser, event, summit):
    _run(organiser, event)
    services.publish(organiser, event)
    two_slot = PublishedMeeting.objects.get(request=summit[2])
    # 2 meetings of 30 minutes and the 10-minute changeover between them.
    assert two_slot.end - two_slot.start == timedelta(minutes=70)
