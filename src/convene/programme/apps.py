from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class ProgrammeConfig(AppConfig):
    name = "convene.programme"
    label = "programme"
    verbose_name = _("Programme and run-of-show")
    menu = [
        MenuItem(_("Programme"), "programme:index", "programme.view_programme", order=10,
                 group="programme", audience="staff"),
        MenuItem(_("Programme"), "programme:index", "programme.view_programme", order=50,
                 group="delegation", audience="delegation"),
    ]
    public_links = [MenuItem(_("Programme of the event"), "programme:agenda", order=10)]
