from django.apps import AppConfig


class ProtocolConfig(AppConfig):
    name = "convene.protocol"
    label = "protocol"
    # menu = [MenuItem(_("…"), "protocol:…", "protocol.view_…", order=…)]  (see core/navigation.py)
