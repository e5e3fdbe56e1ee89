from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class PressConfig(AppConfig):
    name = "convene.press"
    label = "press"
    verbose_name = _("Press and communications")
    public_links = [MenuItem(_("Newsroom"), "press:newsroom", order=30),
                    MenuItem(_("Media accreditation: apply"), "press:apply", order=31)]
    menu = [
        MenuItem(_("Press"), "press:home", "press.view_home", order=10, group="press"),
        MenuItem(_("Pools"), "press:pools", "press.view_pools", order=20, group="press"),
        MenuItem(_("Media equipment"), "press:equipment", "press.check_equipment", order=30,
                 group="press"),
        MenuItem(_("Newsroom desk"), "press:newsroom_desk", "press.view_drafts", order=40,
                 group="press"),
        MenuItem(_("Media centre"), "press:media_centre", "press.view_media_centre", order=50,
                 group="press"),
        MenuItem(_("Interviews"), "press:interviews", "press.view_interviews", order=60,
                 group="press"),
    ]
