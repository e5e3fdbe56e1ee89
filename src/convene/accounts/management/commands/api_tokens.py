"""`convene api_tokens list|revoke`: the secretariat's view of personal API tokens.

`revoke` is for when a laptop or a gate tablet is lost, or a person leaves: every token of a
user (`--user`), or one token by the prefix shown on its owner's page (`--prefix`). Each
revocation is in the audit chain, by the system.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from convene.accounts.models import ApiToken
from convene.accounts.services import revoke_api_token


class Command(BaseCommand):
    help = "Personal API tokens: `list` them, or `revoke` a user's or one by its prefix."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        listing = sub.add_parser("list", help="Every live token: owner, name, scope, last use.")
        listing.add_argument("--user", help="Only this user's (login name).")
        revoke = sub.add_parser("revoke", help="Revoke tokens at once (audited).")
        which = revoke.add_mutually_exclusive_group(required=True)
        which.add_argument("--user", help="Every token of this user (login name).")
        which.add_argument("--prefix", help="The one token with this prefix (cvn_<prefix>_…).")

    def handle(self, *args, subcommand, user=None, prefix=None, **options):
        tokens = ApiToken.objects.select_related("user").filter(revoked_at__isnull=True)
        if user:
            tokens = tokens.filter(user__username=user)
        if subcommand == "list":
            for t in tokens.filter(expires_at__gt=timezone.now()):
                last = (f"{t.last_used_at:%Y-%m-%d %H:%M} from {t.last_used_from}"
                        if t.last_used_at else "never used")
                self.stdout.write(f"cvn_{t.prefix}  {t.user.username}  {t.scope}  {t.name!r}  "
                                  f"expires {t.expires_at:%Y-%m-%d}  {last}")
            return
        if prefix:
            tokens = tokens.filter(prefix=prefix.removeprefix("cvn_").split("_")[0])
        found = list(tokens)
        if not found:
            raise CommandError("No live token matches; nothing was revoked.")
        for token in found:
            revoke_api_token(None, token)
            self.stdout.write(f"revoked cvn_{token.prefix} ({token.user.username}: {token.name})")
