from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from convene.core.models import Event, current_event
from convene.operations import clock, services


class Command(BaseCommand):
    help = ("Task forces and readiness. `convene operations escalate` sends up every issue "
            "beyond a task force's authority or open past its time limit, and reminds owners "
            "of items coming due; run it every few minutes (cron, systemd timer). Idempotent.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, text in (("escalate", "Escalate issues and send due-item reminders."),):
            p = sub.add_parser(name, help=text)
            p.add_argument("--event", help="event slug (default: the current event)")
            p.add_argument("--now", help="evaluate as of this ISO time (default: the event's "
                                         "operations clock)")

    def handle(self, *args, subcommand, event=None, now=None, **options):
        target = Event.objects.filter(slug=event).first() if event else current_event()
        if target is None:
            raise CommandError("no such event" if event else "no event has been set up")
        if now:
            try:
                at = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now: not an ISO date-time: {now!r}") from None
            if timezone.is_naive(at):
                at = timezone.make_aware(at)
        else:
            at = clock.now(target)
        escalated, reminders = services.tick(target, at)
        for issue in escalated:
            self.stdout.write(f"escalated: #{issue.pk} {issue.title} "
                              f"({issue.task_force}, {issue.escalation_reason})")
        self.stdout.write(self.style.SUCCESS(
            f"{len(escalated)} issue(s) escalated, {len(reminders)} reminder(s) sent "
            f"as of {timezone.localtime(at):%Y-%m-%d %H:%M}"))
