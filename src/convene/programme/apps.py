from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "convene.programme"
    label = "programme"
    # menu = [MenuItem(_("…"), "programme:…", "programme.view_…", order=…)]  (see core/navigation.py)
