from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from convene.core.navigation import MenuItem


def own_delegation_url(user) -> str:
    """The focal point's delegation page, or the list when they act for several."""
    from django.urls import reverse

    own = sorted(user.focal_point_delegation_ids())
    if len(own) == 1:
        return reverse("delegations:detail", kwargs={"pk": own[0]})
    return reverse("delegations:list")


class DelegationsConfig(AppConfig):
    name = "convene.delegations"
    label = "delegations"
    menu = [
        MenuItem(_("Delegations"), "delegations:list", "delegations.view_list", order=10,
                 group="delegations", audience="staff"),
        # A focal point's first task: their delegation's page (nominations, accreditation).
        MenuItem(_("Our delegation"), "delegations:list", "delegations.view_list", order=10,
                 group="delegation", audience="delegation", url_for=own_delegation_url),
    ]
