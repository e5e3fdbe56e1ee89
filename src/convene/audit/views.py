from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from convene.audit.models import AuditEvent


def trail(request):
    if not request.user.has_perm("audit.view_trail"):
        raise PermissionDenied
    page = Paginator(AuditEvent.objects.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/trail.html", {"page": page})
