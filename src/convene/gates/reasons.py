"""What each gate reason means, in words for the person at the checkpoint."""

from django.utils.translation import gettext_lazy as _

REASONS = {
    "accepted": _("Entry allowed"),
    "exit_recorded": _("Exit recorded"),
    "overridden": _("Entry allowed by supervisor override"),
    "unreadable": _("Not a Convene badge (the code cannot be read)"),
    "unknown_version": _("Badge format not known to this gate"),
    "unknown_key": _("Badge signed with an unknown or withdrawn key"),
    "bad_signature": _("Forged or altered badge (signature invalid)"),
    "unknown_badge": _("Badge not issued by this event"),
    "revoked": _("Badge revoked: hold the person and call a supervisor"),
    "not_yet_valid": _("Badge not valid yet"),
    "expired": _("Badge expired"),
    "zone_not_allowed": _("No access to this zone"),
    "already_inside": _("Already inside: no second entry without an exit"),
    "pool_position": _("Press pool position: entry allowed in the pool's time window"),
}


def label(reason: str) -> str:
    return str(REASONS.get(reason, reason))
