from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.core.navigation import MenuItem


class OperationsConfig(AppConfig):
    name = "convene.operations"
    label = "operations"
    verbose_name = _("Task forces and readiness")
    menu = [
        MenuItem(_("Readiness"), "operations:dashboard", "operations.view_readiness", order=20,
                 group="operations"),
        MenuItem(_("Task forces"), "operations:task_forces", "operations.view_operations",
                 order=30, group="operations"),
        MenuItem(pgettext_lazy("menu: readiness issues", "Issues"), "operations:board",
                 "operations.view_operations", order=40, group="operations"),
    ]
