from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.core.navigation import MenuItem


class AccreditationConfig(AppConfig):
    name = "convene.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditation and badges")
    menu = [
        MenuItem(_("Accreditation"), "accreditation:queue", "accreditation.view_queues",
                 order=20, group="delegations"),
        MenuItem(pgettext_lazy("menu: badge printing", "Badges"), "accreditation:badges",
                 "accreditation.print_badges", order=21, group="delegations"),
    ]
