from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from convene.core.navigation import MenuItem


class ProtocolConfig(AppConfig):
    name = "convene.protocol"
    label = "protocol"
    verbose_name = _("Protocol")
    menu = [
        MenuItem(_("Protocol"), "protocol:index", "protocol.view_protocol", order=20,
                 group="programme", audience="staff"),
        # A focal point's tasks: inscribing speakers (on the protocol page, session by session)
        # and booking the signature appointment with the depositary.
        MenuItem(_("Speakers"), "protocol:index", "protocol.view_protocol", order=20,
                 group="delegation", audience="delegation"),
        MenuItem(pgettext_lazy("menu: appointment to sign the treaty", "Signature booking"),
                 "protocol:signing", "protocol.view_protocol", order=30, group="delegation",
                 audience="delegation"),
    ]
