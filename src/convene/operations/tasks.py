"""Background tasks of operations: email a notification (the request never waits for mail)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task


@task()
def email_notification(notification_id: int) -> bool:
    """Email one in-app notification to its user; True when sent (idempotent)."""
    from convene.operations.models import Notification

    n = Notification.objects.select_related(
        "user", "item__task_force", "issue__task_force").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None or not n.user.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("operations/email/subject.txt", {"n": n}).strip()
        body = render_to_string("operations/email/body.txt", {"n": n})
    send_mail(" ".join(subject.split()), body, None, [n.user.email])
    Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
    return True
