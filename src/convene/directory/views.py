from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from convene.directory.models import Entity, EntityKind


def entity_list(request):
    if not request.user.has_perm("directory.view_entities"):
        raise PermissionDenied
    kind = request.GET.get("kind", "")
    entities = Entity.objects.all()
    if kind in EntityKind.values:
        entities = entities.filter(kind=kind)
    return render(request, "directory/entities.html",
                  {"entities": entities, "kinds": EntityKind.choices, "kind": kind})
