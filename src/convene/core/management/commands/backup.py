from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convene.core.backup import PASSPHRASE_ENV, BackupError, create_backup
from convene.core.passphrase import read_passphrase


class Command(BaseCommand):
    help = ("Write one backup archive: the database (SQLite online backup or pg_dump), the "
            "uploaded files and the signing keys (encrypted with a passphrase, age format). "
            f"The passphrase comes from ${PASSPHRASE_ENV}, --passphrase-file or a prompt.")

    def add_arguments(self, parser):
        parser.add_argument("out", help="the archive to write, e.g. convene-2025-10-24.tar")
        parser.add_argument("--passphrase-file", help="read the passphrase from this file")

    def handle(self, *args, out, passphrase_file, **options):
        passphrase = read_passphrase(passphrase_file, confirm=True)
        try:
            summary = create_backup(Path(out), passphrase)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        m = summary.manifest
        self.stdout.write(self.style.SUCCESS(
            f"backup written to {summary.path}: {m['database']['vendor']} database, "
            f"{m['counts']['audit_events']} audit events, {m['counts']['media_files']} uploaded "
            f"files, {m['counts']['secret_files']} secret files (encrypted)"))
