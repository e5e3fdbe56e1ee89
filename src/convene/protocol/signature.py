"""Order of signature at the signing ceremony, and who may sign without full powers.

Full powers — Vienna Convention on the Law of Treaties (VCLT) art. 7: "In virtue of their
functions and without having to produce full powers, the following are considered as
representing their State: (a) Heads of State, Heads of Government and Ministers for Foreign
Affairs, for the purpose of performing all acts relating to the conclusion of a treaty"
(art. 7(2)(a)); anyone else needs full powers (art. 7(1)(a)). The depositary checks them before
the signature (UN Treaty Handbook, annex 3 model instrument). A representative of an
organisation (the EU) has no art. 7(2)(a) exemption and needs full powers too.

Order — a policy of the event: the host first or not (Viet Nam signed first in Hanoi,
newshour.media 29 Oct 2025); then either by precedence band and, within a band, by booked
appointment (UN treaty events give Heads of State or Government "special facilities",
treaties.un.org Treaty Events), or in English alphabetical order of UN short names (multilateral
practice). The result is the signing schedule: one slot after the other from the ceremony's
start. A signatory whose full powers are needed but not checked is not scheduled.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from convene.delegations.models import Rank
from convene.protocol.collation import un_sort_key

# VCLT art. 7(2)(a)
SIGN_WITHOUT_FULL_POWERS = frozenset({Rank.HEAD_OF_STATE, Rank.HEAD_OF_GOVERNMENT,
                                      Rank.FOREIGN_MINISTER})

ORDER_BAND_APPOINTMENT, ORDER_ALPHABETICAL = "band_appointment", "alphabetical"
FP_CHECKED = "checked"


@dataclass(frozen=True)
class Signer:
    id: int
    delegation_id: int
    name: str  # the State or organisation, UN short name in English
    signer: str  # the person who signs
    rank: str
    band: int
    is_state: bool
    is_host: bool = False
    appointment: datetime | None = None
    full_powers: str | None = None  # status of the latest full powers, None: none uploaded


@dataclass(frozen=True)
class SignaturePolicy:
    host_first: bool = True
    order: str = ORDER_BAND_APPOINTMENT
    slot_minutes: int = 3


@dataclass(frozen=True)
class SigningSlot:
    number: int
    signer: Signer
    starts_at: datetime
    ends_at: datetime
    needs_full_powers: bool


@dataclass(frozen=True)
class Blocked:
    signer: Signer
    reason: str


@dataclass
class SigningSchedule:
    slots: list[SigningSlot]
    blocked: list[Blocked]


def needs_full_powers(rank: str, is_state: bool) -> bool:
    """VCLT art. 7(2)(a): only a State's Head of State, Head of Government or Minister for
    Foreign Affairs signs without full powers."""
    return not (is_state and rank in SIGN_WITHOUT_FULL_POWERS)


def may_sign(signer: Signer) -> str | None:
    """None if the signer may be scheduled, else the reason why not (VCLT art. 7(1)(a))."""
    if not needs_full_powers(signer.rank, signer.is_state):
        return None
    if signer.full_powers is None:
        return str(_("Full powers are needed (VCLT art. 7) and have not been uploaded."))
    if signer.full_powers != FP_CHECKED:
        return str(_("Full powers are needed (VCLT art. 7) and have not been checked by the "
                     "depositary."))
    return None


def signing_order(signers: Iterable[Signer], policy: SignaturePolicy) -> list[Signer]:
    def alphabetical(s: Signer):
        return un_sort_key(s.name)

    def by_band(s: Signer):
        # Within a band: booked appointments in their order, then those without one.
        return (s.band, s.appointment is None, s.appointment or datetime.min, un_sort_key(s.name))

    key = alphabetical if policy.order == ORDER_ALPHABETICAL else by_band
    items = list(signers)
    hosts = [s for s in items if s.is_host] if policy.host_first else []
    return hosts + sorted((s for s in items if s not in hosts), key=key)


def signing_schedule(signers: Iterable[Signer], policy: SignaturePolicy,
                     start: datetime) -> SigningSchedule:
    slots, blocked = [], []
    at = start
    for signer in signing_order(signers, policy):
        reason = may_sign(signer)
        if reason:
            blocked.append(Blocked(signer, reason))
            continue
        end = at + timedelta(minutes=policy.slot_minutes)
        slots.append(SigningSlot(len(slots) + 1, signer, at, end,
                                 needs_full_powers(signer.rank, signer.is_state)))
        at = end
    return SigningSchedule(slots, blocked)
