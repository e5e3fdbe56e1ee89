from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from convene.core.models import current_event
from convene.directory.models import Entity, EntityKind

router = Router(tags=["reference data"])


class EventOut(Schema):
    slug: str
    name: str
    theme: str
    venue: str
    city: str
    country: str
    start_date: str
    end_date: str


class EntityOut(Schema):
    code: str
    kind: str
    name_en: str
    names: dict[str, str]
    iso2: str
    acronym: str


class Error(Schema):
    detail: str


@router.get("/event", response={200: EventOut, 404: Error}, auth=None,
            summary="The event this installation serves (public)")
def event(request):
    ev = current_event()
    if ev is None:
        return 404, {"detail": "No event is set up."}
    return {**{f: getattr(ev, f) for f in ("slug", "name", "theme", "venue", "city", "country")},
            "start_date": ev.start_date.isoformat(), "end_date": ev.end_date.isoformat()}


@router.get("/entities", response={200: list[EntityOut], 401: Error, 403: Error},
            summary="States, the EU and organisations, with names in the six UN languages")
def entities(request, kind: EntityKind | None = None):
    if not request.user.has_perm("directory.view_entities"):
        raise PermissionDenied
    qs = Entity.objects.all()
    return qs.filter(kind=kind) if kind else qs
