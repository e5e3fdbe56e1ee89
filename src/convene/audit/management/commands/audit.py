from django.core.management.base import BaseCommand, CommandError

from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. `convene audit verify` checks every link of the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="Recompute every hash; exit 1 and name each broken event.")

    def handle(self, *args, subcommand, **options):
        if subcommand == "verify":
            breaks = verify_chain()
            count = AuditEvent.objects.count()
            if breaks:
                for b in breaks:
                    self.stderr.write(f"audit event #{b.seq}: {b.reason}")
                raise CommandError(f"audit trail is NOT intact: {len(breaks)} problem(s) "
                                   f"in {count} events")
            self.stdout.write(self.style.SUCCESS(f"audit trail intact: {count} events verified"))
