from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand

from convene.core import task_recovery


class Command(BaseCommand):
    help = ("Background tasks. `convene tasks worker` runs a worker (recovering first the tasks "
            "of workers on this host that died); `convene tasks recover` queues again the tasks "
            "whose worker died mid-task.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        worker = sub.add_parser("worker", help="Recover, then run a database task worker.")
        worker.add_argument("--queue-name", default="default")
        worker.add_argument("--interval", type=float, default=1.0,
                            help="seconds between looks at an empty queue")
        worker.add_argument("--batch", action="store_true",
                            help="run what is queued, then exit")
        recover = sub.add_parser("recover", help="Queue again the tasks of dead workers.")
        recover.add_argument("--stale-after", type=int, metavar="SECONDS",
                             help="also queue again any task running longer than this, "
                                  "whatever its worker (workers on other hosts)")
        recover.add_argument("--dry-run", action="store_true", help="only list them")

    def handle(self, *args, subcommand, **options):
        if subcommand == "recover":
            stale = options["stale_after"]
            self._recover(timedelta(seconds=stale) if stale is not None else None,
                          options["dry_run"])
        else:
            self._recover(None, False)
            wid = task_recovery.worker_id()
            self.stdout.write(f"worker {wid} starting")
            self.stdout.flush()
            call_command("db_worker", worker_id=wid, queue_name=options["queue_name"],
                         interval=options["interval"], batch=options["batch"], reload=False,
                         startup_delay=False, verbosity=options["verbosity"])

    def _recover(self, stale_after, dry_run):
        found = task_recovery.recover(stale_after, dry_run=dry_run)
        verb = "would queue again" if dry_run else "queued again"
        for item in found:
            self.stdout.write(f"{verb} task {item.task_id} ({item.task_path}): {item.reason} "
                              f"(worker {item.worker or '?'})")
        if not found:
            self.stdout.write("no task to recover")
