from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "convene.operations"
    label = "operations"
    # menu = [MenuItem(_("…"), "operations:…", "operations.view_…", order=…)]  (see core/navigation.py)
