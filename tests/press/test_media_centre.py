"""Media centre: capacity, interview slots that avoid the principal's programme and
bilaterals (the busy-time service), and the press conference queue balanced across outlets."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from convene.accounts.models import Role
from convene.accreditation import services as accreditation
from convene.press import centre, media_centre, services
from convene.press.media_centre import Hand
from convene.press.services import PressRefused
from convene.programme.models import Day, Session
from tests.accreditation.helpers import photo_bytes
from tests.conftest import make_user

T0 = datetime(2025, 10, 25, 9, 0, tzinfo=UTC)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def test_capacity_counts_bookings_at_the_same_time():
    taken = [(at(0), at(60)), (at(30), at(90))]
    assert not media_centre.has_room(taken, 2, at(40), at(50))
    assert media_centre.has_room(taken, 2, at(60), at(70))
    assert media_centre.has_room(taken, 3, at(0), at(90))


def test_the_first_free_slot_avoids_busy_times():
    busy = [(at(0), at(30)), (at(40), at(100))]
    assert media_centre.first_free_slot(at(0), at(200), 20, busy) == (at(100), at(120))
    assert media_centre.first_free_slot(at(0), at(100), 20, busy) is None


def test_the_queue_gives_the_floor_across_outlets_and_regions():
    hands = [Hand(1, "AFP", "France", at(0)), Hand(2, "AFP", "France", at(1)),
             Hand(3, "VNA", "Viet Nam", at(2)), Hand(4, "LeMonde", "France", at(3))]
    assert [h.id for h in media_centre.balanced_queue(hands, [])] == [1, 3, 4, 2]
    # AFP already had a question: the others first.
    called = [Hand(9, "AFP", "France", at(-5))]
    assert [h.id for h in media_centre.balanced_queue(hands, called)][0] == 3


@pytest.fixture
def journalist(press_world, organiser):
    profile = services.nominate(press_world["fp"], press_world["afp"], {
        "family_name": "Pham", "function": "reporter", "nationality": "French",
        "passport_number": "P1"}, photo=SimpleUploadedFile("p.jpg", photo_bytes()), submit=True)
    accreditation.record_vetting(press_world["security"], profile.member, True)
    accreditation.decide(organiser, profile.member, True)
    profile.user = make_user("reporter", Role.JOURNALIST)
    profile.save()
    return profile


def test_a_booking_beyond_capacity_is_refused(press_world, event, journalist):
    booth = centre.save_facility(press_world["press"], event, {
        "kind": "tv_booth", "name": "Booth 1", "capacity": 1})
    start = timezone.now() + timedelta(hours=1)
    centre.book(journalist.user, booth, journalist, start, start + timedelta(hours=1))
    with pytest.raises(PressRefused):
        centre.book(journalist.user, booth, journalist, start + timedelta(minutes=30),
                      start + timedelta(hours=2))


def test_an_accepted_interview_avoids_the_principals_programme(
        press_world, event, journalist, viet_nam, member, focal_vnm, organiser):
    centre.save_facility(press_world["press"], event, {
        "kind": "interview_room", "name": "Interview room", "capacity": 1})
    centre.flag_spokesperson(focal_vnm, member)
    tz = timezone.get_current_timezone()
    day = Day.objects.create(event=event, date=event.start_date)
    # The signing ceremony takes every principal from 09:00 to 12:00.
    Session.objects.create(event=event, day=day, kind="signing", title="Signing",
                           starts_at=datetime.combine(event.start_date, datetime.min.time(), tz)
                           + timedelta(hours=9),
                           ends_at=datetime.combine(event.start_date, datetime.min.time(), tz)
                           + timedelta(hours=12))
    req = centre.request_interview(journalist.user, journalist, viet_nam, "Cybercrime")
    with pytest.raises(PermissionDenied):
        centre.answer_interview(journalist.user, req, True)  # not their delegation
    req = centre.answer_interview(focal_vnm, req, True)
    if timezone.localdate() <= event.start_date:
        assert timezone.localtime(req.starts_at).hour == 12
    second = centre.request_interview(journalist.user, journalist, viet_nam, "Extradition")
    second = centre.answer_interview(focal_vnm, second, True)
    assert second.starts_at >= req.ends_at


def test_journalists_ask_and_the_moderator_calls_the_next(press_world, event, journalist):
    day = Day.objects.create(event=event, date=event.start_date)
    conf = Session.objects.create(event=event, day=day, kind="press_conference", title="PC",
                                  starts_at=timezone.now(),
                                  ends_at=timezone.now() + timedelta(hours=1))
    centre.ask(journalist.user, conf)
    with pytest.raises(PressRefused):
        centre.ask(journalist.user, conf)
    q = centre.call_next(press_world["press"], conf)
    assert q.profile == journalist and centre.question_queue(conf) == []
