"""Greeting-rule selection, the greeting roster, liaison officers and each conflict rule."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from convene.reception import rules

H = ZoneInfo("Asia/Ho_Chi_Minh")
T = datetime(2025, 10, 24, 9, 0, tzinfo=H)
HOS = rules.Rule("head_of_state", ("deputy prime minister", "chief of protocol"), True, True)
MIN = rules.Rule("minister", ("vice-minister",))


def test_the_rule_of_the_rank_else_of_its_precedence_band_else_none():
    assert rules.select_rule("head_of_state", [MIN, HOS]) is HOS
    assert rules.select_rule("minister", [MIN, HOS]) is MIN
    # a Vice-President stands in the heads of State's band (protocol/precedence.py)
    assert rules.select_rule("vice_president", [MIN, HOS]) is HOS
    assert rules.select_rule("ambassador", [MIN, HOS]) is None


def _greeters(*roles):
    return [rules.GreeterInfo(k + 1, role) for k, role in enumerate(roles)]


def test_two_heads_of_state_twenty_minutes_apart_need_two_greeters():
    landings = [rules.Landing(1, T, "head_of_state"),
                rules.Landing(2, T + timedelta(minutes=20), "head_of_state")]
    one_each = _greeters("deputy prime minister", "chief of protocol")
    roster = rules.greeting_roster(landings, [HOS], one_each)
    assert roster.greetings == {(1, "deputy prime minister"): 1, (1, "chief of protocol"): 2}
    assert {(f, role) for f, role, _ in roster.gaps} == {(2, "deputy prime minister"),
                                                         (2, "chief of protocol")}
    two_each = _greeters("deputy prime minister", "chief of protocol",
                         "deputy prime minister", "chief of protocol")
    roster = rules.greeting_roster(landings, [HOS], two_each)
    assert not roster.gaps
    assert roster.greetings[(1, "deputy prime minister")] != roster.greetings[
        (2, "deputy prime minister")]


def test_a_greeter_free_again_greets_a_later_landing_and_availability_counts():
    landings = [rules.Landing(1, T, "minister"),
                rules.Landing(2, T + timedelta(hours=2), "minister")]
    roster = rules.greeting_roster(landings, [MIN], _greeters("vice-minister"))
    assert roster.greetings == {(1, "vice-minister"): 1, (2, "vice-minister"): 1}
    away = [rules.GreeterInfo(1, "vice-minister", available_from=T + timedelta(hours=1))]
    roster = rules.greeting_roster(landings, [MIN], away)
    assert roster.greetings == {(2, "vice-minister"): 1}
    assert [f for f, _, _ in roster.gaps] == [1]


def _need(d, langs, senior=False):
    return rules.LiaisonNeed(d, tuple(langs), senior)


def test_liaison_officers_are_matched_on_language_and_seniority_optimally():
    officers = [rules.OfficerInfo(10, ("en", "fr"), True), rules.OfficerInfo(11, ("en",), False),
                rules.OfficerInfo(12, ("es",), False)]
    needs = [_need(1, ["fr", "en"], senior=True), _need(2, ["en"]), _need(3, ["es"])]
    plan = rules.assign_liaisons(needs, officers)
    # a greedy "first delegation takes the first speaker" would give 10 to delegation 2
    assert plan.assigned == {1: 10, 2: 11, 3: 12}
    assert plan.unmatched == {}


def test_each_delegation_left_without_an_officer_says_why():
    officers = [rules.OfficerInfo(10, ("en",), False)]
    needs = [_need(1, ["ar"]), _need(2, ["en"], senior=True), _need(3, ["en"]),
             _need(4, ["en"])]
    plan = rules.assign_liaisons(needs, officers)
    assert len(plan.assigned) == 1 and set(plan.assigned.values()) == {10}
    assert "speaks ar" in plan.unmatched[1]
    assert "senior" in plan.unmatched[2]
    [left] = {3, 4} - plan.assigned.keys()
    assert "another delegation" in plan.unmatched[left]


def test_a_choice_made_by_hand_is_kept_and_never_double_booked():
    officers = [rules.OfficerInfo(10, ("en",), True), rules.OfficerInfo(11, ("en",), False)]
    plan = rules.assign_liaisons([_need(1, ["en"]), _need(2, ["en"])], officers, fixed={2: 10})
    assert plan.assigned == {2: 10, 1: 11}


def test_suites_by_rank():
    assert rules.room_type_for("head_of_state", True) == "suite"
    assert rules.room_type_for("foreign_minister", True) == "suite"
    assert rules.room_type_for("ambassador", True) == "deluxe"
    assert rules.room_type_for("head_of_state", False) == "standard"


# --- conflict rules -------------------------------------------------------------------------

def _trip(direction, at, flight=1, principal=7):
    return rules.Trip(flight, principal, 3, at, direction, "H.E. X")


def test_a_principal_landing_after_a_session_they_attend_is_critical():
    session = rules.Commitment(7, 3, T + timedelta(hours=1), "Opening")
    found = rules.late_landings([_trip("arrival", T)], [session], timedelta(minutes=75))
    assert [(f.rule, f.severity) for f in found] == [("late_landing", "critical")]
    assert rules.late_landings([_trip("arrival", T)], [session], timedelta(minutes=45)) == []


def test_a_departure_before_the_signing_slot_is_critical():
    signing = rules.Commitment(7, 3, T, "Signing", is_signing=True)
    found = rules.departures_before_signing([_trip("departure", T + timedelta(hours=1))],
                                            [signing], timedelta(hours=2))
    assert [f.severity for f in found] == ["critical"]
    assert rules.departures_before_signing([_trip("departure", T + timedelta(hours=3))],
                                           [signing], timedelta(hours=2)) == []
    session = rules.Commitment(7, 3, T, "Opening")
    assert rules.departures_before_signing([_trip("departure", T)], [session],
                                           timedelta(hours=2)) == []


def _booking(resource, start, minutes, ref):
    return rules.Booking(resource, resource, start, start + timedelta(minutes=minutes), ref, ref)


def test_a_car_driver_or_greeter_in_two_places_is_found():
    found = rules.double_bookings([_booking("vehicle:1", T, 60, "a"),
                                   _booking("vehicle:1", T + timedelta(minutes=30), 60, "b"),
                                   _booking("vehicle:1", T + timedelta(minutes=90), 10, "c"),
                                   _booking("vehicle:2", T, 60, "d")], "car")
    assert [f.key for f in found] == ["double:vehicle:1:a:b"]
    assert found[0].rule == "double_booked_car" and found[0].severity == "serious"


def test_a_movement_shorter_than_the_road_is_found():
    short = rules.TimedMovement(1, T, T + timedelta(minutes=30), 45, "airport → hotel")
    fine = rules.TimedMovement(2, T, T + timedelta(minutes=50), 45, "airport → hotel")
    assert [f.key.split(":")[1] for f in rules.movements_too_short([short, fine])] == ["1"]


def test_a_hotel_block_over_capacity_is_found():
    found = rules.over_blocks([rules.BlockUse("HOTEL-A", date(2025, 10, 24), "suite", 2, 3),
                               rules.BlockUse("HOTEL-A", date(2025, 10, 25), "suite", 2, 2)])
    assert [f.rule for f in found] == ["hotel_over_block"]
    assert "3 suite rooms given, 2 held" in found[0].message


def test_an_arrival_with_no_movement_is_found():
    found = rules.arrivals_without_movement([_trip("arrival", T, flight=1),
                                             _trip("arrival", T, flight=2),
                                             _trip("departure", T, flight=3)], {2})
    assert [f.key for f in found] == ["no-movement:1"]


def test_a_late_departure_needs_a_late_checkout():
    stay = rules.StayInfo(7, 3, "H.E. X", date(2025, 10, 26), False)
    evening = _trip("departure", datetime(2025, 10, 26, 18, 0, tzinfo=H))
    morning = _trip("departure", datetime(2025, 10, 26, 9, 0, tzinfo=H))
    assert [f.rule for f in rules.late_checkouts([stay], [evening])] == ["late_checkout"]
    assert rules.late_checkouts([stay], [morning]) == []
    kept = rules.StayInfo(7, 3, "H.E. X", date(2025, 10, 26), True)
    assert rules.late_checkouts([kept], [evening]) == []


def test_conflicts_sort_most_severe_first():
    found = [rules.Found("b", "r", "warning", ""), rules.Found("a", "r", "critical", ""),
             rules.Found("c", "r", "serious", "")]
    assert [f.severity for f in rules.sort_found(found)] == ["critical", "serious", "warning"]
