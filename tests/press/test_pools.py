"""The pool allocation rules as properties: reserved places, tiers, rotation, the seeded lot,
stability when re-run after withdrawals (press/pools.py)."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from convene.press import pools
from convene.press.pools import KEPT, KINDS, RESERVED, WON, Opportunity, Place, Request, Reservation

OUTLETS = [f"o{i}" for i in range(12)]


@st.composite
def scenario(draw):
    outlets = draw(st.lists(st.sampled_from(OUTLETS), min_size=1, max_size=12, unique=True))
    tiers = {o: draw(st.integers(0, 2)) for o in outlets}
    positions = {k: draw(st.integers(0, 5)) for k in KINDS}
    requests = []
    for o in outlets:
        for kind in draw(st.lists(st.sampled_from(KINDS), max_size=3, unique=True)):
            for rank in range(draw(st.integers(1, 3))):
                requests.append(Request(o, kind, f"{o}-{kind}-{rank}", rank))
    before = {o: draw(st.integers(0, 4)) for o in outlets}
    seed = draw(st.text("abcdef0123456789", min_size=4, max_size=12))
    return Opportunity("signing", positions), requests, tiers, before, seed


def _won(allocation, kind):
    return Counter(p.outlet for p in allocation.places if p.kind == kind)


@given(scenario())
@settings(max_examples=300, deadline=None)
def test_never_more_places_than_positions_and_nobody_placed_twice(case):
    opp, requests, tiers, before, seed = case
    result = pools.allocate(opp, requests, tiers=tiers, seed=seed, places_before=before)
    for kind in KINDS:
        assert len(result.holders(kind)) <= opp.positions[kind]
        asked = sum(1 for r in requests if r.kind == kind)
        # Places are not left empty while someone asked for them.
        assert len(result.holders(kind)) == min(opp.positions[kind], asked)
    seated = [(p.kind, p.journalist) for p in result.places]
    assert len(seated) == len(set(seated))


@given(scenario())
@settings(max_examples=300, deadline=None)
def test_rotation_no_second_place_before_every_requester_has_a_first(case):
    opp, requests, tiers, before, seed = case
    result = pools.allocate(opp, requests, tiers=tiers, seed=seed, places_before=before)
    for kind in KINDS:
        won = _won(result, kind)
        requesters = {r.outlet for r in requests if r.kind == kind}
        if any(n >= 2 for n in won.values()):
            assert all(won[o] >= 1 for o in requesters)


@given(scenario())
@settings(max_examples=300, deadline=None)
def test_a_higher_tier_gets_its_first_place_before_a_lower_tier(case):
    opp, requests, tiers, before, seed = case
    result = pools.allocate(opp, requests, tiers=tiers, seed=seed, places_before=before)
    for kind in KINDS:
        won = _won(result, kind)
        requesters = {r.outlet for r in requests if r.kind == kind}
        for loser in (o for o in requesters if won[o] == 0):
            # Nobody of a lower tier, and nobody of the same tier with more places so far,
            # holds a first place that the loser was refused.
            for winner in (o for o in requesters if won[o] >= 1):
                assert (tiers[winner], before[winner]) <= (tiers[loser], before[loser])


@given(scenario())
@settings(max_examples=200, deadline=None)
def test_ties_are_broken_by_the_published_lot(case):
    opp, requests, tiers, before, seed = case
    result = pools.allocate(opp, requests, tiers=tiers, seed=seed, places_before=before)
    for kind in KINDS:
        won = _won(result, kind)
        requesters = {r.outlet for r in requests if r.kind == kind}
        for loser in (o for o in requesters if won[o] == 0):
            for winner in (o for o in requesters if won[o] >= 1):
                if (tiers[winner], before[winner]) == (tiers[loser], before[loser]):
                    assert pools.lot(seed, opp.id, winner) < pools.lot(seed, opp.id, loser)
    for outlet, why in result.explanations.items():
        assert why.lot == pools.lot(seed, opp.id, outlet) and why.seed == seed
        assert why.tier == tiers[outlet] and why.places_before == before[outlet]


@given(scenario(), st.randoms(use_true_random=False))
@settings(max_examples=200, deadline=None)
def test_the_order_of_the_requests_does_not_matter(case, rnd):
    opp, requests, tiers, before, seed = case
    shuffled = list(requests)
    rnd.shuffle(shuffled)
    a = pools.allocate(opp, requests, tiers=tiers, seed=seed, places_before=before)
    b = pools.allocate(opp, shuffled, tiers=tiers, seed=seed, places_before=before)
    assert sorted(a.places, key=repr) == sorted(b.places, key=repr)


@given(scenario(), st.data())
@settings(max_examples=300, deadline=None)
def test_reserved_places_come_first(case, data):
    opp, requests, tiers, before, seed = case
    kind = data.draw(st.sampled_from(KINDS))
    reserved = [Reservation("host-tv", kind, "host-1", "host broadcaster")]
    result = pools.allocate(opp, requests, tiers=tiers, seed=seed, places_before=before,
                            reservations=reserved)
    held = [p for p in result.places if p.basis == RESERVED]
    if opp.positions[kind] >= 1:
        assert held == [Place("host-tv", kind, "host-1", RESERVED, "host broadcaster")]
    else:
        assert held == []
    assert len(result.holders(kind)) <= opp.positions[kind]


@given(scenario(), st.data())
@settings(max_examples=300, deadline=None)
def test_a_rerun_after_withdrawals_keeps_the_published_places(case, data):
    opp, requests, tiers, before, seed = case
    first = pools.allocate(opp, requests, tiers=tiers, seed=seed, places_before=before)
    if not first.places:
        return
    leaving = data.draw(st.lists(st.sampled_from(first.places), max_size=3, unique=True))
    withdrawn = {(p.outlet, p.journalist) for p in leaving}
    second = pools.allocate(opp, requests, tiers=tiers, seed=seed, places_before=before,
                            published=first.places, withdrawn=withdrawn)
    stayed = {(p.kind, p.journalist) for p in first.places
              if (p.outlet, p.journalist) not in withdrawn}
    assert stayed <= {(p.kind, p.journalist) for p in second.places}
    assert all(p.basis == KEPT for p in second.places if (p.kind, p.journalist) in stayed)
    assert not any((p.outlet, p.journalist) in withdrawn for p in second.places)
    # Freed places are filled again when somebody else asked.
    for kind in KINDS:
        asked = sum(1 for r in requests if r.kind == kind and (r.outlet, r.journalist)
                    not in withdrawn)
        assert len(second.holders(kind)) == min(opp.positions[kind], asked)


def test_a_fresh_draw_on_the_coordinators_word_may_move_published_places():
    opp = Opportunity("spray", {"photo": 1})
    requests = [Request("a", "photo", "a1"), Request("b", "photo", "b1")]
    published = [Place("b", "photo", "b1", WON)]
    kept = pools.allocate(opp, requests, tiers={}, seed="s", published=published)
    assert [p.outlet for p in kept.places] == ["b"]
    fresh = pools.allocate(opp, requests, tiers={}, seed="s", published=published,
                           keep_published=False)
    winner = min(("a", "b"), key=lambda o: pools.lot("s", "spray", o))
    assert [p.outlet for p in fresh.places] == [winner]


def test_the_lot_is_sha256_of_the_seed_the_opportunity_and_the_outlet():
    import hashlib

    assert pools.lot("2025-10-25", "7", "AFP") == hashlib.sha256(b"2025-10-25|7|AFP").hexdigest()


def test_an_outlet_is_told_why_it_missed_a_place():
    opp = Opportunity("signing", {"photo": 1, "tv": 0})
    requests = [Request("AFP", "photo", "p1"), Request("VNA", "photo", "p2"),
                Request("VNA", "tv", "t1")]
    result = pools.allocate(opp, requests, tiers={"AFP": 0, "VNA": 1}, seed="x")
    assert result.explanations["AFP"].won == ["photo"]
    vna = result.explanations["VNA"]
    assert vna.missed == ["photo", "tv"] and vna.tier == 1
    assert any("no tv position" in r for r in vna.reasons)


def test_rotation_over_a_series_spreads_places():
    opps = [Opportunity(str(i), {"photo": 1}) for i in range(4)]
    requests = {o.id: [Request(x, "photo", f"{x}-1") for x in "abcd"] for o in opps}
    series = pools.allocate_series(opps, requests, tiers={}, seed="seed")
    assert sorted(a.places[0].outlet for a in series) == ["a", "b", "c", "d"]


def test_gini():
    assert pools.gini([1, 1, 1]) == 0
    assert round(pools.gini([0, 0, 0, 4]), 3) == 0.75
