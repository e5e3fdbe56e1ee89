"""What the depositary may accept, as plain rules: each refusal names the rule and its source."""

from datetime import date

import pytest

from convene.treaty import depositary_rules as rules
from convene.treaty.depositary_rules import Participant, Refused

TODAY = date(2026, 11, 22)
ADOPTED = date(2024, 12, 24)
NY = "United Nations Headquarters, New York"


def state(name="Viet Nam", **kw):
    return Participant(name, "state", **kw)


def eu(**kw):
    return Participant("European Union", "reio", **kw)


def sign(clauses, p=None, *, on=date(2025, 10, 25), place="Hanoi", capacity="head_of_state",
         checked=False, members=()):
    return rules.check_signature(clauses, p or state(), signed_on=on, place=place,
                                 capacity=capacity, full_powers_checked=checked, today=TODAY,
                                 member_signatures=members)


def refusal(fn, *args, **kw) -> Refused:
    with pytest.raises(Refused) as exc:
        fn(*args, **kw)
    return exc.value


# --- Signature ------------------------------------------------------------------------------

def test_signatures_in_hanoi_then_in_new_york(clauses):
    assert sign(clauses, on=date(2025, 10, 26)) == "Hanoi"
    assert sign(clauses, on=date(2026, 3, 10), place="New York") == NY
    assert sign(clauses, on=date(2026, 11, 1), place=NY) == NY


def test_a_signature_in_the_wrong_place_is_refused_with_the_right_one(clauses):
    r = refusal(sign, clauses, on=date(2025, 10, 27), place="Hanoi")
    assert r.field == "place"
    assert "27 October 2025" in r.message and NY in r.message and "art. 64" in r.message
    r = refusal(sign, clauses, on=date(2025, 10, 25), place=NY)
    assert r.field == "place" and "at Hanoi" in r.message


def test_a_signature_outside_the_period_is_refused(clauses):
    r = refusal(sign, clauses, on=date(2025, 10, 24))
    assert r.field == "signed_on" and "not yet open" in r.message and "25 October 2025" in \
        r.message
    with pytest.raises(Refused) as exc:  # after closing (the clock is later still)
        rules.check_signature(clauses, state(), signed_on=date(2027, 1, 4), place=NY,
                              capacity="head_of_state", full_powers_checked=False,
                              today=date(2027, 2, 1))
    assert "until 31 December 2026" in exc.value.message and "accession" in exc.value.message


def test_a_signature_in_the_future_is_refused(clauses):
    r = refusal(sign, clauses, on=date(2026, 12, 1), place=NY)
    assert r.field == "signed_on" and "future" in r.message


def test_one_signature_and_none_after_accession(clauses):
    r = refusal(sign, clauses, state(signed_on=date(2025, 10, 25)), on=date(2025, 10, 26))
    assert "signed the treaty on 25 October 2025" in r.message
    acceded = state(instrument_kind="accession", deposited_on=date(2026, 2, 10))
    assert "already bound" in refusal(sign, clauses, acceded, on=date(2026, 3, 1),
                                      place=NY).message


@pytest.mark.parametrize("capacity", ["head_of_state", "head_of_government", "foreign_minister"])
def test_no_full_powers_for_the_three_office_holders(clauses, capacity):
    """VCLT art. 7(2)(a)."""
    assert not rules.full_powers_required(capacity, "state")
    assert sign(clauses, capacity=capacity, checked=False) == "Hanoi"


def test_anyone_else_needs_checked_full_powers(clauses):
    r = refusal(sign, clauses, capacity="other", checked=False)
    assert r.field == "full_powers_checked" and "art. 7(2)(a)" in r.message
    assert sign(clauses, capacity="other", checked=True) == "Hanoi"
    assert rules.capacity_for_rank("minister") == "other"
    assert rules.capacity_for_rank("foreign_minister") == "foreign_minister"


def test_a_reio_signs_after_a_member_state_and_with_full_powers(clauses):
    r = refusal(sign, clauses, eu(), checked=True, members=[])
    assert r.field == "entity" and "art. 64(2)" in r.message
    r = refusal(sign, clauses, eu(), on=date(2025, 10, 25), checked=True,
                members=[date(2025, 10, 26)])  # the member signed the next day
    assert "no member State of European Union had signed by 25 October 2025" in r.message
    r = refusal(sign, clauses, eu(), capacity="head_of_state", members=[date(2025, 10, 25)])
    assert r.field == "full_powers_checked" and "1986" in r.message
    assert sign(clauses, eu(), checked=True, members=[date(2025, 10, 25)]) == "Hanoi"


def test_only_states_and_reios_sign(clauses):
    r = refusal(sign, clauses, Participant("UNODC", "other"))
    assert r.field == "entity" and "neither" in r.message


# --- Instruments ----------------------------------------------------------------------------

def deposit(clauses, p, kind="ratification", on=date(2026, 3, 2), members=()):
    return rules.check_instrument(clauses, p, kind=kind, deposited_on=on, today=TODAY,
                                  concluded_on=ADOPTED, member_deposits=members)


def test_a_signatory_ratifies_accepts_or_approves(clauses):
    signed = state(signed_on=date(2025, 10, 25))
    for kind in ("ratification", "acceptance", "approval"):
        assert deposit(clauses, signed, kind).code == kind


def test_a_non_signatory_cannot_ratify_it_accedes(clauses):
    r = refusal(deposit, clauses, state("Qatar"), "ratification")
    assert r.field == "kind" and "has not signed" in r.message and "accession" in r.message
    assert "art. 64(4)" in r.message
    assert deposit(clauses, state("Qatar"), "accession").mark == "a"


def test_a_signatory_does_not_accede(clauses):
    r = refusal(deposit, clauses, state(signed_on=date(2025, 10, 25)), "accession")
    assert "ratification, acceptance or approval" in r.message


def test_one_instrument_per_state(clauses):
    p = state(signed_on=date(2025, 10, 25), instrument_kind="ratification",
              deposited_on=date(2026, 1, 5))
    r = refusal(deposit, clauses, p, "ratification", date(2026, 2, 5))
    assert r.field == "entity" and "one instrument" in r.message


def test_instrument_dates(clauses):
    signed = state(signed_on=date(2026, 5, 1))
    early = refusal(deposit, clauses, signed, on=date(2026, 4, 1))
    assert "cannot be dated before" in early.message
    assert "future" in refusal(deposit, clauses, signed, on=date(2027, 1, 1)).message
    assert "adopted on 24 December 2024" in refusal(deposit, clauses, state("Qatar"),
                                                    "accession", date(2024, 12, 1)).message


def test_a_reio_deposits_after_a_member_state_and_never_succeeds(clauses):
    p = eu(signed_on=date(2025, 10, 25))
    r = refusal(deposit, clauses, p, "approval", members=[])
    assert "art. 64(3), 64(4)" in r.message
    assert deposit(clauses, p, "approval", members=[date(2026, 2, 1)]).mark == "AA"
    assert "succession" in refusal(deposit, clauses, eu(), "succession",
                                   members=[date(2026, 2, 1)]).message


# --- Statements and withdrawals -------------------------------------------------------------

PARTY = state(signed_on=date(2025, 10, 25), instrument_kind="ratification",
              deposited_on=date(2026, 3, 2))


def statement(clauses, p, kind, made_at, on):
    return rules.check_statement(clauses, p, kind=kind, made_at=made_at, made_on=on, today=TODAY)


def test_a_reservation_is_made_on_signature_or_deposit_only(clauses):
    assert statement(clauses, PARTY, "reservation-11-3", "deposit", date(2026, 3, 2))
    r = refusal(statement, clauses, PARTY, "reservation-11-3", "later", date(2026, 5, 1))
    assert r.field == "made_at" and "VCLT art. 19" in r.message
    r = refusal(statement, clauses, PARTY, "reservation-11-3", "deposit", date(2026, 3, 3))
    assert r.field == "made_on" and "2 March 2026" in r.message


def test_notifications_may_follow_later(clauses):
    assert statement(clauses, PARTY, "contact-point-41", "later", date(2026, 6, 1))
    r = refusal(statement, clauses, PARTY, "contact-point-41", "later", date(2025, 10, 1))
    assert "25 October 2025" in r.message
    r = refusal(statement, clauses, state("Lao"), "central-authority-40", "later",
                date(2026, 1, 1))
    assert "neither signed" in r.message


def test_the_declaration_of_competence_is_a_reios(clauses):
    r = refusal(statement, clauses, PARTY, "competence-64", "deposit", date(2026, 3, 2))
    assert r.field == "entity"


def test_withdrawals(clauses):
    with pytest.raises(Refused, match="cannot be withdrawn before"):
        rules.check_statement_withdrawal(made_on=date(2026, 3, 2), withdrawn_on=date(2026, 3, 1),
                                         already_withdrawn_on=None, today=TODAY)
    with pytest.raises(Refused, match="withdrawn on 1 April 2026"):
        rules.check_statement_withdrawal(made_on=date(2026, 3, 2), withdrawn_on=date(2026, 5, 1),
                                         already_withdrawn_on=date(2026, 4, 1), today=TODAY)
    rules.check_instrument_withdrawal(name="Viet Nam", deposited_on=date(2026, 3, 2),
                                      withdrawn_on=date(2026, 4, 1), already_withdrawn_on=None,
                                      in_force_on=date(2026, 5, 31), today=TODAY)
    with pytest.raises(Refused, match=r"denunciation \(art. 67\)"):
        rules.check_instrument_withdrawal(name="Viet Nam", deposited_on=date(2026, 3, 2),
                                          withdrawn_on=date(2026, 6, 1),
                                          already_withdrawn_on=None,
                                          in_force_on=date(2026, 5, 31), today=TODAY,
                                          denunciation_article="67")
