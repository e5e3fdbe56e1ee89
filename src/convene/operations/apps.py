from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class OperationsConfig(AppConfig):
    name = "convene.operations"
    label = "operations"
    verbose_name = _("Task forces and readiness")
    menu = [
        MenuItem(_("Readiness"), "operations:dashboard", "operations.view_readiness", order=70),
        MenuItem(_("Task forces"), "operations:task_forces", "operations.view_operations",
                 order=71),
        MenuItem(_("Issues"), "operations:board", "operations.view_operations", order=72),
    ]
