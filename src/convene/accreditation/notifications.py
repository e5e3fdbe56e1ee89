"""Emails about accreditation decisions (console backend in the demo).

The person (when an address is known) and their delegation's focal points are told when a
badge is approved or refused. A refusal never carries security's vetting note. The mail is sent
by a background task once the decision is committed (the request never waits for mail), and its
link to the delegation is made from SITE_URL, never from the request.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from convene.accounts.models import Role, RoleAssignment
from convene.core.links import absolute_url

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
    body += "\n\n" + _("The delegation's focal points follow its accreditations at %(url)s") % {
        "url": absolute_url("delegations:detail", member.delegation_id)}
    return subject, body


def on_commit_decision(acc, approved: bool) -> None:
    """Mail the decision once it is committed (never for a rolled-back decision)."""
    transaction.on_commit(lambda: email_decision.enqueue(acc.pk, approved))


@task()
def email_decision(accreditation_id: int, approved: bool) -> int:
    """Mail one decision to the person and the focal points; how many were addressed."""
    from convene.accreditation.models import Accreditation

    acc = Accreditation.objects.select_related(
        "member__delegation__event", "member__delegation__entity", "category").filter(
        pk=accreditation_id).first()
    to = recipients(acc.member) if acc else []
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = decision_message(acc, approved)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:  # the decision stands; a failed email is logged for the secretariat
        log.exception("accreditation email to %s failed", to)
        return 0
    return len(to)
