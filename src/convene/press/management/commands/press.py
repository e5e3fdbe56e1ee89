import json

from django.core.management.base import BaseCommand, CommandError

from convene.core.models import current_event
from convene.press import newsdesk, services


class Command(BaseCommand):
    help = ("Press tools. `convene press check_figures` tells the communications team which "
            "published figures changed (run it every few minutes, e.g. from cron); "
            "`convene press figures` prints the live figures as JSON.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("check_figures", help="E-mail the communications team about figures "
                                             "changed since publication (once per change).")
        sub.add_parser("figures", help="Print each figure's live value as JSON.")
        sub.add_parser("setup", help="Create the media zones and categories of the event.")

    def handle(self, *args, subcommand, **options):
        event = current_event()
        if event is None:
            raise CommandError("no event is set up")
        if subcommand == "check_figures":
            n = newsdesk.notify_stale_figures(event)
            self.stdout.write(f"{n} changed figure(s) reported")
        elif subcommand == "figures":
            self.stdout.write(json.dumps(newsdesk.live_figures(event), default=str))
        elif subcommand == "setup":
            services.ensure_media_setup(event)
            self.stdout.write(self.style.SUCCESS("media zones and categories ready"))
