from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from convene.core.demo import load_demo


class Command(BaseCommand):
    help = "Load the Hanoi 2025 demo (reference data, delegations, one account per role)."

    def handle(self, *args, **options):
        # The demo's invented people would otherwise "receive" dozens of emails on the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Hanoi demo loaded. Demo logins (demo data only):"))
        for login in logins:
            where = f"  [{login.delegation}]" if login.delegation else ""
            self.stdout.write(f"  {login.username:<14} / {login.password}   {login.role}{where}")
