"""Delegation pages: thin, they check the permission, call a service and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.accounts.permissions import visible_delegations
from convene.accreditation.workflow import WorkflowRefused
from convene.core.models import current_event
from convene.core.uploads import UploadRefused
from convene.delegations import services
from convene.delegations.forms import (
    DelegationInviteForm,
    DelegationSettingsForm,
    MemberForm,
    MemberImportForm,
    NoteVerbaleForm,
)
from convene.delegations.lookups import find_delegation
from convene.delegations.models import Delegation, Member


def _delegation(request, pk: int, perm: str = "delegations.view_delegation") -> Delegation:
    delegation = find_delegation(request.user, pk)
    if not request.user.has_perm(perm, delegation):
        raise PermissionDenied
    return delegation


def _member(request, delegation_pk: int, pk: int, perm: str) -> Member:
    member = get_object_or_404(
        Member.objects.select_related("delegation__entity"), pk=pk, delegation_id=delegation_pk)
    if not request.user.has_perm(perm, member):
        raise PermissionDenied
    return member


def delegation_list(request):
    if not request.user.has_perm("delegations.view_list"):
        raise PermissionDenied
    event = current_event()
    delegations = services.delegations_with_counts(
        visible_delegations(request.user, Delegation.objects.filter(event=event)))
    return render(request, "delegations/list.html", {
        "delegations": delegations,
        "can_manage": request.user.has_perm("delegations.manage_delegation"),
    })


def delegation_detail(request, pk: int):
    delegation = _delegation(request, pk)
    user = request.user
    can_view_members = user.has_perm("delegations.view_members", delegation)
    members = (delegation.members.select_related("accreditation__category")
               if can_view_members else Member.objects.none())
    return render(request, "delegations/detail.html", {
        "delegation": delegation,
        "members": members,
        "can_view_members": can_view_members,
        "can_nominate": user.has_perm("delegations.nominate_member", delegation),
        "can_approve": user.has_perm("delegations.approve_member", delegation),
        "can_manage": user.has_perm("delegations.manage_delegation", delegation),
        "can_upload": user.has_perm("delegations.upload_note_verbale", delegation),
        "focal_points": [a.user for a in delegation.focal_point_assignments.select_related("user")]
        if can_view_members else [],
        "quota_left": max(delegation.quota - sum(m.status != "refused" for m in members), 0),
    })


def member_create(request, pk: int):
    delegation = _delegation(request, pk, "delegations.nominate_member")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.nominate_member(request.user, delegation, form.cleaned_data)
        except services.NominationRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("%(name)s has been nominated.") % {"name": member})
            return redirect("delegations:detail", pk=delegation.pk)
    return render(request, "delegations/member_form.html",
                  {"delegation": delegation, "form": form, "member": None})


def member_edit(request, pk: int, member_pk: int):
    member = _member(request, pk, member_pk, "delegations.change_member")
    form = MemberForm(request.POST or None, instance=Member.objects.get(pk=member.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_member(request.user, member, form.cleaned_data)
        except services.NominationRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("The changes to %(name)s are saved.") % {"name": member})
            return redirect("delegations:detail", pk=pk)
    return render(request, "delegations/member_form.html",
                  {"delegation": member.delegation, "form": form, "member": member})


@require_POST
def member_decide(request, pk: int, member_pk: int):
    member = _member(request, pk, member_pk, "delegations.approve_member")
    approve = request.POST.get("decision") == "approve"
    error = None
    try:
        services.decide_member(request.user, member, approve, request.POST.get("reason", ""))
    except WorkflowRefused as exc:  # e.g. security vetting has not cleared the person yet
        error = exc.message
    if request.htmx:
        member = Member.objects.select_related("accreditation__category").get(pk=member.pk)
        return render(request, "delegations/detail.html#member-row", {
            "m": member, "delegation": member.delegation, "can_approve": True,
            "can_nominate": request.user.has_perm("delegations.change_member", member),
            "row_error": error})
    if error:
        messages.error(request, f"{member.full_name}: {error}")
    return redirect("delegations:detail", pk=pk)


def member_import(request, pk: int):
    delegation = _delegation(request, pk, "delegations.nominate_member")
    form = MemberImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.import_members(request.user, delegation, upload.name, upload.read())
        if result.ok:
            messages.success(request, _("%(n)d people nominated from %(file)s.")
                             % {"n": len(result.created), "file": upload.name})
            return redirect("delegations:detail", pk=delegation.pk)
    return render(request, "delegations/import.html",
                  {"delegation": delegation, "form": form, "result": result})


def note_verbale_upload(request, pk: int):
    delegation = _delegation(request, pk, "delegations.upload_note_verbale")
    form = NoteVerbaleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_note_verbale(request.user, delegation,
                                         form.cleaned_data["document"])
        except UploadRefused as exc:
            form.add_error("document", exc.message)
        else:
            messages.success(request, _("The note verbale is attached."))
            return redirect("delegations:detail", pk=delegation.pk)
    return render(request, "delegations/note_verbale.html",
                  {"delegation": delegation, "form": form})


def note_verbale_download(request, pk: int):
    from django.http import FileResponse, Http404

    delegation = _delegation(request, pk, "delegations.view_members")
    if not delegation.note_verbale:
        raise Http404
    return FileResponse(delegation.note_verbale.open("rb"), as_attachment=True)


def delegation_settings(request, pk: int):
    delegation = _delegation(request, pk, "delegations.manage_delegation")
    form = DelegationSettingsForm(request.POST or None,
                                  instance=Delegation.objects.get(pk=delegation.pk))
    if request.method == "POST" and form.is_valid():
        services.update_delegation_settings(request.user, delegation, form.cleaned_data)
        messages.success(request, _("Delegation settings saved."))
        return redirect("delegations:detail", pk=delegation.pk)
    return render(request, "delegations/settings.html", {"delegation": delegation, "form": form})


def delegation_invite(request):
    if not request.user.has_perm("delegations.manage_delegation"):
        raise PermissionDenied
    event = current_event()
    form = DelegationInviteForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        delegation = services.invite_delegation(
            request.user, event, form.cleaned_data["entity"], quota=form.cleaned_data["quota"],
            nomination_deadline=form.cleaned_data["nomination_deadline"])
        messages.success(request, _("%(d)s is invited.") % {"d": delegation})
        return redirect("delegations:detail", pk=delegation.pk)
    return render(request, "delegations/invite.html", {"form": form})

