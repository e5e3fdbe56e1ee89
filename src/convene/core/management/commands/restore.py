from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from convene.core.backup import PASSPHRASE_ENV, BackupError, check_archive, restore_backup
from convene.core.passphrase import read_passphrase


class Command(BaseCommand):
    help = ("Restore a backup archive made by `convene backup` into this installation's "
            "database, MEDIA_ROOT and CONVENE_VAR_DIR. Every part is checked first (SHA-256, "
            f"passphrase, seal); a bad archive changes nothing. Passphrase: ${PASSPHRASE_ENV}, "
            "--passphrase-file or a prompt. Then run `convene migrate` and `convene audit "
            "verify`.")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--passphrase-file", help="read the passphrase from this file")
        parser.add_argument("--replace", action="store_true",
                            help="overwrite a database that is not empty")
        parser.add_argument("--check", action="store_true",
                            help="only verify the archive (hashes, passphrase, seal)")

    def handle(self, *args, archive, passphrase_file, replace, check, **options):
        passphrase = read_passphrase(passphrase_file, confirm=False)
        if check:
            try:
                manifest = check_archive(Path(archive), passphrase)
            except BackupError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(self.style.SUCCESS(
                f"archive intact: the backup of {manifest['created_at']} "
                f"({manifest['database']['vendor']}, {manifest['counts']['audit_events']} audit "
                "events); every part matches its hash and the seal"))
            return
        try:
            done = restore_backup(Path(archive), passphrase, replace=replace)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"restored the backup of {done['created_at']}: {done['database']} database "
            f"({done['audit_events']} audit events), {done['media_files']} uploaded files, "
            f"{done['secret_files']} secret files"))
        self.stdout.write("Next: `convene migrate` (if this version is newer) and "
                          "`convene audit verify`.")
