"""Order of precedence of principals, in bands of equal standing.

A band is a level of representation; a lower number goes first. Within a band everyone has
equal standing and another rule decides (order of inscription for speakers, booked appointment
or alphabetical order for signature). The default policy and its sources:

- band 0: Heads of State, Vice-Presidents, Crown Princes or Princesses and Heads of Government
  "would be given precedence in the speaking order and would have equal standing"
  (E/CN.6/2000/PC/9 para. 5);
- bands 1-3: "lower … come deputy Heads of Government, Ministers for Foreign Affairs, and other
  Ministers", in that order (A/CN.4/L.129, the Secretary-General's note on precedence);
- band 4: vice-ministers; band 5: heads of delegation / permanent representatives and other
  representatives (A/CN.4/L.129: chairs of delegation rank above deputy foreign ministers and
  permanent representatives only at the General Assembly, so at a conference they meet here);
- band 6: observer States and regional economic integration organisations, and band 7: the UN
  system and intergovernmental organisations — States speak first, "with some flexibility …
  for Observers and UN system" (UN summit of 19 Sept 2016, refugeesmigrants.un.org/
  registration-delegates); IGO and agency heads speak after States (HRC high-level segment
  2006, archive.crin.org);
- band 8: NGOs and the private sector (after intergovernmental participants).

An entity kind sets a floor: an observer's Head of State is in band 6, not 0. Each event may
change every number (ProtocolSettings.rank_bands / kind_bands).
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from convene.delegations.models import Rank
from convene.directory.models import EntityKind

DEFAULT_RANK_BANDS: dict[str, int] = {
    Rank.HEAD_OF_STATE: 0,
    Rank.VICE_PRESIDENT: 0,
    Rank.CROWN_PRINCE: 0,
    Rank.HEAD_OF_GOVERNMENT: 0,
    Rank.DEPUTY_PRIME_MINISTER: 1,
    Rank.FOREIGN_MINISTER: 2,
    Rank.MINISTER: 3,
    Rank.VICE_MINISTER: 4,
    Rank.AMBASSADOR: 5,
    Rank.OTHER: 5,
}
DEFAULT_KIND_BANDS: dict[str, int] = {
    EntityKind.MEMBER_STATE: 0,
    EntityKind.OBSERVER_STATE: 6,
    EntityKind.REIO: 6,
    EntityKind.UN_SYSTEM: 7,
    EntityKind.IGO: 7,
    EntityKind.NGO: 8,
    EntityKind.PRIVATE_SECTOR: 8,
}
BAND_LABELS = {
    0: (_("Heads of State, Vice-Presidents, Crown Princes and Heads of Government"),
        "E/CN.6/2000/PC/9 para. 5"),
    1: (_("Deputy Prime Ministers"), "A/CN.4/L.129"),
    2: (_("Ministers for Foreign Affairs"), "A/CN.4/L.129"),
    3: (_("Other Ministers"), "A/CN.4/L.129"),
    4: (_("Vice-Ministers"), "A/CN.4/L.129"),
    5: (_("Heads of delegation and Permanent Representatives"), "A/CN.4/L.129"),
    6: (_("Observer States and regional organisations"), "UN summit 2016 modalities"),
    7: (_("United Nations system and intergovernmental organisations"),
        "HRC high-level segment 2006"),
    8: (_("Non-governmental organisations and private sector"), "Convene default"),
}
LAST_BAND = 99  # a rank or kind the policy does not know goes last rather than first


@dataclass(frozen=True)
class PrecedencePolicy:
    rank_bands: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_RANK_BANDS))
    kind_bands: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_KIND_BANDS))

    @classmethod
    def from_overrides(cls, rank_bands: dict | None, kind_bands: dict | None):
        """The default policy with an event's overrides laid over it."""
        return cls({**DEFAULT_RANK_BANDS, **(rank_bands or {})},
                   {**DEFAULT_KIND_BANDS, **(kind_bands or {})})

    def band(self, rank: str, kind: str) -> int:
        """The band of a principal of `rank` representing an entity of `kind`."""
        return max(self.rank_bands.get(rank, LAST_BAND), self.kind_bands.get(kind, LAST_BAND))


def band_label(band: int) -> str:
    label = BAND_LABELS.get(band)
    return str(label[0]) if label else _("Band %(n)d") % {"n": band}
