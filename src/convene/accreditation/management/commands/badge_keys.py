"""Badge signing keys: `convene badge_keys generate | list | withdraw <key id>`.

Private keys are written to CONVENE_BADGE_KEY_DIR (default <CONVENE_VAR_DIR>/badge-keys), never
to the database or git; their public halves are registered in the database for the gates.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from convene.accreditation import credential, keys
from convene.accreditation.models import SigningKey
from convene.accreditation.services import register_public_key
from convene.audit.services import record


class Command(BaseCommand):
    help = "Create (rotate), list or withdraw the Ed25519 keys that sign badges."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("generate", help="create a new key and sign new badges with it")
        sub.add_parser("list", help="list the keys the gates trust and the private keys here")
        withdraw = sub.add_parser("withdraw", help="gates refuse every badge signed with it")
        withdraw.add_argument("key_id")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _generate(self, **options):
        with transaction.atomic():
            kid, public = keys.generate()
            row = register_public_key(kid, credential.public_raw(public).hex())
            record(None, "badges.key_generated", row, after={"key_id": kid}, summary=kid)
        self.stdout.write(f"New badge signing key {kid} in {keys.key_dir()}; badges printed "
                          "from now on are signed with it.")

    def _list(self, **options):
        local = set(keys.private_key_ids())
        try:
            current = keys.current_key_id()
        except keys.NoSigningKey:
            current = None
        for row in SigningKey.objects.all():
            state = "WITHDRAWN" if row.withdrawn_at else "trusted"
            here = " (private key on this server)" if row.key_id in local else ""
            mark = " (current)" if row.key_id == current else ""
            self.stdout.write(f"{row.key_id}  {row.created_at:%Y-%m-%d %H:%M}  {state}{mark}"
                              f"{here}")
        for kid in sorted(local - set(SigningKey.objects.values_list("key_id", flat=True))):
            self.stdout.write(f"{kid}  not yet used to sign (registered at first use)")

    def _withdraw(self, key_id, **options):
        with transaction.atomic():
            row = SigningKey.objects.select_for_update().filter(key_id=key_id).first()
            if row is None:
                raise CommandError(f"no key {key_id!r}")
            if row.withdrawn_at is None:
                row.withdrawn_at = timezone.now()
                row.save(update_fields=["withdrawn_at"])
                record(None, "badges.key_withdrawn", row, after={"key_id": key_id},
                       summary=key_id)
        self.stdout.write(f"Key {key_id} withdrawn: gates refuse its badges from their next "
                          "update; reprint the badges it signed with the current key.")
