from django.apps import AppConfig


class GatesConfig(AppConfig):
    name = "convene.gates"
    label = "gates"
    # menu = [MenuItem(_("…"), "gates:…", "gates.view_…", order=…)]  (see core/navigation.py)
