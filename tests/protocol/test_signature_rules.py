"""Order of signature and full powers (VCLT art. 7)."""

from datetime import datetime, timedelta

from convene.protocol.signature import (
    ORDER_ALPHABETICAL,
    SignaturePolicy,
    Signer,
    needs_full_powers,
    signing_order,
    signing_schedule,
)

START = datetime(2025, 10, 25, 10, 0)


def signer(i, name, rank, band, *, state=True, host=False, appt=None, fp=None):
    return Signer(i, 100 + i, name, f"Signer {i}", rank, band, state, host, appt, fp)


def test_vclt_art_7_2_a():
    for rank in ("head_of_state", "head_of_government", "foreign_minister"):
        assert not needs_full_powers(rank, is_state=True)
    for rank in ("vice_president", "deputy_prime_minister", "minister", "ambassador", "other"):
        assert needs_full_powers(rank, is_state=True)
    # An organisation's representative has no art. 7(2)(a) exemption.
    assert needs_full_powers("head_of_state", is_state=False)


def test_missing_or_unchecked_full_powers_cannot_be_scheduled():
    people = [signer(1, "Angola", "minister", 3),
              signer(2, "Benin", "minister", 3, fp="uploaded"),
              signer(3, "Chad", "minister", 3, fp="rejected"),
              signer(4, "Denmark", "minister", 3, fp="checked"),
              signer(5, "European Union", "other", 6, state=False),
              signer(6, "Fiji", "foreign_minister", 2)]
    schedule = signing_schedule(people, SignaturePolicy(), START)
    assert [s.signer.name for s in schedule.slots] == ["Fiji", "Denmark"]
    assert {b.signer.name for b in schedule.blocked} == {"Angola", "Benin", "Chad",
                                                         "European Union"}
    reasons = {b.signer.name: b.reason for b in schedule.blocked}
    assert "not been uploaded" in reasons["Angola"]
    assert "not been checked" in reasons["Benin"]
    # Slots follow one another; a blocked signatory leaves no hole.
    assert [s.starts_at for s in schedule.slots] == [START, START + timedelta(minutes=3)]
    assert [s.needs_full_powers for s in schedule.slots] == [False, True]


def test_host_first_then_band_then_appointment():
    a = datetime(2025, 10, 25, 10, 30)
    people = [signer(1, "Angola", "head_of_state", 0, appt=a + timedelta(minutes=10)),
              signer(2, "Benin", "head_of_state", 0, appt=a),
              signer(3, "Chad", "head_of_state", 0),
              signer(4, "Viet Nam", "head_of_state", 0, host=True, appt=a + timedelta(hours=1)),
              signer(5, "Algeria", "foreign_minister", 2, appt=a - timedelta(hours=1))]
    order = [s.name for s in signing_order(people, SignaturePolicy(host_first=True))]
    assert order == ["Viet Nam", "Benin", "Angola", "Chad", "Algeria"]
    order = [s.name for s in signing_order(people, SignaturePolicy(host_first=False))]
    assert order == ["Benin", "Angola", "Viet Nam", "Chad", "Algeria"]


def test_alphabetical_order_uses_un_names():
    people = [signer(1, "Türkiye", "head_of_state", 0), signer(2, "Tunisia", "minister", 3,
                                                               fp="checked"),
              signer(3, "Côte d'Ivoire", "head_of_state", 0),
              signer(4, "Costa Rica", "head_of_state", 0),
              signer(5, "Viet Nam", "head_of_state", 0, host=True)]
    policy = SignaturePolicy(host_first=True, order=ORDER_ALPHABETICAL, slot_minutes=2)
    schedule = signing_schedule(people, policy, START)
    assert [s.signer.name for s in schedule.slots] == [
        "Viet Nam", "Costa Rica", "Côte d'Ivoire", "Tunisia", "Türkiye"]
    assert schedule.slots[-1].ends_at == START + timedelta(minutes=10)
