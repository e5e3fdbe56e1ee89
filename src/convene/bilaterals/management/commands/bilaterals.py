"""`convene bilaterals solve INSTANCE.json [--time-limit SECONDS]`: the scheduler on a file.

Prints the schedule as JSON (issue 6's output format) on standard output; warnings (a pinned
place that could not be kept) go to standard error. The web app runs the same solver.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from convene.bilaterals.instance import InstanceError, parse_instance
from convene.bilaterals.solver import DEFAULT_TIME_LIMIT, DEFAULT_WORKERS, solve
from convene.core.instance_files import read_json_instance, time_limit_seconds


class Command(BaseCommand):
    help = "Bilateral meetings. `convene bilaterals solve INSTANCE.json` prints a schedule."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        solve_parser = sub.add_parser(
            "solve", help="Schedule the requests of an instance file ('-' reads standard input)")
        solve_parser.add_argument("instance", help="the instance, a JSON file")
        solve_parser.add_argument("--time-limit", type=time_limit_seconds,
                                  default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
                                  help=f"stop searching after this long (default "
                                       f"{DEFAULT_TIME_LIMIT:g}); the best schedule found and "
                                       "a proven bound are printed")
        solve_parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                                  help=f"CP-SAT search threads (default {DEFAULT_WORKERS})")

    def handle(self, *args, subcommand, **options):
        if subcommand == "solve":
            self._solve(options["instance"], options["time_limit"], options["workers"])

    def _solve(self, path: str, time_limit: float, workers: int) -> None:
        data = read_json_instance(path)
        try:
            instance = parse_instance(data)
        except InstanceError as exc:
            raise CommandError(f"{path} is not a valid instance:\n  "
                               + "\n  ".join(exc.problems)) from None
        result = solve(instance, time_limit=time_limit, workers=max(1, workers))
        for warning in result.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
