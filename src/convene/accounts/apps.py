from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "convene.accounts"
    label = "accounts"
    # Personal API tokens are linked from the account bar (base.html), beside two-factor login:
    # they belong to the person, not to a task.

    def ready(self) -> None:
        from convene.accounts import permissions  # noqa: F401  (registers the rules)
