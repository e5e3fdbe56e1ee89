from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class AccountsConfig(AppConfig):
    name = "convene.accounts"
    label = "accounts"
    menu = [MenuItem(_("API tokens"), "team:api_tokens", "accounts.manage_own_tokens",
                     order=98)]

    def ready(self) -> None:
        from convene.accounts import permissions  # noqa: F401  (registers the rules)
