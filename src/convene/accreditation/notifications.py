"""Emails about accreditation decisions (console backend in the demo).

The person (when an address is known) and their delegation's focal points are told when a
badge is approved or refused. A refusal never carries security's vetting note.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from convene.accounts.models import Role, RoleAssignment

log = logging.getLogger(__name__)


def recipients(member) -> list[str]:
    focal = RoleAssignment.objects.filter(
        role=Role.FOCAL_POINT, delegation_id=member.delegation_id).exclude(
        user__email="").values_list("user__email", flat=True)
    return sorted({*([member.email] if member.email else []), *focal})


def decision_message(acc, approved: bool) -> tuple[str, str]:
    member = acc.member
    event = member.delegation.event
    if approved:
        subject = _("Accreditation approved: %(name)s") % {"name": member.full_name}
        body = _("The accreditation of %(name)s (%(delegation)s) to %(event)s is approved, "
                 "in the category %(category)s. The badge can be collected at the "
                 "accreditation desk with a passport or national identity card.") % {
            "name": member.full_name, "delegation": member.delegation,
            "event": event, "category": acc.category}
    else:
        subject = _("Accreditation refused: %(name)s") % {"name": member.full_name}
        body = _("The accreditation of %(name)s (%(delegation)s) to %(event)s has been "
                 "refused.") % {"name": member.full_name, "delegation": member.delegation,
                                "event": event}
        if acc.decision_reason:
            body += "\n\n" + _("Reason: %(reason)s") % {"reason": acc.decision_reason}
        body += "\n\n" + _("Please contact the secretariat for any question.")
    return subject, body


def on_commit_decision(acc, approved: bool) -> None:
    """Send the email once the decision is committed (never for a rolled-back decision)."""
    to = recipients(acc.member)
    if not to:
        return
    subject, body = decision_message(acc, approved)

    def send():
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        except Exception:  # the decision stands; a failed email is logged for the secretariat
            log.exception("accreditation email to %s failed", to)

    transaction.on_commit(send)
