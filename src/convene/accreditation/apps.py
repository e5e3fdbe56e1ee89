from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class AccreditationConfig(AppConfig):
    name = "convene.accreditation"
    label = "accreditation"
    verbose_name = _("Accreditation and badges")
    menu = [
        MenuItem(_("Accreditation"), "accreditation:queue", "accreditation.view_queues",
                 order=20),
        MenuItem(_("Badges"), "accreditation:badges", "accreditation.print_badges", order=21),
    ]
