from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class BilateralsConfig(AppConfig):
    name = "convene.bilaterals"
    label = "bilaterals"
    verbose_name = _("Bilateral meetings")
    menu = [MenuItem(_("Bilaterals"), "bilaterals:home", "bilaterals.view_bilaterals", order=40)]
