from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class GatesConfig(AppConfig):
    name = "convene.gates"
    label = "gates"
    verbose_name = _("Gates and checkpoints")
    menu = [
        MenuItem(_("Gates"), "gates:index", "gates.operate", order=10, group="security"),
        MenuItem(_("Security live"), "gates:live", "gates.view_live", order=20,
                 group="security"),
    ]
