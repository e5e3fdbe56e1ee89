"""The cooperation pages: the officer's inbox, the request form, a case, the directory, the
statistics, the on-call roster. Thin: they check the permission, call a service and render."""

import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.accounts.permissions import require
from convene.audit.services import record
from convene.cooperation import convention as rules
from convene.cooperation import directory as directory_service
from convene.cooperation import services
from convene.cooperation.models import Attachment, Case, Message, OnCallEntry, OnwardTransfer
from convene.core.exports import csv_download


def inbox(request):
    require(request.user, "cooperation.view_cases")
    cases = services.visible_cases(request.user).exclude(status=rules.DRAFT, side="requested")
    incoming = [c for c in cases if c.side == "requested"]
    outgoing = [c for c in cases if c.side == "requesting"]
    stuck = Message.objects.filter(direction="out", status__in=["retrying", "rejected",
                                                                "expired"]).filter(
        case__in=cases).select_related("case")[:50]
    return render(request, "cooperation/inbox.html", {
        "incoming": incoming, "outgoing": outgoing, "stuck": stuck,
        "labels": rules.STATUS_LABELS})


def _form_context(case, kind, missing=None, posted=None):
    states = [e for e in directory_service.entries() if e["state"] != _own_state()]
    elements = rules.ELEMENTS.get(kind, [])
    preservations = Case.objects.filter(side="requesting", kind=rules.PRESERVATION).exclude(
        status=rules.DRAFT)
    values = dict(case.elements) if case else {}
    if posted is not None:
        values = posted
    missing_by_field = {}
    for m in missing or []:
        missing_by_field.setdefault(m.field, []).append(m)
    from django.conf import settings

    names = dict(settings.LANGUAGES)
    codes = sorted(set(names) | {lang for e in states for lang in e.get("languages", [])})
    languages = [(c, names.get(c, c)) for c in codes]
    return {"case": case, "kind": kind, "kinds": rules.kind_choices(), "states": states,
            "languages": languages,
            "elements": elements, "offences": rules.offence_choices(),
            "values": values, "missing": missing or [], "missing_by_field": missing_by_field,
            "preservations": preservations,
            "kind_label": rules.KIND_LABELS.get(kind, ("", ""))}


def _own_state():
    from django.conf import settings

    return settings.CONVENE_NODE_STATE


def _posted(request, kind) -> dict:
    p = request.POST
    elements = {}
    for el in rules.ELEMENTS.get(kind, []):
        if el.kind == "bool":
            elements[el.name] = p.get(el.name) == "on"
        else:
            elements[el.name] = p.get(el.name, "").strip()
    years = p.get("max_penalty_years", "").strip()
    follow = p.get("follow_up_of", "")
    by = p.get("requested_by", "").strip()
    return {
        "kind": kind, "requested_state": p.get("requested_state", ""),
        "language": p.get("request_language", ""), "offence": p.get("offence", ""),
        "max_penalty_years": int(years) if years.isdigit() else None,
        "urgent": p.get("urgent") == "on",
        "requested_by": date.fromisoformat(by) if _is_date(by) else None,
        "personal_data_conditions": p.get("personal_data_conditions", "").strip(),
        "elements": elements,
        "follow_up_of": Case.objects.filter(pk=follow, side="requesting").first()
        if follow.isdigit() else None,
    }


def _is_date(text):
    try:
        date.fromisoformat(text)
        return True
    except ValueError:
        return False


def new_request(request, pk=None):
    """The request form: a kind, the requested State from the directory, the elements the
    Convention asks for. "Send" refuses an incomplete request and says what is missing."""
    case = None
    if pk is not None:
        case = get_object_or_404(Case, pk=pk, side="requesting", status=rules.DRAFT)
        require(request.user, "cooperation.act_on_case", case)
    else:
        require(request.user, "cooperation.draft_request")
    kind = request.POST.get("kind") or request.GET.get("kind") or (case.kind if case else "")
    if kind not in rules.ELEMENTS:
        kind = ""
    if request.method == "POST" and kind:
        data = _posted(request, kind)
        case = services.save_draft(request.user, data, case)
        if request.POST.get("action") == "send":
            try:
                services.send_request(request.user, case)
            except services.Incomplete as exc:
                ctx = _form_context(case, kind, exc.missing, posted=data["elements"])
                return render(request, "cooperation/form.html", ctx, status=200)
            messages.success(request, _("Request sent to %(state)s; its receipt will show on "
                                        "the case.") % {"state": case.requested_state})
            return redirect("cooperation:case", case.pk)
        messages.success(request, _("Draft saved."))
        return redirect("cooperation:edit", case.pk)
    return render(request, "cooperation/form.html", _form_context(case, kind))


def case_detail(request, pk):
    case = get_object_or_404(Case, pk=pk)
    if not request.user.has_perm("cooperation.view_case", case):
        raise PermissionDenied
    services.read_case(request.user, case)
    msgs = case.messages.prefetch_related("receipts", "attachments__custody").order_by("pk")
    return render(request, "cooperation/case.html", {
        "case": case, "msgs": msgs, "elements": rules.ELEMENTS.get(case.kind, []),
        "allowed": [(t, rules.ACTION_LABELS.get(t, t))
                    for t in rules.allowed_messages(case.status, case.side)],
        "grounds": rules.REFUSAL_GROUNDS.items(), "labels": rules.STATUS_LABELS,
        "missing": services.missing(case) if case.status == rules.DRAFT else [],
        "transfers": case.onward_transfers.all()})


@require_POST
def act(request, pk):
    case = get_object_or_404(Case, pk=pk)
    if not request.user.has_perm("cooperation.act_on_case", case):
        raise PermissionDenied
    files = []
    tmpdir = None
    for f in request.FILES.getlist("evidence"):
        tmpdir = tmpdir or tempfile.mkdtemp(prefix="coop-evidence-")
        path = Path(tmpdir) / Path(f.name).name
        with open(path, "wb") as out:
            for chunk in f.chunks():
                out.write(chunk)
        files.append((Path(f.name).name, path))
    action = services.Action(type=request.POST.get("type", ""),
                             text=request.POST.get("text", "").strip(),
                             ground=request.POST.get("recipient", "").strip()
                             if request.POST.get("type") == "transfer_request"
                             else request.POST.get("ground", ""), files=tuple(files))
    try:
        services.act(request.user, case, action)
    except services.Incomplete as exc:
        for m in exc.missing:
            messages.error(request, f"{m.message} (art. {m.cite})" if m.cite else m.message)
    except rules.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Sent; its receipt will show below."))
    return redirect("cooperation:case", case.pk)


@require_POST
def decide_transfer(request, pk):
    transfer = get_object_or_404(OnwardTransfer, pk=pk)
    if not request.user.has_perm("cooperation.act_on_case", transfer.case):
        raise PermissionDenied
    try:
        services.decide_transfer(request.user, transfer, request.POST.get("decision") == "grant")
    except rules.TransitionError as exc:
        messages.error(request, str(exc))
    return redirect("cooperation:case", transfer.case.pk)


def evidence(request, pk):
    att = get_object_or_404(Attachment, pk=pk)
    case = att.message.case
    if case is None or not request.user.has_perm("cooperation.view_case", case):
        raise PermissionDenied
    record(request.user, "cooperation.evidence_read", att,
           summary=f"Evidence {att.name} ({att.sha256[:12]}) opened")
    return FileResponse(open(att.path, "rb"), as_attachment=True, filename=att.name)


def directory_page(request):
    require(request.user, "cooperation.view_directory")
    return render(request, "cooperation/directory.html", {
        "snapshot": directory_service.current(), "entries": directory_service.entries()})


@require_POST
def directory_refresh(request):
    """Fetch the depositary's directory now; a directory that fails its signature is refused
    and the one held stays."""
    require(request.user, "cooperation.view_directory")
    try:
        snap = directory_service.refresh(request.user)
    except directory_service.DirectoryRefused as exc:
        messages.error(request, _("Directory refused: %(why)s") % {"why": exc})
    except OSError:
        messages.error(request, _("The depositary's node cannot be reached; the directory "
                                  "held is unchanged."))
    else:
        messages.success(request, _("Directory version %(v)s verified and held.") % {
            "v": snap.version})
    return redirect("cooperation:directory")


def statistics_page(request):
    require(request.user, "cooperation.view_statistics")
    return render(request, "cooperation/statistics.html", {"rows": services.statistics()})


STAT_COLUMNS = ["requesting_state", "requested_state", "requests", "open", "ack_hours_median",
                "ack_hours_p90", "exec_days_median", "exec_days_p90"]


def statistics_export(request):
    require(request.user, "cooperation.view_statistics")
    rows = services.statistics()
    header = [*STAT_COLUMNS, "by_kind", "refusal_grounds"]
    return csv_download("cooperation-statistics.csv", header, [
        [*(r[c] for c in STAT_COLUMNS),
         "; ".join(f"{k}={v}" for k, v in sorted(r["by_kind"].items())),
         "; ".join(f"{k}={v}" for k, v in sorted(r["refusals"].items()))] for r in rows])


def roster(request):
    require(request.user, "cooperation.manage_roster")
    if request.method == "POST":
        name, email = request.POST.get("name", "").strip(), request.POST.get("email", "").strip()
        if name and "@" in email:
            entry = OnCallEntry.objects.create(name=name, email=email)
            record(request.user, "cooperation.on_call_added", entry, summary=f"On call: {name}")
            return redirect("cooperation:roster")
        messages.error(request, _("Give a name and an e-mail address."))
    return render(request, "cooperation/roster.html",
                  {"entries": OnCallEntry.objects.all()})
