from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class ProtocolConfig(AppConfig):
    name = "convene.protocol"
    label = "protocol"
    verbose_name = _("Protocol")
    menu = [MenuItem(_("Protocol"), "protocol:index", "protocol.view_protocol", order=31)]
