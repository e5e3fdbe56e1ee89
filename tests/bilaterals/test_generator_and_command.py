"""The seeded instance generator has the promised shape; `convene bilaterals solve` prints the
schedule of a file exactly in the issue's format."""

import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from convene.bilaterals.checker import check
from convene.bilaterals.generator import generate
from convene.bilaterals.instance import parse_instance


def test_the_same_seed_gives_the_same_instance_and_another_seed_another():
    assert generate(60, 250, 24, 8, seed=3) == generate(60, 250, 24, 8, seed=3)
    assert generate(60, 250, 24, 8, seed=3) != generate(60, 250, 24, 8, seed=4)


def test_generated_instances_have_the_shape_of_a_summit():
    data = generate(120, 900, 24, 12, seed=1)
    instance = parse_instance(data)  # valid input for the solver
    assert (len(data["principals"]), len(data["requests"]), len(data["slots"]),
            len(data["rooms"])) == (120, 900, 24, 12)
    # 10-20 % of meetings need a large room or two slots.
    special = sum(q["slots"] > 1 or q["min_seats"] > 12 for q in data["requests"])
    assert 0.10 <= special / 900 <= 0.20
    # 2-8 blocked slots per principal.
    assert {len(p["unavailable"]) for p in data["principals"]} <= set(range(2, 9))
    # Hub-heavy: the host and the UN receive far more requests than a typical delegation.
    received = Counter(p for q in data["requests"] for p in q["between"])
    typical = sorted(received.values())[len(received) // 2]
    assert received["HOST"] > 4 * typical and received["UN"] > 3 * typical
    # A lunch break: two-slot meetings cannot span it, and there are two days.
    assert len({s.day for s in instance.slots}) == 2
    assert not instance.consecutive(instance.slots[5], instance.slots[6])
    assert len({frozenset(q["between"]) for q in data["requests"]}) == 900  # no repeated pair


def _solve_command(path, *args):
    out, err = StringIO(), StringIO()
    call_command("bilaterals", "solve", str(path), *args, stdout=out, stderr=err)
    return json.loads(out.getvalue()), err.getvalue()


def test_the_command_prints_the_schedule_as_json(tmp_path):
    data = generate(12, 30, 8, 3, seed=5)
    data["requests"].append({"id": "QX", "between": ["HOST", "NOBODY"], "priority": 2})
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    result, err = _solve_command(path, "--time-limit", "5")
    assert set(result) == {"status", "objective", "bound", "meetings", "unscheduled"}
    assert result["status"] == "optimal" and result["objective"] == result["bound"] > 0
    assert all(set(m) == {"request", "room", "slots"} for m in result["meetings"])
    assert all(set(u) == {"request", "reason"} for u in result["unscheduled"])
    assert {"request": "QX", "reason": "unknown principal: NOBODY"} in result["unscheduled"]
    assert check(data, result) == []
    assert err == ""


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not JSON"),
    ('{"slots": []}', '"rooms" is missing'),
])
def test_the_command_reports_a_bad_file_without_a_traceback(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError, match=message):
        _solve_command(path)


def test_the_command_reports_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        _solve_command(tmp_path / "nowhere.json")
