from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class CooperationConfig(AppConfig):
    name = "convene.cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation between States Parties")
    menu = [
        MenuItem(_("Cooperation requests"), "cooperation:inbox", "cooperation.view_cases",
                 order=10, group="cooperation"),
        MenuItem(_("Cooperation directory"), "cooperation:directory",
                 "cooperation.view_directory", order=20, group="cooperation"),
        MenuItem(_("Cooperation statistics"), "cooperation:statistics",
                 "cooperation.view_statistics", order=30, group="cooperation"),
        MenuItem(_("24/7 on-call roster"), "cooperation:roster", "cooperation.manage_roster",
                 order=40, group="cooperation"),
    ]
