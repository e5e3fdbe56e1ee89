"""The main menu, assembled from the apps: each AppConfig may declare `menu` items.

Each item names its `group` (one of GROUPS, in their order): the summit's staff see the menu
as labelled groups (Delegations, Programme & protocol, Security, Operations, Treaty,
Reference & audit …); a focal point sees a short list of their own tasks, since their items are
few (their delegation, speakers, signature booking, bilaterals, the programme). `audience`
keeps an item for one side: "staff" (the secretariat and the units working for all
delegations) or "delegation" (everyone else: focal points and the people acting for
themselves). A group marked `staff_only` (Reference & audit) is never shown to the delegation
side, whatever the permissions say. `main_menu(user)` returns plain data; the base template
renders it (one `<nav>`, no script needed).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str  # a lazy translation
    order: int
    staff_only: bool = False


# The groups, in the order the menu shows them. An app adds its items to one of these; a group
# with no item a user may see is not shown to them.
GROUPS = {g.key: g for g in [
    MenuGroup("delegation", pgettext_lazy("menu group", "Your delegation"), 5),
    MenuGroup("delegations", pgettext_lazy("menu group", "Delegations"), 10),
    MenuGroup("programme", pgettext_lazy("menu group", "Programme & protocol"), 20),
    MenuGroup("reception", pgettext_lazy("menu group", "Reception & logistics"), 30),
    MenuGroup("security", pgettext_lazy("menu group", "Security"), 40),
    MenuGroup("operations", pgettext_lazy("menu group", "Operations"), 50),
    MenuGroup("press", pgettext_lazy("menu group", "Press & communications"), 60),
    MenuGroup("treaty", pgettext_lazy("menu group", "Treaty"), 70),
    MenuGroup("cooperation", pgettext_lazy("menu group", "Cooperation"), 80),
    MenuGroup("reference", pgettext_lazy("menu group", "Reference & audit"), 90,
              staff_only=True),
]}
DEFAULT_GROUP = "operations"

# Roles (accounts.models.Role values; this module is imported while apps load, before models)
# of the summit's own staff: they see the grouped menu and the reference/audit items. Focal
# points, journalists, media focal points and the cooperation channel's officers do not.
STAFF_ROLES = frozenset({
    "organiser", "observer", "task_force_lead", "security_officer", "press_officer",
    "depositary", "reception_officer", "liaison_officer", "dispatcher",
    "communications_officer", "release_approver",
})
# Up to this many links, the menu is one list even for staff (groups would only add noise).
FLAT_LIMIT = 6


@dataclass(frozen=True)
class MenuItem:
    label: str  # a lazy translation
    url_name: str
    permission: str | None = None  # None: any logged-in user
    order: int = 50  # within its group
    group: str = DEFAULT_GROUP  # a key of GROUPS
    audience: str = "all"  # "all", "staff" or "delegation"
    url_for: Callable | None = None  # user -> URL, for links that depend on the user


def is_staff_user(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user.role_set() & STAFF_ROLES))


def public_links() -> list[dict]:
    """Pages anyone may read (an AppConfig's `public_links`), listed on the home page."""
    items = [item for config in apps.get_app_configs()
             for item in getattr(config, "public_links", ())]
    return [{"label": i.label, "url": reverse(i.url_name)}
            for i in sorted(items, key=lambda i: i.order)]


def menu_items() -> list[MenuItem]:
    return [item for config in apps.get_app_configs() for item in getattr(config, "menu", ())]


def _shown(item: MenuItem, user, staff: bool) -> bool:
    group = GROUPS.get(item.group, GROUPS[DEFAULT_GROUP])
    if group.staff_only and not staff:
        return False
    if item.audience == "staff" and not staff or item.audience == "delegation" and staff:
        return False
    return item.permission is None or user.has_perm(item.permission)


def main_menu(user, path: str = "") -> dict:
    """What the menu shows `user`: {"grouped": bool, "groups": [{"key", "label", "items":
    [{"label", "url", "current"}]}]}, groups in GROUPS order, empty ones left out. `path` (the
    current page) marks the item it belongs to as current."""
    if user is None or not user.is_authenticated:
        return {"grouped": False, "groups": []}
    staff = is_staff_user(user)
    by_group: dict[str, list] = {}
    for item in menu_items():
        if _shown(item, user, staff):
            key = item.group if item.group in GROUPS else DEFAULT_GROUP
            by_group.setdefault(key, []).append(item)
    groups = []
    for key in sorted(by_group, key=lambda k: GROUPS[k].order):
        entries = []
        for item in sorted(by_group[key], key=lambda i: i.order):
            url = item.url_for(user) if item.url_for else reverse(item.url_name)
            entries.append({"label": item.label, "url": url})
        groups.append({"key": key, "label": GROUPS[key].label, "items": entries})
    _mark_current(groups, path)
    count = sum(len(g["items"]) for g in groups)
    return {"grouped": staff and len(groups) > 1 and count > FLAT_LIMIT, "groups": groups}


def _mark_current(groups: list[dict], path: str) -> None:
    """The item whose URL is the longest prefix of the current path is the current one."""
    best = None
    for g in groups:
        for entry in g["items"]:
            entry["current"] = False
            url = entry["url"]
            if path and (path == url or path.startswith(url.rstrip("/") + "/")) and url != "/":
                if best is None or len(url) > len(best["url"]):
                    best = entry
    if best is not None:
        best["current"] = True
