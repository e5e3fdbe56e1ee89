from django.apps import AppConfig


class BilateralsConfig(AppConfig):
    name = "convene.bilaterals"
    label = "bilaterals"
    # menu = [MenuItem(_("…"), "bilaterals:…", "bilaterals.view_…", order=…)]  (see core/navigation.py)
