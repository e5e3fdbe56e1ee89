"""Accreditation over JSON: the same services and rules as the web pages."""

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from convene.accreditation import services
from convene.accreditation.models import BadgeBatch
from convene.accreditation.workflow import WorkflowRefused
from convene.delegations.models import Delegation, Member

router = Router(tags=["accreditation"])


class Error(Schema):
    detail: str


DENIED = {401: Error, 403: Error, 404: Error}


class AccreditationOut(Schema):
    member_id: int
    name: str
    stage: str
    vetting: str | None = None  # only for the secretariat and security
    category: str
    zones: list[str]
    badge: str | None


class VettingIn(Schema):
    cleared: bool
    reason: str = Field("", max_length=2000)


class DecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=2000)


class RevokeIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class BatchOut(Schema):
    id: int
    status: str
    total: int
    done: int
    parts: int
    percent: int


def _member(request, pk: int, perm: str) -> Member:
    member = get_object_or_404(Member.objects.select_related("delegation__entity"), pk=pk)
    if not request.user.has_perm(perm, member):
        raise HttpError(403, "You may not do this.")
    return member


def _out(member: Member, show_vetting: bool) -> dict:
    acc = getattr(member, "accreditation", None)
    badge = next((b for b in acc.badges.all() if b.revoked_at is None), None) if acc else None
    return {
        "member_id": member.pk, "name": member.full_name,
        "stage": acc.stage if acc else "nominated",
        "vetting": (acc.vetting if acc else "") if show_vetting else None,
        "category": acc.category.code if acc else services.default_category(member).code,
        "zones": [z.code for z in services.zones_of(acc)] if acc else [],
        "badge": badge.short_id if badge else None,
    }


def _act(fn, member):
    try:
        fn()
    except WorkflowRefused as exc:
        return 409, {"detail": exc.message}
    member = services.with_accreditations(Member.objects.filter(pk=member.pk)).prefetch_related(
        "accreditation__badges").get()
    return 200, _out(member, True)


@router.get("/delegations/{pk}/people", response={200: list[AccreditationOut], **DENIED},
            summary="Accreditation of a delegation's people", url_name="accreditation_people")
def people(request, pk: int):
    delegation = get_object_or_404(Delegation, pk=pk)
    if not request.user.has_perm("accreditation.view_accreditation", delegation):
        raise HttpError(403, "You may not do this.")
    show_vetting = request.user.has_perm("accreditation.view_vetting")
    members = services.with_accreditations(delegation.members.all()).prefetch_related(
        "accreditation__badges")
    return [_out(m, show_vetting) for m in members]


@router.post("/people/{pk}/submit", response={200: AccreditationOut, 409: Error, **DENIED},
             url_name="accreditation_submit")
def submit(request, pk: int):
    member = _member(request, pk, "accreditation.edit_request")
    return _act(lambda: services.submit(request.user, member), member)


@router.post("/people/{pk}/vetting", response={200: AccreditationOut, 409: Error, **DENIED},
             summary="Record security vetting (security officer)",
             url_name="accreditation_vetting")
def vetting(request, pk: int, payload: VettingIn):
    member = _member(request, pk, "accreditation.vet")
    return _act(lambda: services.record_vetting(request.user, member, payload.cleared,
                                                payload.reason), member)


@router.post("/people/{pk}/decision", response={200: AccreditationOut, 409: Error, **DENIED},
             summary="Approve or refuse an accreditation (organiser)",
             url_name="accreditation_decision")
def decision(request, pk: int, payload: DecisionIn):
    member = _member(request, pk, "accreditation.decide")
    return _act(lambda: services.decide(request.user, member, payload.approve, payload.reason),
                member)


@router.post("/people/{pk}/revoke", response={200: AccreditationOut, 409: Error, **DENIED},
             summary="Revoke an accreditation: its badge is refused at every gate",
             url_name="accreditation_revoke")
def revoke(request, pk: int, payload: RevokeIn):
    member = _member(request, pk, "accreditation.revoke")
    return _act(lambda: services.revoke(request.user, member, payload.reason), member)


@router.get("/batches/{pk}", response={200: BatchOut, **DENIED}, url_name="accreditation_batch")
def batch(request, pk: int):
    if not request.user.has_perm("accreditation.print_badges"):
        raise HttpError(403, "You may not do this.")
    b = get_object_or_404(BadgeBatch, pk=pk)
    return {"id": b.pk, "status": b.status, "total": b.total, "done": b.done, "parts": b.parts,
            "percent": b.percent}
