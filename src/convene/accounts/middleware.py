from django.conf import settings
from django.shortcuts import redirect

from convene.accounts.models import STAFF_ROLES

# Pages a staff member without 2FA may still reach: setting it up, logging out, static files.
_ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/")


class RequireTwoFactorForStaffMiddleware:
    """With CONVENE_REQUIRE_2FA_FOR_STAFF on, staff roles must activate TOTP before working."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.CONVENE_REQUIRE_2FA_FOR_STAFF and self._needs_setup(request):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _needs_setup(request) -> bool:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_ALLOWED_PREFIXES):
            return False
        if not (user.role_set() & STAFF_ROLES or user.is_superuser):
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
