from django.core.exceptions import PermissionDenied
from django.http import Http404

from convene.delegations.models import Delegation


def find_delegation(user, pk: int) -> Delegation:
    """The delegation `pk`; 404 only to those who may see every delegation.

    Anyone else (a focal point) gets 403 for a missing delegation as for someone else's, so
    probing numbers does not reveal which delegations exist.
    """
    delegation = Delegation.objects.select_related("entity", "event").filter(pk=pk).first()
    if delegation is None:
        if user.has_perm("delegations.view_delegation"):
            raise Http404
        raise PermissionDenied
    return delegation
