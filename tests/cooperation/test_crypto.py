"""The envelope: JWS (Ed25519) inside JWE (ECDH-ES/X25519, A256GCM); receipts; key rotation."""

import time

import pytest

from convene.cooperation import crypto, keys


def _pair():
    return crypto.new_signing_key(), crypto.new_encryption_key()


def _payload(**kw):
    now = int(time.time())
    return {"id": "1", "type": "request", "from": "a", "to": "b", "iat": now,
            "exp": now + 60, **kw}


def test_a_sealed_message_opens_only_for_its_recipient_and_verifies_its_sender():
    s, e = _pair()
    token, inner = crypto.seal(_payload(body="x"), s, crypto.import_public(crypto.public_jwk(e)))
    header = crypto.unverified_header(token)
    assert header["alg"] == "ECDH-ES" and header["enc"] == "A256GCM" and "epk" in header
    assert crypto.unverified_header(inner)["alg"] == "Ed25519"
    opened = crypto.open_message(token, {e.kid: e}, {s.kid: crypto.import_public(
        crypto.public_jwk(s))})
    assert opened.payload["body"] == "x" and opened.signed == inner
    # Another node's key cannot open it.
    other = crypto.new_encryption_key()
    with pytest.raises(crypto.EnvelopeError) as exc:
        crypto.open_message(token, {other.kid: other}, {s.kid: s})
    assert exc.value.reason == crypto.UNKNOWN_KEY


def test_tampering_unknown_keys_expiry_and_garbage_each_have_their_reason():
    s, e = _pair()
    token, _ = crypto.seal(_payload(), s, e)
    parts = token.split(".")
    parts[3] = ("A" if parts[3][0] != "A" else "B") + parts[3][1:]
    with pytest.raises(crypto.EnvelopeError) as exc:
        crypto.open_message(".".join(parts), {e.kid: e}, {s.kid: s})
    assert exc.value.reason == crypto.BAD_SIGNATURE
    with pytest.raises(crypto.EnvelopeError) as exc:
        crypto.open_message(token, {e.kid: e}, {})
    assert exc.value.reason == crypto.UNKNOWN_KEY
    old, _ = crypto.seal(_payload(exp=int(time.time()) - 1), s, e)
    with pytest.raises(crypto.EnvelopeError) as exc:
        crypto.open_message(old, {e.kid: e}, {s.kid: s})
    assert exc.value.reason == crypto.EXPIRED
    for junk in (b"", b"hello", b"a.b.c.d.e"):
        with pytest.raises(crypto.EnvelopeError) as exc:
            crypto.open_message(junk, {e.kid: e}, {s.kid: s})
        assert exc.value.reason == crypto.MALFORMED


def test_a_signature_made_by_another_key_under_a_known_kid_is_a_bad_signature():
    s, _e = _pair()
    forger = crypto.new_signing_key()
    token = crypto.sign({"a": 1}, forger, crypto.RECEIPT_TYP)
    with pytest.raises(crypto.EnvelopeError) as exc:
        crypto.verify(token, lambda kid: s, crypto.RECEIPT_TYP)
    assert exc.value.reason == crypto.BAD_SIGNATURE


def test_a_receipt_is_signed_and_bound_to_the_message_hash():
    s, _ = _pair()
    token = crypto.make_receipt(message_sha256="ab" * 32, message_id="m1",
                                status=crypto.REJECTED, reason=crypto.REPLAYED, node_id="b",
                                key=s)
    payload, kid = crypto.verify(token, {s.kid: s}, crypto.RECEIPT_TYP)
    assert payload["message_sha256"] == "ab" * 32 and payload["reason"] == "replayed"
    assert kid == s.thumbprint()
    # A receipt is not a message: the type in the header is checked.
    with pytest.raises(crypto.EnvelopeError):
        crypto.verify(token, {s.kid: s}, crypto.MESSAGE_TYP)


def test_a_key_id_that_is_not_the_keys_thumbprint_is_refused():
    s = crypto.new_signing_key()
    jwk = crypto.public_jwk(s) | {"kid": "someone-else"}
    with pytest.raises(crypto.EnvelopeError):
        crypto.import_public(jwk)
    with pytest.raises(crypto.EnvelopeError):
        crypto.import_public(crypto.public_jwk(s) | {"d": "secret"})


def test_rotation_keeps_old_keys_so_old_messages_still_open_and_verify(tmp_path):
    keys.ensure_keys(tmp_path)
    old_sign, old_enc = keys.current_kid(keys.SIGN, tmp_path), keys.current_kid(keys.ENC, tmp_path)
    s_old = keys.signing_key(tmp_path)
    enc_old = crypto.import_public({k: v for k, v in keys.public_keys(tmp_path)["enc"][0].items()
                                    if k != "status"})
    token, _ = crypto.seal(_payload(), s_old, enc_old)
    keys.rotate(keys.SIGN, tmp_path)
    keys.rotate(keys.ENC, tmp_path)
    assert keys.current_kid(keys.SIGN, tmp_path) != old_sign
    pub = keys.public_keys(tmp_path)
    assert {j["status"] for j in pub["sign"]} == {"current", "retired"}
    assert any(j["kid"] == old_enc and j["status"] == "retired" for j in pub["enc"])
    verify_keys = {j["kid"]: crypto.import_public({k: v for k, v in j.items() if k != "status"})
                   for j in pub["sign"]}
    opened = crypto.open_message(token, keys.encryption_keys(tmp_path), verify_keys)
    assert opened.signer_kid == old_sign
    assert (tmp_path / f"sign-{old_sign}.json").stat().st_mode & 0o077 == 0
