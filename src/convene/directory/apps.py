from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class DirectoryConfig(AppConfig):
    name = "convene.directory"
    label = "directory"
    menu = [MenuItem(_("Reference data"), "entities", "directory.view_entities", order=10,
                     group="reference")]
