from datetime import timedelta

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from convene.accounts.models import Role
from convene.core import dashboard
from convene.core.models import current_event
from convene.core.navigation import public_links


@login_not_required
def home(request):
    return render(request, "core/home.html",
                  {"event": current_event(), "public_links": public_links()})


def after_login(request):
    """Send each role to where its work is."""
    user = request.user
    if user.has_perm("core.view_dashboard"):
        return redirect("core:dashboard")
    if Role.FOCAL_POINT in user.role_set():
        ids = sorted(user.focal_point_delegation_ids())
        if len(ids) == 1:
            return redirect("delegations:detail", pk=ids[0])
    if user.has_perm("delegations.view_list"):
        return redirect("delegations:list")
    if user.has_perm("operations.view_operations"):  # task-force members hold no role
        return redirect("operations:task_forces")
    return redirect("entities")


def dashboard_view(request):
    if not request.user.has_perm("core.view_dashboard"):
        raise PermissionDenied
    event = current_event()
    now = timezone.now()
    context = {"summary": dashboard.summarise(event, now, soon=timedelta(days=7))} if event else {}
    return render(request, "core/dashboard.html", context)
