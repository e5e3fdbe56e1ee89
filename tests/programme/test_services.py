"""Programme and run-of-show services: rules, permissions, audit events."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from convene.audit.models import AuditEvent
from convene.programme import services
from convene.programme.models import CueTiming, Run, Session
from tests.conftest import make_user
from tests.programme.builders import add_person, at, make_member, make_room, make_session


def test_session_must_fall_on_its_day_and_end_after_it_starts(organiser, event, opening):
    data = {"day": opening.day, "kind": "plenary", "title": "Plenary",
            "starts_at": at(9), "ends_at": at(8)}
    with pytest.raises(services.ProgrammeRefused) as exc:
        services.save_session(organiser, event, data)
    assert exc.value.field == "ends_at"
    data.update(starts_at=at(9, day=26), ends_at=at(10, day=26))
    with pytest.raises(services.ProgrammeRefused) as exc:
        services.save_session(organiser, event, data)
    assert exc.value.field == "starts_at"


def test_saving_a_session_bumps_its_version_and_is_audited(organiser, event, opening):
    before = opening.version
    data = {"title": "Opening session of the Signing Ceremony",
            "allowed_zones": [" p", "a", "A"]}
    services.save_session(organiser, event, data, Session.objects.get(pk=opening.pk))
    opening.refresh_from_db()
    assert opening.version == before + 1
    assert opening.allowed_zones == ["A", "P"]
    event_row = AuditEvent.objects.filter(action="programme.session_saved").last()
    assert event_row.after["title"] == "Opening session of the Signing Ceremony"


def test_only_the_organiser_manages_the_programme(users_by_role, event, opening):
    for role in ("observer", "task_force_lead", "focal_point"):
        with pytest.raises(PermissionDenied):
            services.save_session(users_by_role[role], event, {"title": "X"}, opening)


def test_conflicts_from_the_database(organiser, event, viet_nam, opening, hall):
    president = make_member(viet_nam, "Nguyen", "head_of_state")
    pending = make_member(viet_nam, "Tran", status="nominated")
    small = make_room(event, "Bilateral Room", capacity=10, rows=None, seats_per_row=None)
    bilateral = make_session(event, "Bilateral", "bilateral", (9, 30), (10, 0), room=small,
                             expected_attendance=30)
    clash = make_session(event, "Rehearsal in the hall", "other", (9, 45), (11, 0), room=hall)
    add_person(opening, president, "co_chair")
    add_person(bilateral, president, "principal")
    add_person(opening, pending, "speaker")
    found = {(c.code, c.severity, c.session_ids) for c in services.find_conflicts(event)}
    assert found == {
        ("room_double_booked", "critical", (opening.pk, clash.pk)),
        ("principal_in_two_places", "critical", (opening.pk, bilateral.pk)),
        ("room_too_small", "critical", (bilateral.pk,)),
        ("speaker_not_accredited", "warning", (opening.pk,)),
    }


def test_script_editing_keeps_positions_unique(organiser, opening, script):
    services.move_cue(organiser, script[2], -1)
    assert list(opening.cues.values_list("what", flat=True)) == ["Cue 1", "Cue 3", "Cue 2"]
    services.move_cue(organiser, opening.cues.get(what="Cue 1"), -1)  # already first: nothing
    assert opening.cues.first().what == "Cue 1"
    cue = services.add_cue(organiser, opening, {
        "planned_at": at(9, 30), "duration_seconds": 420, "what": "Remarks, 7 min"})
    assert cue.position == 4
    with pytest.raises(services.ProgrammeRefused):
        services.add_cue(organiser, opening, {"planned_at": at(9, 30, day=26) + timedelta(
            days=3), "duration_seconds": 60, "what": "Far away"})
    services.delete_cue(organiser, cue)
    assert opening.cues.count() == 3


def test_focal_points_and_press_cannot_edit_scripts(users_by_role, opening):
    for role in ("focal_point", "press_officer", "security_officer", "observer"):
        with pytest.raises(PermissionDenied):
            services.add_cue(users_by_role[role], opening, {
                "planned_at": at(9), "duration_seconds": 60, "what": "X"})


def test_a_rehearsal_run_records_timings_and_go_cannot_skip(organiser, opening, script):
    run = services.start_run(organiser, opening, "rehearsal", "Dress rehearsal")
    with pytest.raises(services.ProgrammeRefused):
        services.start_run(organiser, opening, "live")  # one run at a time
    assert run.started_at is None  # standing by
    services.go(organiser, run, expected_cue_id=script[0].pk)
    run.refresh_from_db()
    assert run.started_at is not None
    # Two operators pressed "go" for cue 2; the second press is refused, not a skip to cue 3.
    services.go(organiser, run, expected_cue_id=script[1].pk)
    with pytest.raises(services.ProgrammeRefused):
        services.go(organiser, run, expected_cue_id=script[1].pk)
    services.go(organiser, run, expected_cue_id=script[2].pk)
    services.go(organiser, run, expected_cue_id=0)  # after the last cue: the run ends
    run.refresh_from_db()
    assert run.ended_at is not None
    timings = list(CueTiming.objects.filter(run=run).order_by("started_at"))
    assert [t.cue_id for t in timings] == [c.pk for c in script]
    assert all(t.ended_at is not None for t in timings)
    assert timings[0].ended_at == timings[1].started_at
    assert AuditEvent.objects.filter(action="programme.run_go").count() == 4


def test_runs_are_kept_apart_and_compared(organiser, opening, script):
    for kind in ("rehearsal", "rehearsal"):
        run = services.start_run(organiser, opening, kind)
        for _ in range(len(script) + 1):
            services.go(organiser, run)
    # A third run stopped half-way.
    run = services.start_run(organiser, opening, "live")
    services.go(organiser, run)
    services.stop_run(organiser, run)
    runs, rows = services.compare_runs(opening)
    assert [r.kind for r in runs] == ["rehearsal", "rehearsal", "live"]
    assert len(rows) == 3 and all(len(r.cells) == 3 for r in rows)
    assert rows[0].cells[2].duration is not None and rows[1].cells[2].offset is None


def test_live_view_shows_current_and_next(organiser, opening, script):
    run = services.start_run(organiser, opening, "live")
    services.go(organiser, run)
    view = services.live_view(Session.objects.get(pk=opening.pk))
    assert view.state.current.plan.id == script[0].pk
    assert view.next_cue == script[1]
    assert [c.plan.id for c in view.state.upcoming] == [script[1].pk, script[2].pk]


def test_findings_have_an_owner_and_can_be_handed_to_operations(organiser, opening, script):
    lead = make_user("lead", "task_force_lead")
    run = services.start_run(organiser, opening, "rehearsal")
    finding = services.record_finding(organiser, run, text="Lectern too high", owner=lead,
                                      cue=script[1])
    assert finding.task_force == "Protocol" and finding.owner == lead
    with pytest.raises(services.ProgrammeRefused):
        services.record_finding(organiser, run, text="  ", owner=lead)
    # The owner may close it even without the right to record findings in general.
    press = make_user("press2", "press_officer")
    with pytest.raises(PermissionDenied):
        services.set_finding_status(press, finding, "done")
    services.set_finding_status(lead, finding, "done")
    finding.refresh_from_db()
    assert finding.status == "done"
    # With no task force to take them, findings stay here.
    assert services.hand_over_findings(organiser, run) == 0
    # Open findings become readiness items of the task force they name, with their owner.
    from convene.operations.models import ChecklistItem, TaskForce

    TaskForce.objects.create(event=opening.event, area="protocol", name="Protocol", lead=lead)
    services.record_finding(organiser, run, text="Flags in the wrong order", owner=lead)
    assert services.hand_over_findings(organiser, run) == 1
    flags = run.findings.get(text__startswith="Flags")
    item = ChecklistItem.objects.get(pk=flags.operations_ref)
    assert (item.title, item.owner, item.task_force.area) == (
        "Flags in the wrong order", lead, "protocol")
    assert item.source_ref == f"programme-finding-{flags.pk}"
    assert services.hand_over_findings(organiser, run) == 0  # never twice


def test_calendar_feed_contents(organiser, focal_vnm, event, viet_nam, opening):
    president = make_member(viet_nam, "Nguyen", "head_of_state")
    private = make_session(event, "Bilateral", "bilateral", (11, 0), (11, 30), is_public=False)
    make_session(event, "Closed meeting", "other", (12, 0), (13, 0), is_public=False)
    add_person(private, president, "principal")
    delegation_feed = services.create_feed(focal_vnm, delegation=viet_nam)
    person_feed = services.create_feed(focal_vnm, member=president)
    body = services.feed_ics(delegation_feed.token).decode()
    assert "BEGIN:VCALENDAR" in body and f"UID:session-{opening.pk}@convene" in body
    assert "Bilateral" in body and "Closed meeting" not in body
    person = services.feed_ics(person_feed.token).decode()
    assert "Bilateral" in person and "SUMMARY:Opening session" not in person
    services.revoke_feed(focal_vnm, delegation_feed)
    assert services.feed_ics(delegation_feed.token) is None


def test_no_calendar_for_another_delegation(focal_lao, viet_nam):
    with pytest.raises(PermissionDenied):
        services.create_feed(focal_lao, delegation=viet_nam)


def test_open_run_is_unique_in_the_database(organiser, opening, script):
    from django.db import IntegrityError, transaction

    Run.objects.create(session=opening, kind="live")
    with pytest.raises(IntegrityError), transaction.atomic():
        Run.objects.create(session=opening, kind="rehearsal")


def test_principals_are_busy_at_the_opening_and_where_their_head_has_a_part(
        event, opening, hall, viet_nam, lao):
    from convene.bilaterals import availability
    from convene.delegations.models import Member
    from convene.programme.models import Participation

    head = Member.objects.create(delegation=lao, family_name="Demo", rank="head_of_state",
                                 is_head=True)
    adviser = Member.objects.create(delegation=viet_nam, family_name="Adviser")
    plenary = make_session(event, "Plenary", "plenary", (10, 0), (12, 0), room=hall)
    Participation.objects.create(session=plenary, member=head, role="speaker")
    Participation.objects.create(session=plenary, member=adviser, role="speaker")
    busy = services.principal_busy_times(event)
    assert {(b.delegation_id, b.reason) for b in busy} == {
        (None, opening.title), (lao.pk, "Plenary (Speaker)")}
    # The bilateral scheduler reads it without knowing the programme app.
    assert services.principal_busy_times in availability._sources()
