from django.apps import AppConfig


class TreatyConfig(AppConfig):
    name = "convene.treaty"
    label = "treaty"
    # menu = [MenuItem(_("…"), "treaty:…", "treaty.view_…", order=…)]  (see core/navigation.py)
