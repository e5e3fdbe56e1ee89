"""The gate decision: may this badge pass this checkpoint now? Pure, so the server, the
benchmark and the tests run exactly this code; static/gates/gate.js is its offline twin.

Checks, in order (the first that fails is the reason shown at the gate):
  1. the QR holds a credential of a known version, signed by a known, not withdrawn key;
  2. the badge is not revoked;
  3. now is within the signed validity window;
  4. (entry) the signed zones include the checkpoint's zone;
  5. (entry) anti-passback: the badge is not already inside the zone (no second entry without
     an exit); a supervisor may override, and the override is logged.
An exit checkpoint checks 1-3 only: nobody is kept inside a zone for lacking it. Source for
anti-passback: logical anti-passback keeps each badge's last direction per area and refuses a
second entry until an exit is recorded (see docs/gates.md).
"""

from collections.abc import Container, Mapping
from dataclasses import dataclass

from convene.accreditation.credential import Credential, CredentialError, verify

ENTRY, EXIT = "entry", "exit"

ACCEPTED = "accepted"
EXIT_RECORDED = "exit_recorded"
OVERRIDDEN = "overridden"
REVOKED = "revoked"
NOT_YET_VALID = "not_yet_valid"
EXPIRED = "expired"
ZONE_NOT_ALLOWED = "zone_not_allowed"
ALREADY_INSIDE = "already_inside"
# ... and the credential reasons: unreadable, unknown_version, unknown_key, bad_signature.


@dataclass(frozen=True)
class Checkpoint:
    zone_bit: int
    direction: str  # ENTRY or EXIT


@dataclass(frozen=True)
class Verdict:
    accepted: bool
    reason: str
    credential: Credential | None = None

    @property
    def badge_id(self):
        return self.credential.badge_id if self.credential else None


def decide(token: str, checkpoint: Checkpoint, now: int, *, keys: Mapping,
           revoked: Container, inside: Container, override: bool = False) -> Verdict:
    """Decide one scan. `keys`: key id -> Ed25519 public key; `revoked`: badge ids (UUID);
    `inside`: badge ids inside the checkpoint's zone; `now`: Unix seconds."""
    try:
        credential = verify(token, keys)
    except CredentialError as exc:
        return Verdict(False, exc.reason)
    badge = credential.badge_id
    if badge in revoked:
        return Verdict(False, REVOKED, credential)
    if now < credential.valid_from:
        return Verdict(False, NOT_YET_VALID, credential)
    if now >= credential.valid_until:
        return Verdict(False, EXPIRED, credential)
    if checkpoint.direction == EXIT:
        return Verdict(True, EXIT_RECORDED, credential)
    if not credential.allows_zone(checkpoint.zone_bit):
        return Verdict(False, ZONE_NOT_ALLOWED, credential)
    if badge in inside:
        if override:
            return Verdict(True, OVERRIDDEN, credential)
        return Verdict(False, ALREADY_INSIDE, credential)
    return Verdict(True, ACCEPTED, credential)
