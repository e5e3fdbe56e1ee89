"""The burn-down chart's geometry, for a server-rendered SVG (no script, no inline style).

The template operations/_burndown.svg draws what this computes: the open items per day
(actual), the items on the checklists (scope, so added work shows), and the ideal line from
the opening scope down to zero on the first day of the event.
"""

from dataclasses import dataclass, field
from datetime import date

from convene.operations.readiness import BurnPoint


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass
class BurndownChart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    actual: str = ""  # SVG polyline points
    scope: str = ""
    ideal: tuple[float, float, float, float] | None = None
    today_x: float | None = None
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    last_open: int = 0
    last_total: int = 0
    first_day: date | None = None
    end_day: date | None = None

    @property
    def empty(self) -> bool:
        return not self.actual


def burndown_chart(points: list[BurnPoint], end_day: date, today: date, *, width: int = 640,
                   height: int = 240) -> BurndownChart:
    left, top, right, bottom = 44, 12, width - 12, height - 28
    chart = BurndownChart(width, height, left, top, right, bottom)
    if not points:
        return chart
    first = points[0].day
    end = max(end_day, points[-1].day)
    span = max((end - first).days, 1)
    peak = max(max(p.total for p in points), 1)
    step = _nice_step(peak)
    top_value = -(-peak // step) * step  # round the axis up to a whole step

    def x(day: date) -> float:
        return round(left + (right - left) * (day - first).days / span, 1)

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * value / top_value, 1)

    chart.actual = " ".join(f"{x(p.day)},{y(p.open)}" for p in points)
    chart.scope = " ".join(f"{x(p.day)},{y(p.total)}" for p in points)
    chart.ideal = (x(first), y(points[0].open), x(end), y(0))
    if first <= today <= end:
        chart.today_x = x(today)
    chart.y_ticks = [Tick(y(v), str(v)) for v in range(0, top_value + 1, step)]
    week = max(span // 6, 1)
    chart.x_ticks = [Tick(x(first.fromordinal(first.toordinal() + d)),
                          first.fromordinal(first.toordinal() + d).strftime("%d/%m"))
                     for d in range(0, span + 1, week)]
    chart.last_open, chart.last_total = points[-1].open, points[-1].total
    chart.first_day, chart.end_day = first, end
    return chart


def _nice_step(peak: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if peak / step <= 6:
            return step
    return 1000
