"""Delegations and their members over JSON; the same services and rules as the web pages."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError

from convene.accounts.permissions import visible_delegations
from convene.accreditation.workflow import WorkflowRefused
from convene.core.models import current_event
from convene.delegations import services
from convene.delegations.forms import MemberForm
from convene.delegations.lookups import find_delegation
from convene.delegations.models import Delegation, Member, Rank

router = Router(tags=["delegations"])


class Error(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


class DelegationOut(Schema):
    id: int
    entity_code: str
    name: str
    kind: str
    status: str
    quota: int
    nomination_deadline: datetime
    nominated: int
    approved: int


class MemberIn(Schema):
    title: str = ""
    given_name: str = ""
    family_name: str
    rank: Rank = Rank.OTHER
    function: str = ""
    email: str = ""
    is_head: bool = False


class MemberPatch(Schema):
    title: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    rank: Rank | None = None
    function: str | None = None
    email: str | None = None
    is_head: bool | None = None


class MemberOut(Schema):
    id: int
    delegation_id: int
    title: str
    given_name: str
    family_name: str
    rank: str
    function: str
    email: str
    is_head: bool
    status: str


class Decision(Schema):
    approve: bool


DENIED = {401: Error, 403: Error, 404: Error}


def _out(d) -> dict:
    return {"id": d.pk, "entity_code": d.entity.code, "name": d.entity.localized_name(),
            "kind": d.entity.kind, "status": d.status, "quota": d.quota,
            "nomination_deadline": d.nomination_deadline, "nominated": d.nominated,
            "approved": d.approved}


def _get_delegation(request, pk: int, perm: str) -> Delegation:
    delegation = find_delegation(request.user, pk)
    if not request.user.has_perm(perm, delegation):
        raise HttpError(403, "You may not do this.")
    return delegation


def _validated(data: dict, instance: Member | None = None) -> dict:
    """Check the payload with the web form, so both channels accept exactly the same input."""
    base = {f: getattr(instance, f) for f in MemberForm.Meta.fields} if instance else {}
    # A ModelForm writes into its instance; give it a copy so the service sees the "before".
    copy = Member.objects.get(pk=instance.pk) if instance else None
    form = MemberForm(data={**base, **data}, instance=copy)
    if not form.is_valid():
        raise _FieldError(form.errors.get_json_data())
    return {k: v for k, v in form.cleaned_data.items() if k in data or instance is None}


class _FieldError(Exception):
    def __init__(self, errors):
        self.errors = {k: [e["message"] for e in v] for k, v in errors.items()}


@router.get("", response={200: list[DelegationOut], 401: Error},
            summary="Delegations to the event that you may see")
def list_delegations(request):
    qs = visible_delegations(request.user, Delegation.objects.filter(event=current_event()))
    return [_out(d) for d in services.delegations_with_counts(qs)]


@router.get("/{pk}", response={200: DelegationOut, **DENIED})
def get_delegation(request, pk: int):
    delegation = _get_delegation(request, pk, "delegations.view_delegation")
    return _out(services.delegations_with_counts(Delegation.objects.filter(pk=delegation.pk))[0])


@router.get("/{pk}/members", response={200: list[MemberOut], **DENIED})
def list_members(request, pk: int):
    delegation = _get_delegation(request, pk, "delegations.view_members")
    return list(delegation.members.all())


@router.post("/{pk}/members", response={201: MemberOut, 409: Error, 422: FieldErrors, **DENIED},
             summary="Nominate a person to the delegation")
def nominate(request, pk: int, payload: MemberIn):
    delegation = _get_delegation(request, pk, "delegations.nominate_member")
    try:
        data = _validated(payload.dict())
        return 201, services.nominate_member(request.user, delegation, data)
    except _FieldError as exc:
        return 422, {"detail": "Some fields are not valid.", "errors": exc.errors}
    except services.NominationRefused as exc:
        return 409, {"detail": exc.message}


@router.patch("/{pk}/members/{member_pk}",
              response={200: MemberOut, 409: Error, 422: FieldErrors, **DENIED})
def update(request, pk: int, member_pk: int, payload: MemberPatch):
    _get_delegation(request, pk, "delegations.change_member")
    member = get_object_or_404(Member, pk=member_pk, delegation_id=pk)
    try:
        data = _validated(payload.dict(exclude_none=True), instance=member)
        return 200, services.update_member(request.user, member, data)
    except _FieldError as exc:
        return 422, {"detail": "Some fields are not valid.", "errors": exc.errors}
    except services.NominationRefused as exc:
        return 409, {"detail": exc.message}


@router.post("/{pk}/members/{member_pk}/decision",
             response={200: MemberOut, 409: Error, **DENIED},
             summary="Approve or refuse a person (organiser): the accreditation decision, "
                     "approval only after security vetting has cleared them")
def decide(request, pk: int, member_pk: int, payload: Decision):
    _get_delegation(request, pk, "delegations.approve_member")
    member = get_object_or_404(Member, pk=member_pk, delegation_id=pk)
    try:
        return services.decide_member(request.user, member, payload.approve)
    except WorkflowRefused as exc:
        return 409, {"detail": exc.message}
