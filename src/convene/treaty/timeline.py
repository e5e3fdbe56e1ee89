"""The status timeline as a chart: cumulative signatures and instruments over time.

Plain geometry for a server-rendered SVG (no script, no inline style: the template draws what
this module computes, and colours come from the app's stylesheet).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 14, 34  # margins for the axes' labels


@dataclass(frozen=True)
class Tick:
    x: float
    label: date


@dataclass(frozen=True)
class YTick:
    y: float
    value: int


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    signatures: str = ""  # SVG path data, a step line
    instruments: str = ""
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[YTick] = field(default_factory=list)
    threshold_y: float | None = None
    threshold: int = 0
    entry_into_force_x: float | None = None
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    plot_top: int = TOP
    plot_bottom: int = HEIGHT - BOTTOM
    empty: bool = True


def _steps(changes: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """Running totals after each day's changes: [(day, total)], one point per day."""
    totals: dict[date, int] = {}
    running = 0
    for day, delta in sorted(changes):
        running += delta
        totals[day] = running
    return sorted(totals.items())


def build(*, signatures: list[tuple[date, int]], instruments: list[tuple[date, int]],
          start: date, end: date, threshold: int = 0,
          entry_into_force: date | None = None) -> Chart:
    """`signatures` and `instruments` are (day, +1 or -1) changes; the chart covers start..end
    (end is stretched to show entry into force when it is later)."""
    chart = Chart(threshold=threshold)
    if entry_into_force and entry_into_force > end:
        end = entry_into_force
    if end <= start:
        end = start + timedelta(days=1)
    sig, ins = _steps(signatures), _steps(instruments)
    chart.empty = not sig and not ins
    top_value = max([threshold, *(v for _, v in sig), *(v for _, v in ins), 1])
    span = (end - start).days
    inner_w = chart.plot_right - chart.plot_left
    inner_h = chart.plot_bottom - chart.plot_top

    def x(day: date) -> float:
        return round(chart.plot_left + inner_w * max(0, (day - start).days) / span, 1)

    def y(value: int) -> float:
        return round(chart.plot_bottom - inner_h * value / top_value, 1)

    def path(points: list[tuple[date, int]]) -> str:
        if not points:
            return ""
        parts = [f"M{x(start)} {y(0)}"]
        for day, value in points:
            parts.append(f"H{x(day)}")
            parts.append(f"V{y(value)}")
        parts.append(f"H{x(end)}")
        return " ".join(parts)

    chart.signatures, chart.instruments = path(sig), path(ins)
    if threshold:
        chart.threshold_y = y(threshold)
    if entry_into_force:
        chart.entry_into_force_x = x(entry_into_force)
    chart.x_ticks = [Tick(x(d), d) for d in _month_ticks(start, end)]
    step = _nice_step(top_value)
    chart.y_ticks = [YTick(y(v), v) for v in range(0, top_value + 1, step)]
    return chart


def _month_ticks(start: date, end: date, most: int = 8) -> list[date]:
    months = []
    day = date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            months.append(day)
        day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    every = max(1, -(-len(months) // most))
    return months[::every]


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if top / step <= 8:
            return step
    return 200
