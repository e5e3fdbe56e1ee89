"""The run-of-show of a session: where a run stands, how far it drifts from the plan, and how
runs (rehearsals and the real thing) compare.

Planned times are the cues' planned clock times. A live run is measured against them as they
are; a rehearsal happens on another day, so its plan is shifted to start when the rehearsal
started (drift 0 at the first cue). Drift = when the current cue actually started minus when it
was planned; positive is late. A cue overruns when it has lasted longer than planned.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

LIVE, REHEARSAL = "live", "rehearsal"


@dataclass(frozen=True)
class CuePlan:
    id: int
    position: int
    planned_at: datetime
    duration: timedelta
    what: str


@dataclass(frozen=True)
class CueActual:
    cue_id: int
    started_at: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class CueState:
    plan: CuePlan
    planned_at: datetime  # shifted for a rehearsal
    started_at: datetime | None
    ended_at: datetime | None

    @property
    def actual_duration(self) -> timedelta | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return self.ended_at - self.started_at

    @property
    def drift(self) -> timedelta | None:
        return None if self.started_at is None else self.started_at - self.planned_at


@dataclass(frozen=True)
class RunState:
    cues: list[CueState]
    current: CueState | None
    upcoming: list[CueState]
    finished: bool
    drift: timedelta | None  # of the current cue (or the last one when finished)
    elapsed: timedelta | None  # in the current cue
    overrun: timedelta | None  # how much the current cue is over its duration, if it is


def anchor_offset(kind: str, cues: Sequence[CuePlan], started_at: datetime | None) -> timedelta:
    """How much the plan moves for this run: nothing for a live run; for a rehearsal, so that
    the first cue is planned when the rehearsal started."""
    if kind != REHEARSAL or not cues or started_at is None:
        return timedelta(0)
    return started_at - min(c.planned_at for c in cues)


def run_state(kind: str, cues: Sequence[CuePlan], actuals: Sequence[CueActual],
              started_at: datetime | None, now: datetime, *, upcoming: int = 3) -> RunState:
    cues = sorted(cues, key=lambda c: c.position)
    shift = anchor_offset(kind, cues, started_at)
    by_cue = {a.cue_id: a for a in actuals}
    states = [CueState(c, c.planned_at + shift, by_cue[c.id].started_at if c.id in by_cue
                       else None, by_cue[c.id].ended_at if c.id in by_cue else None)
              for c in cues]
    running = [s for s in states if s.started_at is not None and s.ended_at is None]
    current = running[-1] if running else None
    started = [s for s in states if s.started_at is not None]
    finished = bool(states) and current is None and len(started) == len(states)
    if current is not None:
        index = states.index(current)
        nxt = states[index + 1:index + 1 + upcoming]
    elif started:
        index = states.index(started[-1])
        nxt = states[index + 1:index + 1 + upcoming]
    else:
        nxt = states[:upcoming]
    reference = current or (started[-1] if started else None)
    elapsed = overrun = None
    if current is not None:
        elapsed = now - current.started_at
        over = elapsed - current.plan.duration
        overrun = over if over > timedelta(0) else None
    return RunState(states, current, nxt, finished,
                    reference.drift if reference else None, elapsed, overrun)


def next_cue(cues: Sequence[CuePlan], actuals: Sequence[CueActual]) -> CuePlan | None:
    """The cue that "go" starts: the first one not yet started, in script order."""
    started = {a.cue_id for a in actuals}
    for cue in sorted(cues, key=lambda c: c.position):
        if cue.id not in started:
            return cue
    return None


@dataclass(frozen=True)
class ComparedCell:
    offset: timedelta | None  # actual start from the run's start
    duration: timedelta | None
    delta: timedelta | None  # actual duration minus planned duration


@dataclass(frozen=True)
class ComparedRow:
    plan: CuePlan
    planned_offset: timedelta
    cells: list[ComparedCell]


def compare_runs(cues: Sequence[CuePlan], runs: Sequence[tuple[datetime | None,
                                                               Sequence[CueActual]]]
                 ) -> list[ComparedRow]:
    """One row per cue, one cell per run: when the cue started counted from the run's start,
    how long it lasted, and how much longer (or shorter) than planned."""
    cues = sorted(cues, key=lambda c: c.position)
    first = min((c.planned_at for c in cues), default=None)
    rows = []
    indexed = [(start, {a.cue_id: a for a in actuals}) for start, actuals in runs]
    for cue in cues:
        cells = []
        for start, by_cue in indexed:
            a = by_cue.get(cue.id)
            if a is None or start is None:
                cells.append(ComparedCell(None, None, None))
                continue
            duration = (a.ended_at - a.started_at) if a.ended_at else None
            cells.append(ComparedCell(a.started_at - start, duration,
                                      duration - cue.duration if duration is not None else None))
        rows.append(ComparedRow(cue, cue.planned_at - first, cells))
    return rows


def format_delta(value: timedelta | None, *, signed: bool = True) -> str:
    """'+1:05', '−0:30', '12:00' (minutes:seconds; hours when long)."""
    if value is None:
        return "—"
    seconds = int(round(value.total_seconds()))
    sign = "+" if seconds > 0 else "−" if seconds < 0 else "±"
    seconds = abs(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    text = f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"
    return f"{sign}{text}" if signed else text
