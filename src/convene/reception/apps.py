from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class ReceptionConfig(AppConfig):
    name = "convene.reception"
    label = "reception"
    verbose_name = _("Reception and logistics")
    menu = [
        MenuItem(_("Reception"), "reception:board", "reception.view_board", order=62),
        MenuItem(_("Daily plans"), "reception:plans", "reception.view_own_plans", order=63),
    ]
