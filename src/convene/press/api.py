"""The press API; the same services and rules as the web pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from convene.core.models import current_event
from convene.press import newsdesk, services
from convene.press.models import CoverageOpportunity

router = Router(tags=["press"])


class Error(Schema):
    detail: str


class ReleaseOut(Schema):
    reference: str
    kind: str
    language: str
    title: str
    text: str
    published_at: datetime
    revision: int
    corrected: bool
    correction_reason: str
    figures: dict


class PlaceOut(Schema):
    kind: str
    name: str
    outlet: str
    basis: str
    reason: str


class PoolOut(Schema):
    id: int
    title: str
    zone: str
    starts_at: datetime
    ends_at: datetime
    seed: str
    published_at: datetime | None
    places: list[PlaceOut]


@router.get("/releases", auth=None, response={200: list[ReleaseOut]},
            summary="Published releases past their embargo, one item per language",
            url_name="press_releases")
def releases(request):
    event = current_event()
    out = []
    for release in newsdesk.public_releases(event) if event else []:
        for text in release.texts.all():
            revisions = list(text.revisions.all())
            if not revisions:
                continue
            last = revisions[-1]
            out.append({"reference": release.reference, "kind": release.kind,
                        "language": text.language, "title": last.title, "text": last.rendered,
                        "published_at": release.published_at, "revision": last.number,
                        "corrected": last.number > 1, "correction_reason": last.reason,
                        "figures": last.figures})
    return out


@router.get("/pools/{pk}", response={200: PoolOut, 403: Error, 404: Error},
            summary="A published pool list (the coordinator also sees one not yet published)",
            url_name="press_pool")
def pool(request, pk: int):
    if not request.user.has_perm("press.view_pools"):
        raise HttpError(403, "You may not do this.")
    opp = get_object_or_404(CoverageOpportunity.objects.select_related("zone"), pk=pk)
    if not opp.published_at and not request.user.has_perm("press.manage_pools"):
        raise HttpError(404, "Not found.")
    return {"id": opp.pk, "title": opp.title, "zone": opp.zone.code, "starts_at": opp.starts_at,
            "ends_at": opp.ends_at, "seed": opp.seed, "published_at": opp.published_at,
            "places": [{"kind": p.kind, "name": p.profile.member.full_name,
                        "outlet": str(p.profile.member.delegation.entity), "basis": p.basis,
                        "reason": p.reason} for p in services.pool_list(opp)]}
