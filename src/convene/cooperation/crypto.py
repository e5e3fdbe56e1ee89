"""The envelope of every exchange between nodes: standard JOSE, made with joserfc.

A message is a JWS (signed by the sending node's Ed25519 key) nested inside a JWE (encrypted to
the receiving node's X25519 key with ECDH-ES key agreement and A256GCM content encryption).
A receipt and the directory are JWS only (they are not secret; they must be unforgeable).

The signature algorithm is EdDSA over Ed25519, named by its fully-specified JOSE identifier
"Ed25519" (RFC 9864, which deprecates the polymorphic name "EdDSA" for new applications; the
signature bytes are the same). No home-made envelope: joserfc serialises and checks every part.

Plain functions on keys and bytes; no database, no HTTP. Keys are joserfc OKPKey objects whose
`kid` is their RFC 7638 thumbprint, so a key id can be recomputed from the key and never lies.
"""

import hashlib
import json
import time
from dataclasses import dataclass

from joserfc import jwe, jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

SIG_ALG = "Ed25519"
KEY_ALG = "ECDH-ES"
ENC_ALG = "A256GCM"
_JWS = jws.JWSRegistry(algorithms=[SIG_ALG])
_JWE = jwe.JWERegistry(algorithms=[KEY_ALG, ENC_ALG])
# joserfc's size limits guard against oversized tokens; ours are bounded by the inbox (4 MB an
# envelope, 256 KiB an evidence chunk), so the limits are raised to just that.
_JWS.max_payload_length = 3 * 1024 * 1024
_JWE.max_ciphertext_length = 4 * 1024 * 1024

# Why a message or a receipt was refused: the words a receipt carries (issue 15).
BAD_SIGNATURE = "bad_signature"
UNKNOWN_KEY = "unknown_key"
EXPIRED = "expired"
REPLAYED = "replayed"
MALFORMED = "malformed"
REASONS = (BAD_SIGNATURE, UNKNOWN_KEY, EXPIRED, REPLAYED, MALFORMED)


class EnvelopeError(Exception):
    """A message, receipt or directory that must be refused; `reason` is one of REASONS."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("ascii")
    return hashlib.sha256(data).hexdigest()


# --- keys ---------------------------------------------------------------------------------------

def new_signing_key() -> OKPKey:
    return _with_kid(OKPKey.generate_key("Ed25519", auto_kid=False))


def new_encryption_key() -> OKPKey:
    return _with_kid(OKPKey.generate_key("X25519", auto_kid=False))


def _with_kid(key: OKPKey) -> OKPKey:
    data = key.as_dict(private=True)
    data["kid"] = key.thumbprint()
    return OKPKey.import_key(data)


def public_jwk(key: OKPKey) -> dict:
    data = key.as_dict(private=False)
    data["kid"] = key.thumbprint()
    return data


def import_public(jwk: dict) -> OKPKey:
    """A peer's public key from its JWK; refuses private material and a kid that is not the
    key's thumbprint (a directory entry cannot claim one key under another's id)."""
    if not isinstance(jwk, dict) or "d" in jwk or jwk.get("kty") != "OKP":
        raise EnvelopeError(MALFORMED, "not a public OKP key")
    try:
        key = OKPKey.import_key({k: v for k, v in jwk.items() if k in ("kty", "crv", "x", "kid")})
    except (JoseError, ValueError, TypeError) as exc:
        raise EnvelopeError(MALFORMED, f"bad key: {exc}") from None
    if jwk.get("kid") != key.thumbprint():
        raise EnvelopeError(MALFORMED, "key id is not the key's thumbprint")
    return key


def private_to_json(key: OKPKey) -> str:
    data = key.as_dict(private=True)
    data["kid"] = key.thumbprint()
    return json.dumps(data)


def private_from_json(text: str) -> OKPKey:
    return OKPKey.import_key(json.loads(text))


# --- signing ------------------------------------------------------------------------------------

def sign(payload: dict, key: OKPKey, typ: str) -> str:
    """A compact JWS of `payload` (canonical JSON), with the key id and a type in the header."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    header = {"alg": SIG_ALG, "kid": key.thumbprint(), "typ": typ}
    return jws.serialize_compact(header, body, key, registry=_JWS)


def unverified_header(token: str | bytes) -> dict:
    """The protected header of a compact JWS or JWE, before any check (to find the key)."""
    if isinstance(token, bytes):
        token = token.decode("ascii", errors="replace")
    try:
        first = token.split(".", 1)[0]
        raw = _b64decode(first)
        header = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise EnvelopeError(MALFORMED, "not a compact JOSE token") from None
    if not isinstance(header, dict):
        raise EnvelopeError(MALFORMED, "header is not an object")
    return header


def verify(token: str | bytes, keys_by_kid, typ: str) -> tuple[dict, str]:
    """Check a compact JWS against the key its header names; return (payload, kid).

    `keys_by_kid` maps key id -> public OKPKey (a dict, or a callable kid -> key or None).
    """
    header = unverified_header(token)
    if header.get("alg") != SIG_ALG:
        raise EnvelopeError(MALFORMED, f"signature algorithm {header.get('alg')!r} not accepted")
    if header.get("typ") != typ:
        raise EnvelopeError(MALFORMED, f"expected a {typ}, got {header.get('typ')!r}")
    kid = header.get("kid")
    lookup = keys_by_kid if callable(keys_by_kid) else keys_by_kid.get
    key = lookup(kid) if isinstance(kid, str) else None
    if key is None:
        raise EnvelopeError(UNKNOWN_KEY, f"no known signing key {kid!r}")
    try:
        obj = jws.deserialize_compact(token, key, registry=_JWS)
    except JoseError as exc:
        raise EnvelopeError(BAD_SIGNATURE, str(exc)) from None
    try:
        payload = json.loads(obj.payload)
    except ValueError:
        raise EnvelopeError(MALFORMED, "payload is not JSON") from None
    if not isinstance(payload, dict):
        raise EnvelopeError(MALFORMED, "payload is not an object")
    return payload, kid


# --- messages -----------------------------------------------------------------------------------

MESSAGE_TYP = "convene-message+jws"
RECEIPT_TYP = "convene-receipt+jws"
DIRECTORY_TYP = "convene-directory+jws"
CHUNK_TYP = "convene-chunk"


def seal(payload: dict, signing_key: OKPKey, recipient_key: OKPKey) -> tuple[str, str]:
    """Sign `payload`, then encrypt the signed message to the recipient's public X25519 key.
    Returns (jwe compact token, inner jws compact token)."""
    inner = sign(payload, signing_key, MESSAGE_TYP)
    header = {"alg": KEY_ALG, "enc": ENC_ALG, "kid": recipient_key.thumbprint(),
              "cty": MESSAGE_TYP}
    outer = jwe.encrypt_compact(header, inner.encode("ascii"), recipient_key, registry=_JWE)
    return outer, inner


def decrypt(token: str | bytes, own_keys_by_kid: dict, cty: str = MESSAGE_TYP) -> bytes:
    """Decrypt a JWE addressed to one of this node's encryption keys (old ones included: a
    message encrypted before a rotation still opens)."""
    header = unverified_header(token)
    if header.get("alg") != KEY_ALG or header.get("enc") != ENC_ALG:
        raise EnvelopeError(MALFORMED, "encryption algorithms not accepted")
    if header.get("cty") != cty:
        raise EnvelopeError(MALFORMED, f"expected content {cty}")
    key = own_keys_by_kid.get(header.get("kid")) if isinstance(header.get("kid"), str) else None
    if key is None:
        raise EnvelopeError(UNKNOWN_KEY, f"not encrypted to a key of this node "
                                         f"({header.get('kid')!r})")
    try:
        return jwe.decrypt_compact(token, key, registry=_JWE).plaintext
    except JoseError as exc:
        # The A256GCM tag failed: the ciphertext was changed on the way.
        raise EnvelopeError(BAD_SIGNATURE, f"integrity check failed: {exc}") from None
    except (ValueError, TypeError) as exc:
        raise EnvelopeError(MALFORMED, str(exc)) from None


@dataclass
class Opened:
    payload: dict
    signed: str  # the inner JWS: the sender's non-repudiable statement, kept by the receiver
    signer_kid: str


def open_message(token: str | bytes, own_keys_by_kid: dict, sender_keys,
                 now: float | None = None) -> Opened:
    """Decrypt, verify the sender's signature, check expiry. Raises EnvelopeError."""
    inner = decrypt(token, own_keys_by_kid)
    payload, kid = verify(inner, sender_keys, MESSAGE_TYP)
    for name in ("id", "from", "to", "iat", "exp", "type"):
        if name not in payload:
            raise EnvelopeError(MALFORMED, f"missing {name!r}")
    now = time.time() if now is None else now
    if not isinstance(payload["exp"], int | float) or payload["exp"] < now:
        raise EnvelopeError(EXPIRED, "the message's validity has passed")
    return Opened(payload=payload, signed=inner.decode("ascii") if isinstance(inner, bytes)
                  else inner, signer_kid=kid)


def encrypt_chunk(data: bytes, recipient_key: OKPKey) -> str:
    header = {"alg": KEY_ALG, "enc": ENC_ALG, "kid": recipient_key.thumbprint(),
              "cty": CHUNK_TYP}
    return jwe.encrypt_compact(header, data, recipient_key, registry=_JWE)


def decrypt_chunk(token: str | bytes, own_keys_by_kid: dict) -> bytes:
    return decrypt(token, own_keys_by_kid, cty=CHUNK_TYP)


# --- receipts -----------------------------------------------------------------------------------

DELIVERED, ACCEPTED, REJECTED = "delivered", "accepted", "rejected"


def make_receipt(*, message_sha256: str, message_id: str | None, status: str, reason: str = "",
                 detail: str = "", node_id: str, key: OKPKey, extra: dict | None = None) -> str:
    """A signed receipt bound to the SHA-256 of the message exactly as it arrived."""
    assert status in (DELIVERED, ACCEPTED, REJECTED)
    assert status != REJECTED or reason in REASONS
    payload = {"message_sha256": message_sha256, "message_id": message_id, "status": status,
               "reason": reason, "detail": detail[:300], "by": node_id, "at": int(time.time())}
    payload.update(extra or {})
    return sign(payload, key, RECEIPT_TYP)


def _b64decode(text: str) -> bytes:
    import base64

    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
