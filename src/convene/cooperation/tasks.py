"""Background work of the cooperation channel: the outbox (delivery with retries and back-off),
the escalation of unacknowledged urgent requests, reminders of requested dates."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from convene.audit.services import record
from convene.cooperation import convention as rules
from convene.cooperation import exchange
from convene.cooperation.models import Case, Message, MessageStatus, OnCallEntry

log = logging.getLogger(__name__)


def _schedule_retry(message: Message, error: str) -> None:
    message.attempts += 1
    delay = exchange.retry_delay(message.attempts)
    message.status = MessageStatus.RETRYING
    message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
    message.last_error = error[:300]
    message.save(update_fields=["attempts", "status", "next_attempt_at", "last_error"])
    if deliver_message.get_backend().supports_defer:
        deliver_message.using(run_after=message.next_attempt_at).enqueue(message.pk)
    # else: a backend that cannot wait (tests); `convene cooperation outbox` retries it.


@task()
def deliver_message(message_pk: int) -> str:
    """Deliver one outbox message (and, first, any earlier one to the same peer: a peer gets
    messages in the order they were sealed). Network trouble: retry later, doubling the wait."""
    message = Message.objects.get(pk=message_pk)
    if message.status not in (MessageStatus.QUEUED, MessageStatus.RETRYING):
        return message.status
    for earlier in exchange.earlier_pending(message):
        try:
            exchange.deliver(earlier)
        except OSError as exc:
            _schedule_retry(message, f"waiting for earlier message: {exc}")
            return message.status
    try:
        return exchange.deliver(message)
    except OSError as exc:
        log.info("delivery of %s to %s failed: %s", message.message_id, message.peer_node_id,
                 exc)
        _schedule_retry(message, str(exc))
        return message.status


def on_call_emails(now=None) -> list[str]:
    now = now or timezone.now()
    out = []
    for e in OnCallEntry.objects.filter(active=True):
        if (e.starts_at is None or e.starts_at <= now) and (e.ends_at is None or now < e.ends_at):
            out.append(e.email)
    return out


@task()
def check_acknowledgement(case_pk: int) -> bool:
    """An urgent request (art. 41: immediate assistance) still unacknowledged after the
    configured time: e-mail the on-call roster of this State's 24/7 point of contact."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_pk)
        if case.status != rules.SENT or case.escalated_at or not case.urgent:
            return False
        emails = on_call_emails()
        minutes = settings.CONVENE_COOPERATION_ACK_ESCALATION_MINUTES
        if emails:
            send_mail(f"URGENT: request {case.short_ref} to {case.requested_state} not "
                      f"acknowledged", f"The urgent {case.kind} request {case.ref} sent to "
                      f"{case.requested_state} at {case.sent_at:%Y-%m-%d %H:%M} UTC has not "
                      f"been acknowledged within {minutes} minutes. Contact the 24/7 point of "
                      f"contact of {case.requested_state} directly.", None, emails)
        case.escalated_at = timezone.now()
        case.save(update_fields=["escalated_at"])
        record(None, "cooperation.escalated", case, after={"to": emails},
               summary=f"Urgent request {case.short_ref} unacknowledged after {minutes} min: "
                       f"{len(emails)} on call e-mailed")
    return True


@task()
def remind_requested_date(case_pk: int) -> bool:
    """Art. 40(25): deadlines the requesting State proposes are taken into account; remind the
    officer before the date passes while the request is still open."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_pk)
        if case.is_final or case.reminded_at or not case.created_by or not case.requested_by:
            return False
        send_mail(f"Reminder: request {case.short_ref} due {case.requested_by}",
                  f"The {case.kind} request {case.ref} to {case.requested_state} asked for "
                  f"execution by {case.requested_by}; it is {case.status}.", None,
                  [case.created_by.email])
        case.reminded_at = timezone.now()
        case.save(update_fields=["reminded_at"])
        record(None, "cooperation.reminded", case, summary=f"Reminder sent for {case.short_ref}")
    return True
