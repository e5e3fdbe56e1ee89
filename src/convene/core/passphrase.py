"""Where a backup passphrase comes from: never from the command line (argv is visible to every
user of the machine, and lands in shell histories and process logs)."""

import getpass
import os
import sys
from pathlib import Path

from django.core.management.base import CommandError

from convene.core.backup import PASSPHRASE_ENV


def read_passphrase(passphrase_file: str | None, *, confirm: bool) -> str:
    """From --passphrase-file, else $CONVENE_BACKUP_PASSPHRASE, else a prompt on a terminal."""
    if passphrase_file:
        try:
            return Path(passphrase_file).read_text().rstrip("\r\n")
        except OSError as exc:
            raise CommandError(f"cannot read the passphrase file: {exc}") from None
    if value := os.environ.get(PASSPHRASE_ENV):
        return value
    if not sys.stdin.isatty():
        raise CommandError(f"no passphrase: set {PASSPHRASE_ENV}, pass --passphrase-file, or "
                           "run on a terminal to be asked")
    first = getpass.getpass("Backup passphrase: ")
    if confirm and getpass.getpass("Same passphrase again: ") != first:
        raise CommandError("the two passphrases differ")
    return first
