"""The slot grid of an event: meetings of a fixed length with a changeover after each, in
daily windows (e.g. 09:00–12:30 and 14:00–18:00), as b2meet and the APEC secretariat do it
(research notes §3.2: "30-minute meetings, 15 minutes between bilaterals")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo


class GridError(ValueError):
    pass


@dataclass(frozen=True)
class SlotTimes:
    start: datetime
    meeting_end: datetime
    end: datetime  # start of the next slot of the same window


def parse_windows(text: str) -> list[tuple[time, time]]:
    """"09:00-12:30, 14:00-18:00" -> [(09:00, 12:30), (14:00, 18:00)], in order, disjoint."""
    windows = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            start, end = (time.fromisoformat(x.strip()) for x in part.split("-"))
        except ValueError:
            raise GridError(f"“{part}” is not a time window such as 09:00-12:30") from None
        if end <= start:
            raise GridError(f"“{part}” ends before it starts")
        windows.append((start, end))
    if not windows:
        raise GridError("Give at least one time window, such as 09:00-12:30")
    windows.sort()
    for (_, a_end), (b_start, _) in zip(windows, windows[1:], strict=False):
        if b_start < a_end:
            raise GridError("The time windows overlap")
    return windows


def slot_times(days: list[date], windows: list[tuple[time, time]], meeting_minutes: int,
               changeover_minutes: int, tz: tzinfo) -> list[SlotTimes]:
    """Every slot of the grid: as many meetings as fit in each window, each day."""
    if meeting_minutes < 5:
        raise GridError("A meeting lasts at least 5 minutes")
    meeting = timedelta(minutes=meeting_minutes)
    block = meeting + timedelta(minutes=changeover_minutes)
    slots = []
    for day in days:
        for start_time, end_time in windows:
            start = datetime.combine(day, start_time, tzinfo=tz)
            window_end = datetime.combine(day, end_time, tzinfo=tz)
            while start + meeting <= window_end:
                slots.append(SlotTimes(start, start + meeting, start + block))
                start += block
    return slots
