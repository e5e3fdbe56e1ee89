"""The gate decision, rule by rule (convene/gates/decision.py)."""

import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from convene.accreditation import credential
from convene.gates import decision

KEY = Ed25519PrivateKey.generate()
KEYS = {credential.key_id(KEY.public_key()): KEY.public_key()}
BADGE = uuid.uuid4()
NOW = 1_761_350_400
TOKEN = credential.sign(KEY, badge_id=BADGE, category=3, zones=credential.zone_mask([0, 2]),
                        valid_from=NOW - 60, valid_until=NOW + 60)
P_IN = decision.Checkpoint(0, decision.ENTRY)
P_OUT = decision.Checkpoint(0, decision.EXIT)
V_IN = decision.Checkpoint(3, decision.ENTRY)


def decide(checkpoint, *, inside=(), revoked=(), now=NOW, override=False, token=TOKEN):
    return decision.decide(token, checkpoint, now, keys=KEYS, revoked=set(revoked),
                           inside=set(inside), override=override)


def test_entry_into_a_signed_zone_is_accepted():
    verdict = decide(P_IN)
    assert (verdict.accepted, verdict.reason, verdict.badge_id) == (True, "accepted", BADGE)


def test_a_zone_not_signed_into_the_badge_is_refused():
    assert decide(V_IN).reason == "zone_not_allowed"


def test_anti_passback_refuses_a_second_entry_until_an_exit():
    assert decide(P_IN, inside={BADGE}).reason == "already_inside"
    assert decide(P_OUT, inside={BADGE}).reason == "exit_recorded"
    assert decide(P_IN, inside=set()).accepted


def test_a_supervisor_override_lets_a_second_entry_through_and_says_so():
    verdict = decide(P_IN, inside={BADGE}, override=True)
    assert verdict.accepted and verdict.reason == "overridden"
    # An override is for anti-passback only: it opens no zone and revives no badge.
    assert decide(V_IN, override=True).reason == "zone_not_allowed"
    assert decide(P_IN, revoked={BADGE}, override=True).reason == "revoked"


def test_exits_never_keep_anyone_in_but_still_check_the_badge():
    assert decide(V_IN.__class__(3, decision.EXIT)).accepted  # no zone check on the way out
    assert decide(P_OUT, revoked={BADGE}).reason == "revoked"
    assert decide(P_OUT, token=TOKEN[:-2] + "AA").reason == "bad_signature"


def test_checks_come_in_order_signature_revocation_validity_zone_passback():
    assert decide(V_IN, revoked={BADGE}, now=NOW + 3600, inside={BADGE}).reason == "revoked"
    assert decide(V_IN, now=NOW + 3600, inside={BADGE}).reason == "expired"
    assert decide(V_IN, inside={BADGE}).reason == "zone_not_allowed"
