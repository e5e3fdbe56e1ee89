from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class BilateralsConfig(AppConfig):
    name = "convene.bilaterals"
    label = "bilaterals"
    verbose_name = _("Bilateral meetings")
    # Staff find the schedule under Programme & protocol; a focal point's own bilaterals are
    # one of their tasks (the same page: bilaterals:home sends each to theirs).
    menu = [
        MenuItem(_("Bilaterals"), "bilaterals:home", "bilaterals.view_bilaterals", order=40,
                 group="programme", audience="staff"),
        MenuItem(_("Bilaterals"), "bilaterals:home", "bilaterals.view_bilaterals", order=40,
                 group="delegation", audience="delegation"),
    ]
