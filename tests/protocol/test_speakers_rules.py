"""The speakers list rule: band, then order of inscription; agreed swaps; time limits."""

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from convene.protocol.speakers import Inscription, Swap, order_speakers, schedule, swapped_ids

T0 = datetime(2025, 10, 18, 9, 0)


def ins(i, band, minutes, limit=None):
    return Inscription(i, 100 + i, f"State {i}", f"Speaker {i}", band,
                       T0 + timedelta(minutes=minutes), limit)


def ids(order):
    return [i.id for i in order]


def test_band_first_then_inscription_order():
    items = [ins(1, 3, 0), ins(2, 0, 50), ins(3, 3, -10), ins(4, 0, 10), ins(5, 5, -60)]
    assert ids(order_speakers(items)) == [4, 2, 3, 1, 5]


def test_equal_bands_and_equal_times_keep_a_stable_order():
    items = [ins(7, 2, 5), ins(3, 2, 5), ins(5, 2, 5)]
    assert ids(order_speakers(items)) == [3, 5, 7]
    assert ids(order_speakers(list(reversed(items)))) == [3, 5, 7]


def test_an_agreed_swap_exchanges_two_slots_across_bands():
    items = [ins(1, 0, 0), ins(2, 3, 0), ins(3, 3, 5)]
    swaps = [Swap(3, 1, T0)]
    assert ids(order_speakers(items, swaps)) == [3, 2, 1]


def test_swaps_apply_in_the_order_agreed():
    items = [ins(1, 1, 0), ins(2, 1, 1), ins(3, 1, 2)]
    later, earlier = Swap(1, 3, T0 + timedelta(hours=2)), Swap(1, 2, T0)
    # 1<->2 first: [2,1,3]; then 1<->3: [2,3,1]
    assert ids(order_speakers(items, [later, earlier])) == [2, 3, 1]


def test_a_swap_with_a_withdrawn_inscription_lapses():
    items = [ins(1, 1, 0), ins(2, 1, 1)]
    assert ids(order_speakers(items, [Swap(1, 99, T0)])) == [1, 2]


def test_time_limits_and_planned_starts():
    order = order_speakers([ins(1, 0, 0), ins(2, 0, 1, limit=3), ins(3, 0, 2)])
    slots = schedule(order, T0, 7, swapped_ids=swapped_ids([Swap(2, 3, T0)]))
    assert [(s.number, s.minutes) for s in slots] == [(1, 7), (2, 3), (3, 7)]
    assert [s.planned_start for s in slots] == [T0, T0 + timedelta(minutes=7),
                                                T0 + timedelta(minutes=10)]
    assert [s.swapped for s in slots] == [False, True, True]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 8), st.integers(0, 500)), min_size=1, max_size=25,
                unique_by=lambda t: t[1]),
       st.lists(st.tuples(st.integers(0, 24), st.integers(0, 24)), max_size=6))
def test_property_a_swap_only_moves_the_two_delegations(entries, raw_swaps):
    items = [ins(n, band, minutes) for n, (band, minutes) in enumerate(entries)]
    base = order_speakers(items)
    # Without swaps: never a higher band after a lower one.
    assert [i.band for i in base] == sorted(i.band for i in base)
    swaps = [Swap(a, b, T0 + timedelta(minutes=k)) for k, (a, b) in enumerate(raw_swaps)
             if a != b]
    swapped = order_speakers(items, swaps)
    assert sorted(ids(swapped)) == sorted(ids(base))  # nobody lost or added
    touched = {i for s in swaps for i in (s.first_id, s.second_id)}
    for before, after in zip(base, swapped, strict=True):
        if before.id not in touched:
            assert before.id == after.id  # untouched delegations keep their slots
