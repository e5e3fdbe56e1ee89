"""The plain rules: dependencies and cycles, blocked completion, risks, critical path, burn-down,
and when an issue escalates — all with explicit times, no database."""

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from convene.operations import escalation, readiness
from convene.operations.readiness import DONE, IN_PROGRESS, TO_DO, Item

NOW = datetime(2025, 10, 15, 2, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def items(*rows) -> dict[int, Item]:
    return {r.id: r for r in rows}


def it(i, status=TO_DO, due=5, effort=1, deps=()) -> Item:
    return Item(i, f"item {i}", status, NOW + due * DAY, effort * DAY, tuple(deps), "TF")


# --- Cycles ---------------------------------------------------------------------------------

def test_a_dependency_on_itself_is_a_cycle():
    assert readiness.dependency_cycle({}, 1, 1) == [1, 1]


def test_closing_a_chain_is_refused_with_the_whole_chain():
    graph = {1: [2], 2: [3]}  # 1 waits on 2, 2 waits on 3
    assert readiness.dependency_cycle(graph, 3, 1) == [3, 1, 2, 3]
    assert readiness.dependency_cycle(graph, 1, 3) is None  # a shortcut is no cycle
    assert readiness.dependency_cycle(graph, 4, 1) is None


def _reachable(graph, start, target) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    return False


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=40))
def test_adding_edges_through_the_rule_never_makes_a_cycle(edges):
    """Whatever order people add dependencies in, refusing exactly those the rule names keeps
    the graph acyclic, and the rule refuses only edges that would really close a cycle."""
    graph: dict[int, list[int]] = {}
    for src, dst in edges:
        cycle = readiness.dependency_cycle(graph, src, dst)
        assert (cycle is not None) == _reachable(graph, dst, src)
        if cycle:
            assert cycle[0] == cycle[-1] == src and cycle[1] == dst
            for a, b in pairwise(cycle):  # every step of the named cycle is real
                assert b in graph.get(a, []) or (a, b) == (src, dst)
        else:
            graph.setdefault(src, []).append(dst)
    assert all(not _reachable(graph, d, s) for s, ds in graph.items() for d in ds)


# --- Blocked completion -----------------------------------------------------------------------

def test_what_blocks_completion_is_every_open_dependency():
    graph = items(it(1, deps=[2, 3, 4]), it(2, DONE), it(3, IN_PROGRESS), it(4))
    assert [i.id for i in readiness.open_dependencies(graph[1], graph)] == [3, 4]
    assert readiness.open_dependencies(graph[2], graph) == []


def test_reopening_is_blocked_by_done_dependents():
    graph = items(it(1, DONE, deps=[2]), it(2, DONE), it(3, TO_DO, deps=[2]))
    assert [i.id for i in readiness.done_dependents(2, graph)] == [1]
    assert readiness.done_dependents(3, graph) == []


# --- Risks and critical path ----------------------------------------------------------------

def test_overdue_and_at_risk():
    graph = items(
        it(1, due=-1),                              # overdue
        it(2, IN_PROGRESS, due=3, deps=[1]),        # waits on an overdue item
        it(3, due=1.5),                             # due in 36 h, not started
        it(4, IN_PROGRESS, due=1.5),                # due soon but started: fine
        it(5, due=4, effort=2, deps=[6]),           # chain of 3 + 2 days ends after day 4
        it(6, due=3, effort=3),
        it(7, DONE, due=-3),                        # done: neither
    )
    assert [i for i in graph if readiness.is_overdue(graph[i], NOW)] == [1]
    found = {r.item.id: r.reasons for r in readiness.risks(graph, NOW)}
    assert found == {2: ("waits_on_overdue",), 3: ("not_started",),
                     5: ("late_chain",)}


def test_earliest_finish_counts_work_in_progress_as_half_done():
    graph = items(it(1, IN_PROGRESS, effort=4), it(2, effort=1, deps=[1]))
    finish = readiness.earliest_finishes(graph, NOW)
    assert finish == {1: NOW + 2 * DAY, 2: NOW + 3 * DAY}


def test_critical_path_is_the_longest_chain_of_open_items():
    graph = items(
        it(1, effort=2), it(2, effort=3, deps=[1]), it(3, effort=1, deps=[2]),  # 6 days
        it(4, effort=4), it(5, effort=1, deps=[4]),                             # 5 days
        it(6, DONE, effort=9), it(7, effort=1, deps=[6]),  # done work does not count
    )
    path = readiness.critical_path(graph, NOW)
    assert [i.id for i in path.items] == [1, 2, 3]
    assert path.effort == 6 * DAY
    assert path.finish == NOW + 6 * DAY
    assert path.slack == -1 * DAY  # item 3 is due on day 5


def test_between_equally_long_chains_the_one_with_less_slack_is_critical():
    graph = items(it(1, due=10, effort=2), it(2, due=3, effort=2))
    assert [i.id for i in readiness.critical_path(graph, NOW).items] == [2]


def test_no_open_item_no_critical_path():
    assert readiness.critical_path(items(it(1, DONE)), NOW).items == []


# --- Burn-down ------------------------------------------------------------------------------

def test_burndown_counts_open_and_added_items_per_day():
    d = lambda n: datetime(2025, 10, n, 3, tzinfo=UTC)  # noqa: E731
    spans = [(d(1), d(2)), (d(1), None), (d(3), d(3)), (d(1), None)]
    points = readiness.burndown(spans, date(2025, 10, 1), date(2025, 10, 4), lambda x: x.date())
    assert [(p.day.day, p.open, p.total) for p in points] == [
        (1, 3, 3), (2, 2, 3), (3, 2, 4), (4, 2, 4)]


# --- Escalation timing ----------------------------------------------------------------------

def state(**kw) -> escalation.IssueState:
    base = {"severity": escalation.MEDIUM, "reported_at": NOW,
            "time_limit": timedelta(hours=8), "authority_ceiling": escalation.HIGH}
    return escalation.IssueState(**{**base, **kw})


def test_open_past_its_time_limit_escalates_strictly_after_the_limit():
    s = state()
    assert escalation.escalation_reason(s, NOW + timedelta(hours=7, minutes=59)) is None
    assert escalation.escalation_reason(s, NOW + timedelta(hours=8)) is None
    assert escalation.escalation_reason(s, NOW + timedelta(hours=8, seconds=1)) == "time_limit"
    assert escalation.escalates_at(s) == NOW + timedelta(hours=8)


def test_beyond_authority_escalates_at_once():
    assert escalation.escalation_reason(state(beyond_authority=True), NOW) == "beyond_authority"
    # More severe than the task force settles alone: also beyond its authority.
    assert escalation.escalation_reason(
        state(severity=escalation.CRITICAL, authority_ceiling=escalation.HIGH),
        NOW) == "beyond_authority"
    assert escalation.escalates_at(state(beyond_authority=True)) is None


def test_resolved_or_already_escalated_issues_never_escalate():
    later = NOW + timedelta(days=3)
    assert escalation.escalation_reason(state(resolved=True), later) is None
    assert escalation.escalation_reason(state(escalated=True), later) is None
    assert escalation.escalation_reason(state(resolved=True, beyond_authority=True), NOW) is None


def test_default_time_limits_shrink_with_severity():
    limits = [escalation.default_time_limit(s) for s in ("low", "medium", "high", "critical")]
    assert limits == sorted(limits, reverse=True)
    assert escalation.default_time_limit("critical") == timedelta(minutes=30)


def test_long_chains_and_stray_cycles_do_not_break_the_dashboard():
    chain = items(*(it(i, due=i, deps=[i - 1] if i else []) for i in range(3000)))
    path = readiness.critical_path(chain, NOW)
    assert len(path.items) == 3000 and path.effort == 3000 * DAY
    # A cycle can only come from outside the services (a hand-edited database); the figures
    # still come out instead of looping.
    cyclic = items(it(1, deps=[2]), it(2, deps=[1]), it(3, deps=[1]))
    assert set(readiness.earliest_finishes(cyclic, NOW)) == {1, 2, 3}
    assert readiness.critical_path(cyclic, NOW).items
