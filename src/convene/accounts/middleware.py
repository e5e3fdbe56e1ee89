from django.conf import settings
from django.shortcuts import redirect

from convene.accounts.models import STAFF_ROLES
from convene.core.ratelimit import check, client_ip, too_many_requests

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


# The gate devices' own endpoints: a bundle download, online scans and offline uploads.
_GATE_DEVICE_PATHS = "/api/gates/checkpoints/"


class ApiRateLimitMiddleware:
    """Rate limits of the API (issue 16), each a setting in RATE_LIMITS:

    - "api_token": per personal API token, whoever calls with it;
    - "api_address": per client address, for calls with a session or with no login;
    - "gate_device": the gate endpoints, per device (its token, else its browser session,
      else its address), instead of the two above, so that forty gates syncing at once when
      the doors open are not held back by the rest of the API, nor by each other.

    Past a limit the answer is 429 with Retry-After; nothing of the request is run.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            if (retry := self._check(request)) is not None:
                return too_many_requests(request, retry)
        return self.get_response(request)

    @staticmethod
    def _check(request) -> int | None:
        from convene.accounts.services import active_api_token

        limits = settings.RATE_LIMITS
        gate = request.path.startswith(_GATE_DEVICE_PATHS)
        kind, _, raw = request.headers.get("Authorization", "").partition(" ")
        token = active_api_token(raw.strip()) if kind.lower() == "bearer" else None
        if token is not None:
            request.convene_api_token = token  # the auth class need not look it up again
            key = f"token:{token.pk}"
            return check("gate_device" if gate else "api_token", key,
                         limits.get("gate_device" if gate else "api_token"))
        if gate and getattr(request, "session", None) is not None and request.session.session_key:
            return check("gate_device", f"session:{request.session.session_key}",
                         limits.get("gate_device"))
        return check("gate_device" if gate else "api_address", f"ip:{client_ip(request)}",
                     limits.get("gate_device" if gate else "api_address"))
