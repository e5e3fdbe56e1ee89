from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class CoreConfig(AppConfig):
    name = "convene.core"
    label = "core"
    verbose_name = "Convene"
    menu = [MenuItem(_("Dashboard"), "core:dashboard", "core.view_dashboard", order=10,
                     group="operations")]
