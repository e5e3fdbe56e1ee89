from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class AuditConfig(AppConfig):
    name = "convene.audit"
    label = "audit"
    menu = [MenuItem(_("Audit trail"), "audit_trail", "audit.view_trail", order=20,
                     group="reference")]
