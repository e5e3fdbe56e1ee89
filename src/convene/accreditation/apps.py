from django.apps import AppConfig


class AccreditationConfig(AppConfig):
    name = "convene.accreditation"
    label = "accreditation"
    # menu = [MenuItem(_("…"), "accreditation:…", "accreditation.view_…", order=…)]  (see core/navigation.py)
