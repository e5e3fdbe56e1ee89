"""Readiness rules on plain data: dependencies, what blocks completion, risks, the critical path.

No Django here: the functions take `Item` dataclasses and a `now`, so each rule is tested with
explicit times. The invariant the services keep with them: an item is done only when every
item it depends on is done (so the dependency graph never holds a cycle, which would make
every item on it impossible to finish).
"""

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

TO_DO, IN_PROGRESS, DONE = "todo", "in_progress", "done"

# An item due this soon and not even started is at risk: two working days is the shortest
# notice on which a unit can still find people and material.
NOT_STARTED_HORIZON = timedelta(days=2)


@dataclass(frozen=True)
class Item:
    id: int
    title: str
    status: str
    deadline: datetime
    effort: timedelta = timedelta(days=1)
    depends_on: tuple[int, ...] = ()
    task_force: str = ""

    @property
    def is_open(self) -> bool:
        return self.status != DONE

    @property
    def remaining(self) -> timedelta:
        """Work left: an item in progress counts as half done (people are not asked for a
        percentage they would only guess)."""
        if self.status == DONE:
            return timedelta(0)
        return self.effort / 2 if self.status == IN_PROGRESS else self.effort


# --- Dependencies -------------------------------------------------------------------------

def dependency_cycle(depends_on: Mapping[int, Iterable[int]], item: int,
                     new_dependency: int) -> list[int] | None:
    """The cycle that `item` depending on `new_dependency` would close, else None.

    The cycle is returned as a path item → new_dependency → … → item, so a person can be told
    which chain of items would wait on itself.
    """
    if item == new_dependency:
        return [item, item]
    # Depth-first search from new_dependency along "depends on" edges, looking for item.
    parent: dict[int, int] = {new_dependency: item}
    stack = [new_dependency]
    while stack:
        current = stack.pop()
        for nxt in depends_on.get(current, ()):
            if nxt in parent:
                continue
            parent[nxt] = current
            if nxt == item:
                path = [item]
                node = current
                while node != item:
                    path.append(node)
                    node = parent[node]
                return [item, *reversed(path[1:]), item]
            stack.append(nxt)
    return None


def open_dependencies(item: Item, items: Mapping[int, Item]) -> list[Item]:
    """What `item` still waits on: its dependencies that are not done (they block completion)."""
    return [items[d] for d in item.depends_on if d in items and items[d].is_open]


def done_dependents(item_id: int, items: Mapping[int, Item]) -> list[Item]:
    """Done items that depend on `item_id`: reopening it would leave them done on an open item."""
    return [i for i in items.values() if item_id in i.depends_on and not i.is_open]


# --- Risks --------------------------------------------------------------------------------

def _open_order(items: Mapping[int, Item]) -> tuple[list[int], dict[int, list[int]]]:
    """The open items in an order where each comes after the open items it waits on, and
    those open dependencies. Iterative (a chain of thousands of items is fine); should a
    cycle ever reach the data by another way than the services, its items come last and the
    edges that close it are ignored rather than looping."""
    open_ids = sorted(i for i, it in items.items() if it.is_open)
    deps = {i: [d for d in items[i].depends_on if d in items and items[d].is_open]
            for i in open_ids}
    waiting = {i: len(ds) for i, ds in deps.items()}
    dependents: dict[int, list[int]] = {}
    for i, ds in deps.items():
        for d in ds:
            dependents.setdefault(d, []).append(i)
    ready = deque(i for i in open_ids if waiting[i] == 0)
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for nxt in dependents.get(node, ()):
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                ready.append(nxt)
    if len(order) < len(open_ids):
        placed = set(order)
        order += [i for i in open_ids if i not in placed]
    return order, deps


def earliest_finishes(items: Mapping[int, Item], now: datetime) -> dict[int, datetime]:
    """When each open item can be finished at the earliest, if work on it starts once every
    open item it depends on is finished (and not before now): the forward pass of the critical
    path method, with done items counting as finished already."""
    order, deps = _open_order(items)
    finish: dict[int, datetime] = {}
    for i in order:
        start = max([now, *(finish[d] for d in deps[i] if d in finish)])
        finish[i] = start + items[i].remaining
    return finish


@dataclass(frozen=True)
class Risk:
    item: Item
    reasons: tuple[str, ...]  # codes: "late_chain", "waits_on_overdue", "not_started"


def is_overdue(item: Item, now: datetime) -> bool:
    return item.is_open and item.deadline < now


def risks(items: Mapping[int, Item], now: datetime,
          finishes: Mapping[int, datetime] | None = None) -> list[Risk]:
    """Open items not yet overdue that will probably miss their deadline, with the reasons:
    the work left along the chain it waits on ends after its deadline ("late_chain"), it waits
    on an overdue item ("waits_on_overdue"), or it is due soon and not started."""
    finishes = finishes if finishes is not None else earliest_finishes(items, now)
    found = []
    for item in sorted(items.values(), key=lambda i: (i.deadline, i.id)):
        if not item.is_open or is_overdue(item, now):
            continue
        reasons = []
        if finishes[item.id] > item.deadline:
            reasons.append("late_chain")
        if any(is_overdue(d, now) for d in open_dependencies(item, items)):
            reasons.append("waits_on_overdue")
        if item.status == TO_DO and item.deadline - now <= NOT_STARTED_HORIZON:
            reasons.append("not_started")
        if reasons:
            found.append(Risk(item, tuple(reasons)))
    return found


# --- Critical path ------------------------------------------------------------------------

@dataclass(frozen=True)
class CriticalPath:
    items: list[Item] = field(default_factory=list)  # first to do … last
    effort: timedelta = timedelta(0)  # work left along the chain
    finish: datetime | None = None  # earliest finish of the last item
    slack: timedelta | None = None  # its deadline minus that finish; negative: late


def critical_path(items: Mapping[int, Item], now: datetime) -> CriticalPath:
    """The longest chain of open items, each waiting on the one before: the work that decides
    whether the preparations finish on time. Longest by days of work left; between equally long
    chains, the one with the least slack (deadline of its last item minus its earliest
    finish), then the earliest deadline."""
    open_items = {i: it for i, it in items.items() if it.is_open}
    if not open_items:
        return CriticalPath()
    finishes = earliest_finishes(items, now)
    order, deps = _open_order(items)
    length: dict[int, timedelta] = {}
    before: dict[int, int | None] = {}
    for i in order:
        best, best_dep = timedelta(0), None
        # Between equally long chains before it, the one ending with the earliest deadline.
        for dep in sorted((open_items[d] for d in deps[i] if d in length),
                          key=lambda d: (d.deadline, d.id)):
            if length[dep.id] > best:
                best, best_dep = length[dep.id], dep.id
        length[i] = best + open_items[i].remaining
        before[i] = best_dep
    end = min(open_items.values(), key=lambda it: (
        -length[it.id], it.deadline - finishes[it.id], it.deadline, it.id))
    chain, node = [], end.id
    while node is not None:
        chain.append(open_items[node])
        node = before[node]
    chain.reverse()
    return CriticalPath(items=chain, effort=length[end.id], finish=finishes[end.id],
                        slack=end.deadline - finishes[end.id])


# --- Burn-down ----------------------------------------------------------------------------

@dataclass(frozen=True)
class BurnPoint:
    day: date
    open: int  # items on the checklists and not done at the end of the day
    total: int  # items on the checklists at the end of the day


def burndown(spans: Iterable[tuple[datetime, datetime | None]], first: date, last: date,
             to_date) -> list[BurnPoint]:
    """Open and total items at the end of each day from `first` to `last`, from when each item
    was created and completed (`spans`). `to_date` turns a datetime into the event's local
    date. Items added later raise the line: a burn-down that hides new work lies."""
    days = [(to_date(c), to_date(d) if d else None) for c, d in spans]
    points = []
    day = first
    while day <= last:
        total = sum(1 for c, _ in days if c <= day)
        done = sum(1 for c, d in days if c <= day and d is not None and d <= day)
        points.append(BurnPoint(day, total - done, total))
        day += timedelta(days=1)
    return points
