"""Seating: English alphabetical order of UN short names from the State drawn by lot, filled
from the right end of the front row as seen from the podium."""

import pytest

from convene.protocol.seating import (
    HOST_FIRST,
    Seatable,
    assign_seats,
    seating_order,
)

STATES = ["Viet Nam", "Zimbabwe", "Afghanistan", "Türkiye", "Côte d'Ivoire", "Yemen",
          "Republic of Korea", "Zambia"]


def seatables(names=STATES, kind="member_state"):
    return [Seatable(n, name, kind) for n, name in enumerate(names, start=1)]


def names(order):
    return [s.name for s in order]


def test_no_lot_is_alphabetical_from_a():
    assert names(seating_order(seatables(), None)) == [
        "Afghanistan", "Côte d'Ivoire", "Republic of Korea", "Türkiye", "Viet Nam", "Yemen",
        "Zambia", "Zimbabwe"]


def test_lot_near_the_end_of_the_alphabet_wraps_to_a():
    assert names(seating_order(seatables(), "Zimbabwe")) == [
        "Zimbabwe", "Afghanistan", "Côte d'Ivoire", "Republic of Korea", "Türkiye",
        "Viet Nam", "Yemen", "Zambia"]


def test_lot_on_a_state_not_attending_starts_at_the_next_one():
    # Yemen drew the first seat at the 79th session; if it is not here, Zambia sits first.
    present = [s for s in seatables() if s.name != "Yemen"]
    assert names(seating_order(present, "Yemen"))[:3] == ["Zambia", "Zimbabwe", "Afghanistan"]
    # A draw after the last name wraps to A.
    assert names(seating_order(present, "Zzyzx"))[0] == "Afghanistan"


def test_lot_with_accents_and_the_name_written_differently():
    assert names(seating_order(seatables(), "Turkiye"))[0] == "Türkiye"
    assert names(seating_order(seatables(), "cote d'ivoire"))[0] == "Côte d'Ivoire"


def test_observers_and_organisations_follow_the_member_states_unrotated():
    people = seatables(["Viet Nam", "Zambia"]) + [
        Seatable(20, "State of Palestine", "observer_state"),
        Seatable(21, "Holy See", "observer_state"),
        Seatable(22, "European Union", "reio"),
        Seatable(23, "United Nations", "un_system"),
        Seatable(24, "INTERPOL", "igo"),
        Seatable(25, "Global Forum (NGO)", "ngo")]
    assert names(seating_order(people, "Zambia")) == [
        "Zambia", "Viet Nam", "Holy See", "State of Palestine", "European Union",
        "INTERPOL", "United Nations", "Global Forum (NGO)"]


def test_host_first_or_in_its_place():
    people = [Seatable(1, "Afghanistan", "member_state"),
              Seatable(2, "Viet Nam", "member_state", is_host=True),
              Seatable(3, "Zambia", "member_state")]
    assert names(seating_order(people, "Zambia"))[0] == "Zambia"
    assert names(seating_order(people, "Zambia", host=HOST_FIRST)) == [
        "Viet Nam", "Zambia", "Afghanistan"]


def test_seats_fill_rows_from_the_first_seat_and_blocks_never_split():
    order = seating_order(seatables(["Angola", "Benin", "Chad"]) + [
        Seatable(9, "Holy See", "observer_state")], None)
    plan = assign_seats(order, rows=3, seats_per_row=10,
                        seats_per_kind={"member_state": 4, "observer_state": 2})
    placed = [(b.seatable.name, b.row, b.first_seat, b.count) for b in plan.blocks]
    assert placed == [("Angola", 1, 1, 4), ("Benin", 1, 5, 4), ("Chad", 2, 1, 4),
                      ("Holy See", 2, 5, 2)]
    assert plan.not_seated == []


def test_a_full_hall_lists_who_has_no_seat():
    plan = assign_seats(seatables(), rows=1, seats_per_row=8)  # 2 states of 4 seats fit
    assert len(plan.blocks) == 2 and len(plan.not_seated) == 6


def test_a_hall_needs_seats():
    with pytest.raises(ValueError):
        assign_seats(seatables(), rows=0, seats_per_row=10)
