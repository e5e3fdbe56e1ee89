from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "convene.press"
    label = "press"
    verbose_name = _("Press and communications")
    menu = []
