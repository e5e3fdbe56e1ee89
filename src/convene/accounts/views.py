from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from convene.accounts import services
from convene.accounts.forms import FocalPointForm
from convene.delegations.models import Delegation


def focal_point_add(request, pk: int):
    delegation = get_object_or_404(Delegation.objects.select_related("entity"), pk=pk)
    if not request.user.has_perm("delegations.manage_delegation", delegation):
        raise PermissionDenied
    form = FocalPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.add_focal_point(request.user, delegation, **form.cleaned_data)
        services.send_password_link(request, user)  # the account is committed by now
        messages.success(request, _("%(user)s is now a focal point of %(d)s; a link to set "
                                    "the password was sent to %(email)s.")
                         % {"user": user.username, "d": delegation, "email": user.email})
        return redirect("delegations:detail", pk=delegation.pk)
    return render(request, "accounts/focal_point_form.html",
                  {"delegation": delegation, "form": form})
