"""Conflict detection on plain data: what each kind of conflict is, and its severity."""

from datetime import datetime, timedelta

from convene.programme.conflicts import PersonIn, SessionIn, find_conflicts

T = datetime(2025, 10, 25, 9, 0)


def session(i, start_h, end_h, room=None, cap=None, expected=None, people=()):
    return SessionIn(i, f"S{i}", T + timedelta(hours=start_h), T + timedelta(hours=end_h),
                     room, f"Room {room}", cap, expected, tuple(people))


def codes(found):
    return [(c.severity, c.code, c.session_ids) for c in found]


def test_room_double_booked_only_when_times_overlap():
    found = find_conflicts([session(1, 0, 2, room=1), session(2, 1, 3, room=1),
                            session(3, 3, 4, room=1),  # starts when 2 ends: fine
                            session(4, 0, 4, room=2)])
    assert codes(found) == [("critical", "room_double_booked", (1, 2))]


def test_principal_in_two_places():
    president = PersonIn(7, "H.E. President", "principal", "approved")
    found = find_conflicts([session(1, 0, 2, people=[president]),
                            session(2, 1.5, 2.5, people=[president]),
                            session(3, 2.5, 3, people=[president])])
    assert codes(found) == [("critical", "principal_in_two_places", (1, 2))]
    assert "H.E. President" in found[0].message


def test_same_person_twice_in_one_session_is_not_a_conflict():
    p = [PersonIn(7, "X", "chair", "approved"), PersonIn(7, "X", "speaker", "approved")]
    assert find_conflicts([session(1, 0, 1, people=p)]) == []


def test_room_too_small_warning_then_critical():
    found = find_conflicts([session(1, 0, 1, room=1, cap=100, expected=110),
                            session(2, 2, 3, room=1, cap=100, expected=130),
                            session(3, 4, 5, room=1, cap=100, expected=100)])
    assert codes(found) == [("critical", "room_too_small", (2,)),
                            ("warning", "room_too_small", (1,))]


def test_speaker_without_accreditation():
    people = [PersonIn(1, "Refused", "speaker", "refused"),
              PersonIn(2, "Pending", "co_chair", "nominated"),
              PersonIn(3, "Fine", "speaker", "approved"),
              PersonIn(4, "Attending only", "principal", "nominated"),
              PersonIn(None, "Master of ceremonies", "moderator", None)]
    found = find_conflicts([session(1, 0, 1, people=people)])
    assert codes(found) == [("critical", "speaker_not_accredited", (1,)),
                            ("warning", "speaker_not_accredited", (1,))]
    assert "Refused" in found[0].message and "Pending" in found[1].message
