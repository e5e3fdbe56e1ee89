"""Reading the JSON instance of an optimiser command (`convene bilaterals solve`,
`convene reception plan-fleet`): the same file handling and the same clear errors for both."""

import json
import sys

from django.core.management.base import CommandError


def time_limit_seconds(text: str) -> float:
    """An argparse type: a positive number of seconds, a day at most."""
    value = float(text)
    if not 0 < value <= 24 * 3600:
        raise ValueError(text)
    return value


def read_json_instance(path: str):
    """The parsed JSON of `path` ("-" is standard input), or a CommandError that names the file
    and, for bad JSON, the line and column."""
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not JSON: {exc.msg} at line {exc.lineno}, "
                           f"column {exc.colno}") from None
