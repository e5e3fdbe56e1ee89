"""`convene reception plan-fleet INSTANCE.json [--time-limit SECONDS]`: the fleet planner on a
file (issue 13's JSON contract), so that plans can be checked from outside.

Prints {"assignments", "unassigned", "vehicles_used", "lower_bound"} as JSON on standard output.
Malformed input: the field at fault on standard error and exit status 1, nothing on stdout.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from convene.core.instance_files import read_json_instance, time_limit_seconds
from convene.reception.fleet import DEFAULT_TIME_LIMIT, InstanceError, parse_instance, plan


class Command(BaseCommand):
    help = "Reception and logistics. `convene reception plan-fleet INSTANCE.json` plans a fleet."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        fleet = sub.add_parser("plan-fleet", help="Assign vehicles to the movements of an "
                                                  "instance file ('-' reads standard input)")
        fleet.add_argument("instance", help="the instance, a JSON file")
        fleet.add_argument("--time-limit", type=time_limit_seconds, default=DEFAULT_TIME_LIMIT,
                           metavar="SECONDS",
                           help=f"stop searching after this long (default "
                                f"{DEFAULT_TIME_LIMIT:g}); only a duty limit needs search")
        fleet.add_argument("--workers", type=int, default=2, help="CP-SAT search threads")

    def handle(self, *args, subcommand, **options):
        if subcommand == "plan-fleet":
            self._plan(options["instance"], options["time_limit"], options["workers"])

    def _plan(self, path: str, time_limit: float, workers: int) -> None:
        data = read_json_instance(path)
        try:
            instance = parse_instance(data)
        except InstanceError as exc:
            raise CommandError(f"invalid instance: {exc}") from None
        result = plan(instance, time_limit=time_limit, workers=workers)
        self.stdout.write(json.dumps(result.to_json(instance), indent=1))
