from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.core.navigation import MenuItem


class ReceptionConfig(AppConfig):
    name = "convene.reception"
    label = "reception"
    verbose_name = _("Reception and logistics")
    menu = [
        MenuItem(pgettext_lazy("menu: reception of delegations", "Reception"), "reception:board",
                 "reception.view_board", order=10, group="reception", audience="staff"),
        MenuItem(_("Daily plans"), "reception:plans", "reception.view_own_plans", order=20,
                 group="reception", audience="staff"),
        # A focal point enters their delegation's travel and follows its daily plan there.
        MenuItem(_("Travel and daily plan"), "reception:plans", "reception.view_own_plans",
                 order=60, group="delegation", audience="delegation"),
    ]
