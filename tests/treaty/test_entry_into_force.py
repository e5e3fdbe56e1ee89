"""Entry into force, generally and for each party (Convention art. 65), as plain dates.

The rule is the Convention's, read from its data file: 40 instruments, the 90th day after the
fortieth; 30 days after a later deposit but not before general entry into force; a REIO's
instrument not counted in addition to its member States'.
"""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convene.treaty.entry_into_force import Deposit, compute, general_date, party_date


@pytest.fixture(scope="module")
def rule(clauses):
    return clauses.entry_into_force


def states(n, last: date, *, first: date | None = None, prefix="S"):
    """n deposits by States, one a day, the last one on `last`."""
    first = first or last - timedelta(days=n)
    deposits = [Deposit(f"{prefix}{i:02}", first + timedelta(days=i)) for i in range(n - 1)]
    return [*deposits, Deposit(f"{prefix}{n - 1:02}", last)]


def test_the_rule_read_from_the_data_file_is_the_conventions(rule):
    assert (rule.article, rule.instruments_required, rule.days_after) == ("65(1)", 40, 90)
    assert (rule.later_article, rule.later_days_after) == ("65(2)", 30)
    assert rule.reio_counted_in_addition is False and rule.later_not_before_general


@pytest.mark.parametrize("fortieth, in_force", [
    (date(2026, 1, 31), date(2026, 5, 1)),    # across the ends of Feb, Mar, Apr
    (date(2026, 10, 3), date(2027, 1, 1)),    # across the year end, to New Year's Day
    (date(2026, 12, 31), date(2027, 3, 31)),  # from New Year's Eve
    (date(2027, 12, 1), date(2028, 2, 29)),   # into a leap day
])
def test_ninetieth_day_after_the_fortieth_instrument(rule, fortieth, in_force):
    result = compute(rule, states(40, fortieth))
    assert result.date == in_force
    assert result.trigger.deposited_on == fortieth and result.still_needed == 0


@pytest.mark.parametrize("required, fortieth, in_force", [
    # The Secretary-General's own count for the conventions with the same clause:
    (40, date(2003, 7, 1), date(2003, 9, 29)),     # UNTOC, in force 29 September 2003
    (30, date(2005, 9, 15), date(2005, 12, 14)),   # UNCAC, in force 14 December 2005
])
def test_counting_matches_the_depositarys_practice(rule, required, fortieth, in_force):
    deposits = states(required, fortieth, first=date(2001, 1, 1))
    assert general_date(replace(rule, instruments_required=required), deposits)[0] == in_force


def test_thirty_nine_instruments_are_not_enough(rule):
    result = compute(rule, states(39, date(2026, 6, 1)))
    assert result.date is None and result.trigger is None
    assert (result.counted, result.still_needed) == (39, 1)
    assert result.party_dates == {}


def test_a_reio_instrument_is_not_counted_in_addition(rule):
    deposits = [*states(39, date(2026, 6, 1)), Deposit("EU", date(2026, 6, 2), is_reio=True)]
    result = compute(rule, deposits)
    assert result.date is None and (result.counted, result.still_needed) == (39, 1)
    # The fortieth State's instrument triggers it; the EU, deposited before, joins that day.
    result = compute(rule, [*deposits, Deposit("S99", date(2026, 6, 10))])
    assert result.date == date(2026, 9, 8) and result.trigger.party == "S99"
    assert result.party_dates["EU"] == date(2026, 9, 8)


def test_a_reio_depositing_later_follows_the_later_rule(rule):
    deposits = [*states(40, date(2026, 6, 1)), Deposit("EU", date(2026, 11, 20), is_reio=True)]
    result = compute(rule, deposits)
    assert result.date == date(2026, 8, 30)
    assert result.party_dates["EU"] == date(2026, 12, 20)  # 30 days after its own deposit


def test_late_depositors(rule):
    general = date(2026, 8, 30)  # 1 June 2026 + 90 days
    late = [
        Deposit("SAME_DAY", date(2026, 6, 1)),      # with the fortieth: general date
        Deposit("SOON", date(2026, 6, 11)),         # 11 Jun + 30 = 11 Jul, before general
        Deposit("EDGE", date(2026, 7, 31)),         # + 30 = 30 Aug, the general date itself
        Deposit("AFTER", date(2026, 8, 1)),         # + 30 = 31 Aug, one day after general
        Deposit("YEAR_END", date(2026, 12, 15)),    # + 30 crosses into 2027
    ]
    result = compute(rule, [*states(40, date(2026, 6, 1)), *late])
    assert result.date == general
    assert result.party_dates["SAME_DAY"] == general
    assert result.party_dates["SOON"] == general  # never before general entry into force
    assert result.party_dates["EDGE"] == general
    assert result.party_dates["AFTER"] == date(2026, 8, 31)
    assert result.party_dates["YEAR_END"] == date(2027, 1, 14)
    # Every party that deposited by the day of the fortieth instrument shares the date.
    assert result.party_dates["S00"] == general


def test_a_withdrawn_instrument_does_not_count(rule):
    deposits = states(40, date(2026, 6, 1))
    deposits[0] = replace(deposits[0], withdrawn_on=date(2026, 5, 1))
    result = compute(rule, deposits)
    assert result.date is None and (result.counted, result.still_needed) == (39, 1)
    result = compute(rule, [*deposits, Deposit("NEW", date(2026, 7, 15))])
    assert result.trigger.party == "NEW" and result.date == date(2026, 10, 13)
    assert "S00" not in result.party_dates


def test_a_withdrawal_during_the_ninety_days_postpones_entry_into_force(rule):
    deposits = [*states(40, date(2026, 6, 1)), Deposit("NEXT", date(2026, 7, 1))]
    assert compute(rule, deposits).date == date(2026, 8, 30)
    deposits[3] = replace(deposits[3], withdrawn_on=date(2026, 8, 1))  # before 30 August
    result = compute(rule, deposits)
    assert result.date == date(2026, 9, 29)  # 90 days after the instrument now the fortieth
    assert result.trigger.party == "NEXT"
    assert "S03" not in result.party_dates
    assert result.party_dates["NEXT"] == date(2026, 9, 29)


def test_leaving_after_entry_into_force_does_not_undo_it(rule):
    """VCLT art. 55: the treaty stays in force though the parties fall below forty."""
    deposits = states(40, date(2026, 6, 1))
    deposits[5] = replace(deposits[5], withdrawn_on=date(2026, 8, 30))  # on the day itself
    deposits[6] = replace(deposits[6], withdrawn_on=date(2027, 2, 1))
    result = compute(rule, deposits)
    assert result.date == date(2026, 8, 30)
    assert result.party_dates["S05"] == result.party_dates["S06"] == date(2026, 8, 30)


def test_a_late_depositor_that_withdraws_before_its_own_date_has_none(rule):
    deposits = [*states(40, date(2026, 6, 1)),
                Deposit("LATE", date(2026, 10, 1), withdrawn_on=date(2026, 10, 20))]
    result = compute(rule, deposits)
    assert "LATE" not in result.party_dates
    assert party_date(rule, deposits[-1], result.date, result.trigger) is None


def test_several_instruments_on_the_day_of_the_fortieth(rule):
    deposits = [*states(38, date(2026, 2, 1)), Deposit("X", date(2026, 3, 2)),
                Deposit("Y", date(2026, 3, 2)), Deposit("Z", date(2026, 3, 2))]
    result = compute(rule, deposits)
    assert result.date == date(2026, 5, 31)
    assert {result.party_dates[p] for p in "XYZ"} == {date(2026, 5, 31)}


# --- Properties -----------------------------------------------------------------------------

DAY0 = date(2025, 10, 25)


@st.composite
def deposit_sets(draw):
    n = draw(st.integers(min_value=0, max_value=70))
    deposits = []
    for i in range(n):
        day = DAY0 + timedelta(days=draw(st.integers(0, 900)))
        withdrawn = None
        if draw(st.integers(0, 9)) == 0:
            withdrawn = day + timedelta(days=draw(st.integers(0, 400)))
        deposits.append(Deposit(f"P{i}", day, is_reio=draw(st.integers(0, 14)) == 0,
                                withdrawn_on=withdrawn))
    return deposits


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deposit_sets())
def test_the_date_never_precedes_the_deposit_that_triggers_it(rule, deposits):
    result = compute(rule, deposits)
    if result.date is None:
        assert result.trigger is None and result.party_dates == {}
        return
    trigger = result.trigger
    assert result.date > trigger.deposited_on
    assert result.date == trigger.deposited_on + timedelta(days=rule.days_after)
    assert not trigger.is_reio  # a REIO's instrument never makes the fortieth
    for d in deposits:
        own = result.party_dates.get(d.party)
        if own is not None:
            assert own >= d.deposited_on and own >= result.date
    # At the date, at least forty counting instruments deposited by the trigger were in effect.
    alive = [d for d in deposits if not d.is_reio and d.deposited_on <= trigger.deposited_on
             and (d.withdrawn_on is None or d.withdrawn_on >= result.date)]
    assert len(alive) >= rule.instruments_required


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deposit_sets(), st.integers(0, 900))
def test_a_reio_instrument_never_moves_the_date(rule, deposits, offset):
    before = compute(rule, deposits).date
    after = compute(rule, [*deposits, Deposit("REIO", DAY0 + timedelta(days=offset),
                                                is_reio=True)]).date
    assert before == after
