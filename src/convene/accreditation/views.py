"""Accreditation pages: thin, they check the permission, call a service and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.accreditation import forms, services
from convene.accreditation.models import (
    Accreditation,
    BadgeBatch,
    BatchScope,
    BatchStatus,
    Category,
    Zone,
)
from convene.accreditation.photos import PhotoRefused
from convene.accreditation.storage import private_storage
from convene.accreditation.workflow import Stage, Vetting, WorkflowRefused
from convene.core.models import current_event
from convene.delegations.models import Delegation, Member


def _event():
    event = current_event()
    if event is None:
        raise Http404
    return event


def _member(request, pk: int, perm: str) -> Member:
    member = get_object_or_404(
        Member.objects.select_related("delegation__entity", "delegation__event"), pk=pk)
    if not request.user.has_perm(perm, member):
        raise PermissionDenied
    return member


def _back(member: Member):
    return redirect("accreditation:person", pk=member.pk)


def _refused(request, member, exc):
    messages.error(request, exc.message if isinstance(exc, WorkflowRefused) else str(exc))
    return _back(member)


# --- Queues ---------------------------------------------------------------------------------

QUEUES = {
    "vetting": (_("Awaiting security vetting"),
                Q(accreditation__stage=Stage.SUBMITTED, accreditation__vetting=Vetting.PENDING)),
    "approval": (_("Cleared, awaiting approval"),
                 Q(accreditation__stage=Stage.SUBMITTED, accreditation__vetting=Vetting.CLEARED)),
    "print": (_("Approved, badge not printed"), Q(accreditation__stage=Stage.APPROVED)),
    "collection": (_("Badge printed, not collected"), Q(accreditation__stage=Stage.ISSUED)),
    "all": (_("Everyone"), Q()),
}


def queue(request):
    user = request.user
    if not user.has_perm("accreditation.view_queues"):
        raise PermissionDenied
    event = _event()
    default = "vetting" if user.has_perm("accreditation.vet") and not user.has_perm(
        "accreditation.decide") else "approval"
    which = request.GET.get("queue", default)
    if which not in QUEUES:
        which = default
    members = Member.objects.filter(delegation__event=event).filter(QUEUES[which][1])
    delegation_id = request.GET.get("delegation")
    if delegation_id and delegation_id.isdigit():
        members = members.filter(delegation_id=int(delegation_id))
    rows = list(services.with_accreditations(members).order_by(
        "delegation__entity__name_en", "-is_head", "family_name"))
    counts = Member.objects.filter(delegation__event=event).aggregate(**{
        name: Count("pk", filter=q) for name, (_label, q) in QUEUES.items()})
    actions = []
    if user.has_perm("accreditation.vet") and which == "vetting":
        actions = [("clear", _("Clear vetting")), ("refuse_vetting", _("Refuse (security)"))]
    if user.has_perm("accreditation.decide") and which in ("approval", "print"):
        actions = [("approve", _("Approve")), ("refuse", _("Refuse"))] if which == "approval" \
            else [("refuse", _("Refuse"))]
    return render(request, "accreditation/queue.html", {
        "queues": [(k, label, counts[k]) for k, (label, _q) in QUEUES.items()],
        "current": which, "rows": rows, "actions": actions,
        "delegations": Delegation.objects.filter(event=event).select_related("entity"),
        "delegation_id": int(delegation_id) if delegation_id and delegation_id.isdigit() else None,
        "can_see_vetting": user.has_perm("accreditation.view_vetting"),
    })


@require_POST
def bulk(request):
    user = request.user
    if not (user.has_perm("accreditation.vet") or user.has_perm("accreditation.decide")):
        raise PermissionDenied
    ids = [int(x) for x in request.POST.getlist("members") if x.isdigit()]
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    members = list(Member.objects.filter(pk__in=ids, delegation__event=_event()).select_related(
        "delegation"))
    back = request.POST.get("queue", "")
    target = redirect(reverse("accreditation:queue") + (f"?queue={back}" if back in QUEUES
                                                         else ""))
    if not members:
        messages.error(request, _("Tick at least one person."))
        return target
    if action in ("clear", "refuse_vetting"):
        if action == "refuse_vetting" and not reason.strip():
            messages.error(request, _("Give the reason for refusing security clearance."))
            return target
        result = services.bulk_vet(user, members, action == "clear", reason)
    elif action in ("approve", "refuse"):
        result = services.bulk_decide(user, members, action == "approve", reason)
    else:
        messages.error(request, _("Choose an action."))
        return target
    if result.done:
        messages.success(request, _("%(n)d done.") % {"n": len(result.done)})
    for member, message in result.refused:
        messages.error(request, f"{member.full_name}: {message}")
    return target


# --- One person -------------------------------------------------------------------------------

def person(request, pk: int):
    member = _member(request, pk, "accreditation.view_accreditation")
    user = request.user
    acc = Accreditation.objects.select_related("category", "vetted_by", "decided_by").filter(
        member=member).prefetch_related("category__zones", "zones_granted",
                                        "zones_denied").first()
    event = member.delegation.event
    category = acc.category if acc else services.default_category(member)
    zones = services.zones_of(acc) if acc else list(category.zones.all())
    stage = acc.stage if acc else Stage.NOMINATED
    badges = list(acc.badges.all()) if acc else []
    can = {p: user.has_perm(f"accreditation.{p}", member) for p in (
        "edit_request", "set_access", "vet", "decide", "revoke", "collect", "print_badges",
        "view_vetting", "view_photo")}
    can["operate_gates"] = user.has_perm("gates.operate")
    open_stage = stage not in (Stage.REFUSED, Stage.REVOKED)
    approved = stage in (Stage.APPROVED, Stage.ISSUED, Stage.COLLECTED)
    access_form = forms.AccessForm(event=event, initial={
        "category": category, "zones_granted": list(acc.zones_granted.all()) if acc else [],
        "zones_denied": list(acc.zones_denied.all()) if acc else []})
    return render(request, "accreditation/person.html", {
        "member": member, "acc": acc, "stage": stage,
        "stage_label": Stage(stage).label, "category": category, "zones": zones,
        "badges": badges, "active_badge": next((b for b in badges if not b.revoked_at), None),
        "can": can, "open_stage": open_stage, "approved": approved,
        "photo_exempt": services.workflow.photo_exempt(member.rank, category.photo_required),
        "photo_form": forms.PhotoForm(),
        "category_form": forms.CategoryChoiceForm(event=event, initial={"category": category}),
        "access_form": access_form,
        "vetting_form": forms.VettingForm(), "decision_form": forms.DecisionForm(),
        "revoke_form": forms.RevokeForm(), "collect_form": forms.CollectForm(),
    })


def photo(request, pk: int):
    member = _member(request, pk, "accreditation.view_photo")
    acc = Accreditation.objects.filter(member=member).first()
    field = (acc.photo_thumb if request.GET.get("size") == "thumb" else acc.photo) if acc else None
    if not field:
        raise Http404
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
def photo_upload(request, pk: int):
    member = _member(request, pk, "accreditation.edit_request")
    form = forms.PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("photo", []):
            messages.error(request, error)
        return _back(member)
    try:
        services.upload_photo(request.user, member, form.cleaned_data["photo"].read())
    except (PhotoRefused, WorkflowRefused) as exc:
        return _refused(request, member, exc)
    messages.success(request, _("The photo is saved, cropped to the badge format."))
    return _back(member)


@require_POST
def submit(request, pk: int):
    member = _member(request, pk, "accreditation.edit_request")
    try:
        services.submit(request.user, member)
    except WorkflowRefused as exc:
        return _refused(request, member, exc)
    messages.success(request, _("Submitted for security vetting."))
    return _back(member)


@require_POST
def category(request, pk: int):
    member = _member(request, pk, "accreditation.edit_request")
    form = forms.CategoryChoiceForm(request.POST, event=member.delegation.event)
    if not form.is_valid():
        messages.error(request, _("Choose a category."))
        return _back(member)
    try:
        services.set_category(request.user, member, form.cleaned_data["category"])
    except WorkflowRefused as exc:
        return _refused(request, member, exc)
    messages.success(request, _("The category is saved."))
    return _back(member)


@require_POST
def access(request, pk: int):
    member = _member(request, pk, "accreditation.set_access")
    form = forms.AccessForm(request.POST, event=member.delegation.event)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(member)
    data = form.cleaned_data
    try:
        services.set_access(request.user, member, data["category"], data["zones_granted"],
                            data["zones_denied"])
    except WorkflowRefused as exc:
        return _refused(request, member, exc)
    messages.success(request, _("Category and zones saved."))
    return _back(member)


@require_POST
def vet(request, pk: int):
    member = _member(request, pk, "accreditation.vet")
    form = forms.VettingForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back(member)
    try:
        services.record_vetting(request.user, member, form.cleaned_data["decision"] == "cleared",
                                form.cleaned_data["reason"])
    except WorkflowRefused as exc:
        return _refused(request, member, exc)
    messages.success(request, _("Vetting recorded."))
    return _back(member)


@require_POST
def decide(request, pk: int):
    member = _member(request, pk, "accreditation.decide")
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or refuse."))
        return _back(member)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide(request.user, member, approve, form.cleaned_data["reason"])
    except WorkflowRefused as exc:
        return _refused(request, member, exc)
    messages.success(request, _("Approved.") if approve else _("Refused."))
    return _back(member)


@require_POST
def revoke(request, pk: int):
    member = _member(request, pk, "accreditation.revoke")
    form = forms.RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking."))
        return _back(member)
    try:
        services.revoke(request.user, member, form.cleaned_data["reason"])
    except WorkflowRefused as exc:
        return _refused(request, member, exc)
    messages.success(request, _("Revoked: the badge is refused at every gate."))
    return _back(member)


@require_POST
def collect(request, pk: int):
    member = _member(request, pk, "accreditation.collect")
    form = forms.CollectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write which identity document was checked."))
        return _back(member)
    try:
        services.collect(request.user, member, form.cleaned_data["id_document"])
    except WorkflowRefused as exc:
        return _refused(request, member, exc)
    messages.success(request, _("Badge handed over."))
    return _back(member)


@require_POST
def print_one(request, pk: int):
    member = _member(request, pk, "accreditation.print_badges")
    acc = services.accreditation_of(member)
    scope = BatchScope.REPRINT if acc and acc.stage in (Stage.ISSUED, Stage.COLLECTED) \
        else BatchScope.ALL_APPROVED
    try:
        batch = services.create_batch(request.user, member.delegation.event, scope,
                                      member_ids=[member.pk])
    except WorkflowRefused as exc:
        return _refused(request, member, exc)
    messages.success(request, _("Badge batch %(n)d queued.") % {"n": batch.pk})
    return redirect("accreditation:badges")


# --- Badge batches ------------------------------------------------------------------------------

def badges(request):
    if not request.user.has_perm("accreditation.print_badges"):
        raise PermissionDenied
    event = _event()
    form = forms.BatchForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.create_batch(request.user, event, data["scope"],
                                          delegation=data.get("delegation"),
                                          category=data.get("category"))
        except WorkflowRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Badge batch %(n)d queued: %(t)d badges.")
                             % {"n": batch.pk, "t": batch.total})
            return redirect("accreditation:badges")
    batches = BadgeBatch.objects.filter(event=event).select_related(
        "delegation__entity", "category", "requested_by")[:30]
    waiting = Accreditation.objects.filter(member__delegation__event=event,
                                           stage=Stage.APPROVED).count()
    return render(request, "accreditation/badges.html", {
        "form": form, "batches": batches, "waiting": waiting})


def _batch(request, pk: int) -> BadgeBatch:
    if not request.user.has_perm("accreditation.print_badges"):
        raise PermissionDenied
    return get_object_or_404(BadgeBatch, pk=pk)


def batch_status(request, pk: int):
    """The batch's row, polled by the page while it is in progress. A batch no worker has moved
    on for a while (its worker died) is queued again from here, so watching it is enough."""
    batch = _batch(request, pk)
    if batch.in_progress and services.resume_stalled_batches(batch_id=batch.pk):
        batch.refresh_from_db()
    return render(request, "accreditation/badges.html#batch-row",
                  {"batch": batch, "part_range": range(batch.parts)})


def batch_download(request, pk: int, part: int):
    batch = _batch(request, pk)
    if batch.status != BatchStatus.DONE or not 1 <= part <= batch.parts:
        raise Http404
    name = services.batch_part_name(batch.pk, part - 1)
    storage = private_storage()
    if not storage.exists(name):
        raise Http404
    return FileResponse(storage.open(name, "rb"), content_type="application/pdf",
                        as_attachment=True, filename=name.rsplit("/", 1)[-1])


# --- Accreditation desk -----------------------------------------------------------------------

def desk(request):
    if not request.user.has_perm("accreditation.collect"):
        raise PermissionDenied
    event = _event()
    q = request.GET.get("q", "").strip()
    rows = []
    if q:
        members = Member.objects.filter(delegation__event=event).filter(
            Q(family_name__icontains=q) | Q(given_name__icontains=q))
        rows = list(services.with_accreditations(members.distinct()).order_by("family_name")[:50])
    return render(request, "accreditation/desk.html", {"q": q, "rows": rows})


# --- Configuration ----------------------------------------------------------------------------

def configuration(request):
    if not request.user.has_perm("accreditation.configure"):
        raise PermissionDenied
    event = _event()
    services.ensure_defaults(event, request.user)
    settings_row = services.badge_settings(event)
    zone_form = forms.ZoneForm(event=event)
    validity_form = forms.ValidityForm(initial={"valid_from": settings_row.valid_from,
                                                "valid_until": settings_row.valid_until})
    return render(request, "accreditation/configuration.html", {
        "categories": Category.objects.filter(event=event).prefetch_related("zones"),
        "zones": Zone.objects.filter(event=event), "zone_form": zone_form,
        "validity_form": validity_form, "badge_settings": settings_row,
    })


def category_edit(request, pk: int | None = None):
    if not request.user.has_perm("accreditation.configure"):
        raise PermissionDenied
    event = _event()
    instance = get_object_or_404(Category, pk=pk, event=event) if pk else None
    form = forms.CategoryForm(request.POST or None, instance=instance, event=event)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.save_category(request.user, event,
                                   Category.objects.get(pk=pk) if pk else None, data)
        except WorkflowRefused as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Category saved."))
            return redirect("accreditation:configuration")
    return render(request, "accreditation/category_form.html", {"form": form,
                                                                "category": instance})


@require_POST
def zone_create(request):
    if not request.user.has_perm("accreditation.configure"):
        raise PermissionDenied
    event = _event()
    form = forms.ZoneForm(request.POST, event=event)
    if form.is_valid():
        services.create_zone(request.user, event, form.cleaned_data["code"],
                             form.cleaned_data["name"])
        messages.success(request, _("Zone added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("accreditation:configuration")


@require_POST
def validity(request):
    if not request.user.has_perm("accreditation.configure"):
        raise PermissionDenied
    event = _event()
    form = forms.ValidityForm(request.POST)
    if form.is_valid():
        services.set_validity(request.user, event, form.cleaned_data["valid_from"],
                              form.cleaned_data["valid_until"])
        messages.success(request, _("Badge validity saved; it applies to badges printed from "
                                    "now on."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("accreditation:configuration")

