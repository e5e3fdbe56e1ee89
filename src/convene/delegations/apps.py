from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


class DelegationsConfig(AppConfig):
    name = "convene.delegations"
    label = "delegations"
    menu = [MenuItem(_("Delegations"), "delegations:list", "delegations.view_list", order=20)]
