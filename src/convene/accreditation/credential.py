"""The signed credential a badge's QR code holds, and nothing else: format, signing, checking.

Version 1 (documented in docs/badges.md), 102 bytes, written as unpadded base64url (136
characters, which a handheld scanner types as plain ASCII):

    offset size  field
    0      1     version (1)
    1      4     key id: the first 4 bytes of SHA-256(raw Ed25519 public key)
    5      16    badge id (UUID): the badge, not the person; no personal data
    21     1     category number (1-255)
    22     8     access zones: bit n set = zone n allowed (unsigned, big-endian)
    30     4     valid from, Unix seconds (unsigned, big-endian)
    34     4     valid until, Unix seconds, exclusive
    38     64    Ed25519 signature over bytes 0-37

The design follows pretix's signed ticket secrets (a version byte, a compact payload, an
Ed25519 signature, a revocation list because an offline verifier cannot see cancellations),
and signs what pretix leaves out: the zones and the validity window, with a key id so keys can
rotate. This module is pure: keys are passed in, nothing is read from disk or the database.
"""

import base64
import binascii
import hashlib
import re
import struct
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

VERSION = 1
_PAYLOAD = struct.Struct(">B4s16sBQII")
PAYLOAD_SIZE = _PAYLOAD.size  # 38
SIGNATURE_SIZE = 64
TOKEN_SIZE = PAYLOAD_SIZE + SIGNATURE_SIZE  # 102
MAX_ZONES = 64
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class CredentialError(ValueError):
    """A token that is not a well-formed, authentically signed credential. `reason` is a code."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Reasons (the gate page shows each in words; docs/gates.md lists them).
UNREADABLE = "unreadable"
UNKNOWN_VERSION = "unknown_version"
UNKNOWN_KEY = "unknown_key"
BAD_SIGNATURE = "bad_signature"


@dataclass(frozen=True)
class Credential:
    key_id: bytes
    badge_id: uuid.UUID
    category: int
    zones: int  # bitmask
    valid_from: int  # Unix seconds
    valid_until: int  # Unix seconds, exclusive

    def allows_zone(self, bit: int) -> bool:
        return bool(self.zones >> bit & 1)

    def is_valid_at(self, when: int) -> bool:
        return self.valid_from <= when < self.valid_until

    def payload(self) -> bytes:
        return _PAYLOAD.pack(VERSION, self.key_id, self.badge_id.bytes, self.category,
                             self.zones, self.valid_from, self.valid_until)


def key_id(public_key: Ed25519PublicKey) -> bytes:
    return hashlib.sha256(public_raw(public_key)).digest()[:4]


def public_raw(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def zone_mask(bits) -> int:
    mask = 0
    for bit in bits:
        if not 0 <= bit < MAX_ZONES:
            raise ValueError(f"zone bit {bit} is outside 0-{MAX_ZONES - 1}")
        mask |= 1 << bit
    return mask


def sign(private_key: Ed25519PrivateKey, *, badge_id: uuid.UUID, category: int, zones: int,
         valid_from: int, valid_until: int) -> str:
    """The QR text for a badge: payload + signature, base64url without padding."""
    if not 1 <= category <= 255:
        raise ValueError("category number must be 1-255")
    if valid_until <= valid_from:
        raise ValueError("a credential must end after it starts")
    credential = Credential(key_id(private_key.public_key()), badge_id, category, zones,
                            valid_from, valid_until)
    payload = credential.payload()
    return encode(payload + private_key.sign(payload))


def encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def decode(token: str) -> bytes:
    """Unpadded base64url to bytes. Strict: one spelling per token, anything else unreadable.

    (Python's lenient decoder would skip stray characters, so the alphabet is checked first.)
    """
    text = token.strip()  # a handheld scanner may end its "typing" with a newline
    if not text or len(text) > 4 * TOKEN_SIZE or not _BASE64URL.fullmatch(text):
        raise CredentialError(UNREADABLE)
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise CredentialError(UNREADABLE) from None
    # With a length not a multiple of 4, the last character has unused bits: refuse the
    # spellings that set them (another text for the same bytes).
    if len(text) % 4 and encode(raw) != text:
        raise CredentialError(UNREADABLE)
    return raw


def parse(raw: bytes) -> tuple[Credential, bytes, bytes]:
    """Split a decoded token into (credential, signed bytes, signature), checking its shape."""
    if len(raw) < 1:
        raise CredentialError(UNREADABLE)
    if raw[0] != VERSION:
        raise CredentialError(UNKNOWN_VERSION)
    if len(raw) != TOKEN_SIZE:
        raise CredentialError(UNREADABLE)
    signed, signature = raw[:PAYLOAD_SIZE], raw[PAYLOAD_SIZE:]
    _, kid, badge, category, zones, start, end = _PAYLOAD.unpack(signed)
    return Credential(kid, uuid.UUID(bytes=badge), category, zones, start, end), signed, signature


def verify(token: str, public_keys) -> Credential:
    """The credential in `token` if it is signed by one of `public_keys` (key id -> key).

    Raises CredentialError with the reason otherwise. Validity, zones and revocation are the
    gate's decision (convene.gates.decision), not this function's.
    """
    credential, signed, signature = parse(decode(token))
    key = public_keys.get(credential.key_id)
    if key is None:
        raise CredentialError(UNKNOWN_KEY)
    try:
        key.verify(signature, signed)
    except InvalidSignature:
        raise CredentialError(BAD_SIGNATURE) from None
    return credential
