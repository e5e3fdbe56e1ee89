"""Pool access at the gate, as a plain function: a published pool place admits its holder to
the opportunity's zone only within the opportunity's time window (online at the server, and
offline in static/press/pool-gate.js, its twin, from the signed pool list the gate keeps).

The badge is checked as ever (signature, revocation, validity); this rule only answers the
question the badge's own zones answered "no" to: may this badge enter this zone now anyway?
"""

from dataclasses import dataclass

POOL_ACCEPTED = "pool_position"


@dataclass(frozen=True)
class Pass:
    badge: str  # badge id (UUID text)
    zone_bit: int
    valid_from: int  # Unix seconds
    valid_until: int
    opportunity: str = ""


def admits(passes, badge: str, zone_bit: int, now: int) -> Pass | None:
    """The pass that admits `badge` into zone `zone_bit` at `now`, if any."""
    for p in passes:
        if p.badge == badge and p.zone_bit == zone_bit and p.valid_from <= now < p.valid_until:
            return p
    return None
