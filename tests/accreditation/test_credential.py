"""The signed credential in a badge's QR code: every altered token is rejected.

Property tests (hypothesis): a bit flipped anywhere, a character changed, a token cut short,
re-signed with another key, expired or revoked — none of them passes the gate decision.
"""

import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from convene.accreditation import credential
from convene.gates import decision

KEY = Ed25519PrivateKey.generate()
OTHER = Ed25519PrivateKey.generate()
KEYS = {credential.key_id(KEY.public_key()): KEY.public_key()}
BADGE = uuid.UUID("0193f1a2-7c4e-7d1a-9b2c-3d4e5f607182")
NOW = 1_761_350_400  # 25 October 2025, 00:00 UTC
ZONES = credential.zone_mask([0, 2, 6])  # P, B, D
GATE = decision.Checkpoint(zone_bit=0, direction=decision.ENTRY)


def token(key=KEY, *, badge=BADGE, zones=ZONES, start=NOW - 86400, end=NOW + 86400):
    return credential.sign(key, badge_id=badge, category=3, zones=zones, valid_from=start,
                           valid_until=end)


GOOD = token()
GOOD_RAW = credential.decode(GOOD)


def gate(text, *, revoked=(), inside=(), now=NOW, checkpoint=GATE, keys=KEYS):
    return decision.decide(text, checkpoint, now, keys=keys, revoked=set(revoked),
                           inside=set(inside))


def test_format_is_102_bytes_in_136_url_safe_characters():
    assert len(GOOD_RAW) == credential.TOKEN_SIZE == 102
    assert len(GOOD) == 136 and set(GOOD) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert GOOD_RAW[0] == credential.VERSION
    assert GOOD_RAW[1:5] == credential.key_id(KEY.public_key())
    assert GOOD_RAW[5:21] == BADGE.bytes  # the badge, and no personal data


def test_a_genuine_token_passes_and_says_what_was_signed():
    verdict = gate(GOOD)
    assert verdict.accepted and verdict.reason == decision.ACCEPTED
    signed = verdict.credential
    assert (signed.badge_id, signed.category, signed.zones) == (BADGE, 3, ZONES)
    assert (signed.valid_from, signed.valid_until) == (NOW - 86400, NOW + 86400)


def test_a_scanner_newline_is_not_part_of_the_token():
    assert gate(GOOD + "\n").accepted


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=credential.TOKEN_SIZE * 8 - 1))
def test_any_bit_flipped_is_rejected(bit):
    raw = bytearray(GOOD_RAW)
    raw[bit // 8] ^= 1 << (bit % 8)
    verdict = gate(credential.encode(bytes(raw)))
    assert not verdict.accepted
    assert verdict.reason in {"bad_signature", "unknown_key", "unknown_version"}


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=len(GOOD) - 1),
       st.characters(codec="ascii", exclude_characters="\n\r\t \x0b\x0c"))
def test_any_character_changed_is_rejected(position, char):
    altered = GOOD[:position] + char + GOOD[position + 1:]
    if altered == GOOD:
        return
    assert not gate(altered).accepted


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=0, max_value=len(GOOD) - 1))
def test_a_truncated_token_is_rejected(length):
    verdict = gate(GOOD[:length])
    assert not verdict.accepted and verdict.reason in {"unreadable", "unknown_version"}


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=0, max_size=40))
def test_extra_bytes_are_rejected(extra):
    if not extra:
        return
    assert gate(credential.encode(GOOD_RAW + extra)).reason == "unreadable"


def test_resigned_with_another_key_is_rejected():
    # Signed by a key the gate does not know: its key id names no trusted key.
    assert gate(token(OTHER)).reason == "unknown_key"
    # Worse: the payload claims our key id but is signed with another key.
    payload = GOOD_RAW[:credential.PAYLOAD_SIZE]
    forged = credential.encode(payload + OTHER.sign(payload))
    assert gate(forged).reason == "bad_signature"


@settings(max_examples=60, deadline=None)
@given(zones=st.integers(min_value=0, max_value=2**64 - 1),
       start=st.integers(min_value=0, max_value=2**32 - 2))
def test_any_payload_resigned_by_an_outsider_is_rejected(zones, start):
    """Whatever an attacker puts in the payload (all zones, any window) under our key id."""
    raw = bytearray(GOOD_RAW[:credential.PAYLOAD_SIZE])
    raw[22:30] = zones.to_bytes(8, "big")
    raw[30:34] = start.to_bytes(4, "big")
    raw[34:38] = (2**32 - 1).to_bytes(4, "big")
    forged = credential.encode(bytes(raw) + OTHER.sign(bytes(raw)))
    assert gate(forged).reason == "bad_signature"


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=10 * 365 * 86400))
def test_expired_and_not_yet_valid_tokens_are_rejected(seconds):
    start, end = NOW - 3600, NOW + 3600
    text = token(start=start, end=end)
    assert gate(text, now=end + seconds).reason == "expired"
    assert gate(text, now=start - 1 - seconds).reason == "not_yet_valid"
    assert gate(text, now=end - 1).accepted and gate(text, now=start).accepted


def test_revoked_is_rejected_even_with_a_good_signature():
    assert gate(GOOD, revoked={BADGE}).reason == "revoked"
    assert gate(GOOD, revoked={uuid.uuid4()}).accepted


def test_a_withdrawn_key_is_no_longer_trusted():
    assert gate(GOOD, keys={}).reason == "unknown_key"


@pytest.mark.parametrize("text", ["", "hello", "https://example.org/badge/1", "AQ" + "=" * 10,
                                  "\u00e9" * 136, "A" * 137])
def test_junk_is_unreadable_not_an_error(text):
    verdict = gate(text)
    assert not verdict.accepted and verdict.reason in {"unreadable", "unknown_version"}


def test_only_one_spelling_of_a_token_is_accepted():
    """Standard base64 ('+', '/') and padding are other spellings of the same bytes: refused,
    so that a token's text identifies it (a copy cannot be disguised as another scan)."""
    text = next(t for t in (token(badge=uuid.uuid4()) for _ in range(50)) if set(t) & {"-", "_"})
    assert gate(text).accepted
    assert not gate(text.replace("-", "+").replace("_", "/")).accepted
    assert not gate(text + "==").accepted


def test_zone_mask_refuses_bits_outside_64():
    with pytest.raises(ValueError):
        credential.zone_mask([64])
    assert credential.zone_mask([0, 63]) == 1 | 1 << 63


def test_keys_rotate_and_old_badges_stay_valid_until_their_key_is_withdrawn(
        defaults, organiser, capsys):
    from django.core.management import call_command

    from convene.accreditation import keys, services

    first_kid, first = keys.signing_key()
    services.register_public_key(first_kid, credential.public_raw(first.public_key()).hex())
    old = credential.sign(first, badge_id=BADGE, category=1, zones=1, valid_from=NOW - 1,
                          valid_until=NOW + 1)
    call_command("badge_keys", "generate")
    new_kid, new = keys.signing_key()
    assert new_kid != first_kid and sorted(keys.private_key_ids()) == sorted(
        [first_kid, new_kid])
    trusted = services.public_keys()
    assert gate(old, keys=trusted).accepted  # rotation does not invalidate printed badges
    call_command("badge_keys", "withdraw", first_kid)
    assert gate(old, keys=services.public_keys()).reason == "unknown_key"
    call_command("badge_keys", "list")
    listing = capsys.readouterr().out
    assert f"{first_kid}" in listing and "WITHDRAWN" in listing and "(current)" in listing


def test_private_keys_are_files_readable_by_their_owner_only(defaults):
    import stat

    from convene.accreditation import keys
    from convene.accreditation.models import SigningKey

    kid, _ = keys.signing_key()
    mode = stat.S_IMODE((keys.key_dir() / f"{kid}.pem").stat().st_mode)
    assert mode == 0o600
    assert all(len(k.public_key) == 64 for k in SigningKey.objects.all())  # public halves only
