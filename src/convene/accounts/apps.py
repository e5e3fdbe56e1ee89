from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "convene.accounts"
    label = "accounts"

    def ready(self) -> None:
        from convene.accounts import permissions  # noqa: F401  (registers the rules)
