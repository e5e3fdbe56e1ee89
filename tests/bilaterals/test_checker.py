"""The independent checker finds every kind of broken schedule (else it would prove nothing)."""

import copy

import pytest

from convene.bilaterals.checker import check

INSTANCE = {
    "slots": [
        {"id": "S1", "day": "2025-10-25", "start": "09:00", "end": "09:30"},
        {"id": "S2", "day": "2025-10-25", "start": "09:30", "end": "10:00"},
        {"id": "S3", "day": "2025-10-25", "start": "14:00", "end": "14:30"},
        {"id": "T1", "day": "2025-10-26", "start": "09:00", "end": "09:30"},
    ],
    "rooms": [{"id": "R1", "seats": 12}, {"id": "R2", "seats": 6}],
    "principals": [{"id": "VNM", "unavailable": ["S3"]}, {"id": "LAO"}, {"id": "KHM"},
                   {"id": "THA"}],
    "requests": [
        {"id": "Q1", "between": ["VNM", "LAO"], "priority": 3, "slots": 1, "min_seats": 8},
        {"id": "Q2", "between": ["LAO", "KHM"], "priority": 2, "slots": 2, "min_seats": 4},
        {"id": "Q3", "between": ["KHM", "THA"], "priority": 1},
        {"id": "Q4", "between": ["VNM", "THA"], "priority": 1, "placed": {
            "room": "R1", "slots": ["S1"]}, "pinned": True},
    ],
}
VALID = {
    "status": "optimal", "objective": 7, "bound": 7,
    "meetings": [{"request": "Q1", "room": "R1", "slots": ["T1"]},
                 {"request": "Q2", "room": "R2", "slots": ["S1", "S2"]},
                 {"request": "Q3", "room": "R1", "slots": ["S3"]},
                 {"request": "Q4", "room": "R1", "slots": ["S1"]}],
    "unscheduled": [],
}


def broken(change):
    result = copy.deepcopy(VALID)
    change(result)
    return check(INSTANCE, result)


def meeting(result, rid):
    return next(m for m in result["meetings"] if m["request"] == rid)


def test_a_valid_schedule_passes():
    assert check(INSTANCE, VALID) == []


def _set(rid, **fields):
    def change(result):
        meeting(result, rid).update(fields)
    return change


def _unschedule(rid, reason="not chosen"):
    def change(result):
        m = meeting(result, rid)
        result["meetings"].remove(m)
        result["unscheduled"].append({"request": rid, "reason": reason})
        result["objective"] -= {"Q1": 3, "Q2": 2, "Q3": 1, "Q4": 1}[rid]
    return change


@pytest.mark.parametrize("change, expected", [
    (_set("Q1", room="R9"), "Q1: unknown room R9"),
    (_set("Q1", room="R2"), "Q1: room R2 has 6 seats, 8 needed"),
    (_set("Q1", slots=["S9"]), "Q1: unknown slot"),
    (_set("Q2", slots=["S2"]), "Q2: takes 1 slot(s), needs 2"),
    (_set("Q2", slots=["S2", "S3"]), "Q2: slots S2 and S3 are not consecutive"),
    (_set("Q1", slots=["S2"]), "LAO is in Q1 and Q2 at once (S2)"),
    (_set("Q3", room="R2", slots=["S2"]), "room R2 holds Q2 and Q3 at once (S2)"),
    (_set("Q1", slots=["S3"]), "Q1: VNM is unavailable in S3"),
    (_set("Q4", slots=["S2"]), "Q4: pinned to"),
    (_unschedule("Q4"), "Q4: pinned to"),
    (_unschedule("Q3", reason=""), "request Q3 is unscheduled without a reason"),
    (lambda r: r["meetings"].append({"request": "Q3", "room": "R2", "slots": ["T1"]}),
     "request Q3 is scheduled 2 times"),
    (lambda r: r["meetings"].append({"request": "Q9", "room": "R2", "slots": ["T1"]}),
     "meeting for unknown request Q9"),
    (lambda r: r["meetings"].pop(), "request Q4 appears 1 time(s) in the instance but is "
                                    "accounted for 0 time(s)"),
    (lambda r: r["unscheduled"].append({"request": "Q1", "reason": "x"}),
     "request Q1 appears 1 time(s) in the instance but is accounted for 2 time(s)"),
    (lambda r: r.update(objective=8, bound=8), "objective 8 is not the total priority 7"),
    (lambda r: r.update(bound=6), "bound 6 is below the objective"),
    (lambda r: r.update(bound=9), "status optimal but the bound is not the objective"),
    (lambda r: r.update(status="great"), "unknown status 'great'"),
])
def test_each_broken_rule_is_named(change, expected):
    problems = broken(change)
    assert any(expected in p for p in problems), problems


def test_an_unknown_principal_scheduled_is_caught():
    instance = copy.deepcopy(INSTANCE)
    instance["requests"][2]["between"] = ["KHM", "ZZZ"]
    assert "Q3: unknown principal ZZZ is scheduled" in check(instance, VALID)


def test_a_pin_that_cannot_hold_does_not_bind():
    instance = copy.deepcopy(INSTANCE)
    instance["principals"][0]["unavailable"] = ["S1"]  # VNM is away when Q4 was pinned
    result = copy.deepcopy(VALID)
    meeting(result, "Q4").update(slots=["S2"])
    assert check(instance, result) == []
