from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings

from convene.core.links import absolute_url


class SiteFromSettings:
    """What allauth's e-mails call the "current site": the platform at SITE_URL. Without the
    sites framework allauth would take it from the request's Host header, which the client
    chooses (the classic poisoning of password-reset links)."""

    name = "Convene"

    @property
    def domain(self) -> str:
        return settings.SITE_URL


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are issued by the secretariat (convene/accounts/services.py), never self-made.
        return False

    def format_email_subject(self, subject: str) -> str:
        return f"[Convene] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every link in an account e-mail (password set or reset, address confirmation) is
        made from SITE_URL: allauth builds them from the request, so each is re-based on it."""
        request = allauth_context.request
        host = request.get_host() if request is not None else None
        context = {key: _rebased(value, host) for key, value in context.items()}
        context["current_site"] = SiteFromSettings()
        super().send_mail(template_prefix, email, context)


def _rebased(value, host: str | None):
    """A link allauth made from the request (scheme://Host/path…) as SITE_URL/path…"""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        return value
    parts = urlsplit(value)
    if host is not None and parts.netloc != host:
        return value  # not one of ours
    path = parts.path + (f"?{parts.query}" if parts.query else "") + (
        f"#{parts.fragment}" if parts.fragment else "")
    return absolute_url(path or "/")
