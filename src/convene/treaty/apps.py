from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class TreatyConfig(AppConfig):
    name = "convene.treaty"
    label = "treaty"
    verbose_name = _("Treaty record")
    # The status page is public; in the menu it is there for every logged-in user.
    public_links = [MenuItem(_("Status of the Convention"), "treaty:status", order=20)]
    menu = [
        MenuItem(_("Treaty status"), "treaty:status", None, order=10, group="treaty"),
        MenuItem(_("Depositary"), "treaty:depositary", "treaty.record_action", order=20,
                 group="treaty"),
    ]
