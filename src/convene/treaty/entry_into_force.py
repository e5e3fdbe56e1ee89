"""When a treaty enters into force, generally and for each party: plain dates, no database.

For the Convention against Cybercrime the parameters (EntryIntoForceRule, read from
data/treaty/convention.json) are:

- Convention art. 65(1): "This Convention shall enter into force on the ninetieth day after
  the date of deposit of the fortieth instrument of ratification, acceptance, approval or
  accession. For the purpose of this paragraph, any instrument deposited by a regional economic
  integration organization shall not be counted as additional to those deposited by member
  States of that organization." (quoted by the depositary, UNTC XVIII-16)
- Convention art. 65(2): for a State or REIO depositing after the fortieth instrument, "the
  thirtieth day after the date of deposit by such State or organization of the relevant
  instrument or on the date this Convention enters into force pursuant to paragraph 1 of this
  article, whichever is later."

"The ninetieth day after the date of deposit" is the deposit date plus 90 days: the day after
the deposit is the first. That is how the Secretary-General counted it for the conventions
with the same clause: UNTOC's fortieth instrument, 1 July 2003 -> in force 29 September 2003;
UNCAC's thirtieth, 15 September 2005 -> in force 14 December 2005 (both tested).

Withdrawals (Convene's reading of depositary practice, to be confirmed by the treaty officers:
a State may withdraw its instrument before the treaty has entered into force for it, see the
Summary of Practice of the Secretary-General as Depositary of Multilateral Treaties,
ST/LEG/7/Rev.1). An instrument withdrawn before the treaty entered into force does not count:
the fortieth instrument is the fortieth of those still deposited when the ninety days have run.
Once the treaty is in force, a party leaving does not undo it: VCLT art. 55 (a
multilateral treaty does not end because the number of parties falls below the number needed
for its entry into force); a party leaves by denunciation (Convention art. 67), which is not
a withdrawal of its instrument.

A REIO's instrument never counts towards the forty (art. 65(1), and a REIO may deposit only
once a member State has, art. 64(3)), but the treaty enters into force for the REIO by the
same dates as for a State.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from convene.treaty.final_clauses import EntryIntoForceRule


@dataclass(frozen=True)
class Deposit:
    """One instrument: who deposited it, when, and whether and when it was withdrawn."""

    party: str
    deposited_on: date
    is_reio: bool = False
    withdrawn_on: date | None = None


@dataclass(frozen=True)
class EntryIntoForce:
    date: date | None  # general entry into force, once determined
    trigger: Deposit | None  # the deposit that made it (the fortieth instrument)
    counted: int  # instruments that count towards the threshold now (withdrawn ones do not)
    still_needed: int  # 0 once the date is determined
    party_dates: dict[str, date] = field(default_factory=dict)  # party -> its own date

    @property
    def determined(self) -> bool:
        return self.date is not None


def counts(rule: EntryIntoForceRule, deposit: Deposit) -> bool:
    """Does this instrument count towards the threshold (art. 65(1), second sentence)?"""
    return rule.reio_counted_in_addition or not deposit.is_reio


def _in_effect_on(deposit: Deposit, day: date) -> bool:
    return deposit.withdrawn_on is None or deposit.withdrawn_on >= day


def general_date(rule: EntryIntoForceRule, deposits: Iterable[Deposit]
                 ) -> tuple[date | None, Deposit | None]:
    """The date of general entry into force and the deposit that triggered it, or (None, None).

    The trigger is the earliest deposit date D such that at least `instruments_required`
    counting instruments deposited on or before D were not withdrawn before D + days_after.
    """
    counting = sorted((d for d in deposits if counts(rule, d)),
                      key=lambda d: (d.deposited_on, d.party))
    delay = timedelta(days=rule.days_after)
    for day in sorted({d.deposited_on for d in counting}):
        in_force_on = day + delay
        alive = [d for d in counting
                 if d.deposited_on <= day and _in_effect_on(d, in_force_on)]
        if len(alive) >= rule.instruments_required:
            # Several instruments may be deposited that day; one of them stands as "the
            # fortieth" (they all take effect on the same date, so which one does not matter).
            return in_force_on, alive[-1]
    return None, None


def party_date(rule: EntryIntoForceRule, deposit: Deposit, general: date | None,
               trigger: Deposit | None) -> date | None:
    """The date the treaty enters into force for the party that made `deposit`."""
    if general is None or trigger is None:
        return None
    if deposit.deposited_on <= trigger.deposited_on:
        # Deposited by the day of the fortieth instrument: in force with everyone (art. 65(1)).
        own = general
    else:
        # Deposited after it: art. 65(2), thirty days after its own deposit, never before
        # general entry into force.
        own = deposit.deposited_on + timedelta(days=rule.later_days_after)
        if rule.later_not_before_general:
            own = max(own, general)
    if deposit.withdrawn_on is not None and deposit.withdrawn_on < own:
        return None  # withdrawn before the treaty took effect for it
    return own


def compute(rule: EntryIntoForceRule, deposits: Iterable[Deposit]) -> EntryIntoForce:
    deposits = list(deposits)
    general, trigger = general_date(rule, deposits)
    counted = sum(1 for d in deposits if counts(rule, d) and d.withdrawn_on is None)
    dates = {}
    for d in deposits:
        own = party_date(rule, d, general, trigger)
        if own is not None:
            dates[d.party] = own
    still_needed = 0 if general else max(rule.instruments_required - counted, 0)
    return EntryIntoForce(general, trigger, counted, still_needed, dates)
