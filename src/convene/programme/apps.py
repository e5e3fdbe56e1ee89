from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class ProgrammeConfig(AppConfig):
    name = "convene.programme"
    label = "programme"
    verbose_name = _("Programme and run-of-show")
    menu = [MenuItem(_("Programme"), "programme:index", "programme.view_programme", order=30)]
