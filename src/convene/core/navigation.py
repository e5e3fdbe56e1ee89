"""The main menu, assembled from the apps: each AppConfig may declare `menu` items."""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    label: str  # a lazy translation
    url_name: str
    permission: str | None = None  # None: any logged-in user
    order: int = 50


def public_links() -> list[dict]:
    """Pages anyone may read (an AppConfig's `public_links`), listed on the home page."""
    items = [item for config in apps.get_app_configs()
             for item in getattr(config, "public_links", ())]
    return [{"label": i.label, "url": reverse(i.url_name)}
            for i in sorted(items, key=lambda i: i.order)]


def main_menu(user) -> list[dict]:
    items = [item for config in apps.get_app_configs() for item in getattr(config, "menu", ())]
    return [
        {"label": item.label, "url": reverse(item.url_name)}
        for item in sorted(items, key=lambda i: i.order)
        if user.is_authenticated and (item.permission is None or user.has_perm(item.permission))
    ]
