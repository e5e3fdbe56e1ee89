"""Where a run stands, its drift and overruns, and runs compared side by side."""

from datetime import datetime, timedelta

from convene.programme.runofshow import (
    CueActual,
    CuePlan,
    compare_runs,
    format_delta,
    next_cue,
    run_state,
)

P = datetime(2025, 10, 25, 9, 0)
M = timedelta(minutes=1)
CUES = [CuePlan(1, 1, P, 2 * M, "Arrival"), CuePlan(2, 2, P + 2 * M, 3 * M, "Anthem"),
        CuePlan(3, 3, P + 5 * M, 7 * M, "Remarks"), CuePlan(4, 4, P + 12 * M, M, "Photo")]


def test_before_the_first_go():
    state = run_state("live", CUES, [], None, P)
    assert state.current is None and not state.finished
    assert [c.plan.id for c in state.upcoming] == [1, 2, 3]
    assert next_cue(CUES, []).id == 1


def test_live_run_drift_against_the_clock_and_overrun():
    actual = [CueActual(1, P + M, P + 4 * M), CueActual(2, P + 4 * M, None)]
    now = P + 8 * M
    state = run_state("live", CUES, actual, P + M, now)
    assert state.current.plan.id == 2
    assert state.drift == 2 * M  # anthem planned 09:02, started 09:04
    assert state.elapsed == 4 * M and state.overrun == M  # 3 min planned
    assert [c.plan.id for c in state.upcoming] == [3, 4]
    assert next_cue(CUES, actual).id == 3


def test_rehearsal_is_measured_from_its_own_start():
    start = datetime(2025, 10, 23, 15, 0)  # the dress rehearsal, two days before
    actual = [CueActual(1, start, start + 2 * M), CueActual(2, start + 2 * M + 30 * timedelta(
        seconds=1), None)]
    state = run_state("rehearsal", CUES, actual, start, start + 3 * M)
    assert state.cues[0].drift == timedelta(0)
    assert state.drift == timedelta(seconds=30)
    assert state.overrun is None


def test_finished_run():
    actual = [CueActual(c.id, P + i * M, P + (i + 1) * M) for i, c in enumerate(CUES)]
    state = run_state("live", CUES, actual, P, P + 20 * M)
    assert state.finished and state.current is None and state.upcoming == []
    assert next_cue(CUES, actual) is None


def test_runs_side_by_side():
    r1 = P
    r2 = P + timedelta(days=1)
    runs = [(r1, [CueActual(1, r1, r1 + 3 * M), CueActual(2, r1 + 3 * M, r1 + 5 * M)]),
            (r2, [CueActual(1, r2, r2 + 2 * M)]), (None, [])]
    rows = compare_runs(CUES, runs)
    assert [r.plan.id for r in rows] == [1, 2, 3, 4]
    first = rows[0].cells
    assert (first[0].duration, first[0].delta) == (3 * M, M)
    assert (first[1].duration, first[1].delta) == (2 * M, timedelta(0))
    assert first[2].offset is None
    assert rows[1].cells[0].offset == 3 * M and rows[1].cells[0].delta == -M
    assert rows[1].planned_offset == 2 * M
    assert rows[1].cells[1].duration is None


def test_format_delta():
    assert format_delta(timedelta(seconds=65)) == "+1:05"
    assert format_delta(timedelta(seconds=-30)) == "−0:30"
    assert format_delta(timedelta(0)) == "±0:00"
    assert format_delta(timedelta(hours=1, seconds=2), signed=False) == "1:00:02"
    assert format_delta(None) == "—"
