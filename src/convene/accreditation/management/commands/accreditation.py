"""Accreditation at the console: `convene accreditation resume [--stalled-for SECONDS]`.

`resume` queues again the work of every unfinished badge batch that no worker has moved on for
a while (default BADGE_BATCH_STALL_SECONDS, 120 s): run it when a worker host was
restarted, or as the worker service's start-up step. The work is idempotent, so resuming a
batch whose worker was only slow wastes a little time and duplicates nothing.
"""

from django.core.management.base import BaseCommand

from convene.accreditation import services


class Command(BaseCommand):
    help = "Accreditation tasks at the console (resume badge batches whose worker died)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        resume = sub.add_parser("resume", help="queue again badge batches whose worker died")
        resume.add_argument("--stalled-for", type=int, default=None, metavar="SECONDS",
                            help="only batches with no progress for this long (default: "
                                 "the BADGE_BATCH_STALL_SECONDS setting, 120)")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _resume(self, stalled_for=None, **options):
        resumed = services.resume_stalled_batches(stalled_for)
        for batch in resumed:
            self.stdout.write(f"Badge batch {batch.pk}: queued again ({batch.status}, "
                              f"{batch.issued} of {batch.total} issued, {batch.parts_done} of "
                              f"{batch.parts} parts rendered).")
        if not resumed:
            self.stdout.write("No badge batch needs resuming.")
