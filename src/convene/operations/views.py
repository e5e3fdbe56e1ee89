"""Operations pages: thin — they check the permission, call a service or a summary, render."""

import hashlib

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.core.models import current_event
from convene.operations import checklist_templates, clock, escalation, pdf, reports, services
from convene.operations.charts import burndown_chart
from convene.operations.forms import (
    AssignForm,
    DependencyForm,
    EvidenceForm,
    IssueForm,
    ItemForm,
    MemberForm,
    ResolveForm,
    StatusForm,
    TaskForceForm,
)
from convene.operations.membership import cached_task_force_roles
from convene.operations.models import (
    ChecklistItem,
    Evidence,
    Issue,
    IssueStatus,
    Notification,
    TaskForce,
)
from convene.operations.summary import build_summary


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _event():
    event = current_event()
    if event is None:
        raise Http404("No event has been set up yet.")
    return event


def _clock_context(event) -> dict:
    now = clock.now(event)
    return {"now": now, "exercise_clock": clock.is_shifted(event)}


def _task_force(request, pk: int, perm: str) -> TaskForce:
    tf = get_object_or_404(TaskForce.objects.select_related("event", "lead"), pk=pk)
    _require(request, perm, tf)
    return tf


def _item(request, pk: int, perm: str) -> ChecklistItem:
    item = get_object_or_404(
        ChecklistItem.objects.select_related("task_force__event", "task_force__lead", "owner",
                                             "completed_by"), pk=pk)
    _require(request, perm, item)
    return item


def _issue(request, pk: int, perm: str) -> Issue:
    issue = get_object_or_404(
        Issue.objects.select_related("task_force__event", "task_force__lead", "owner",
                                     "reported_by", "resolved_by", "delegation__entity"), pk=pk)
    _require(request, perm, issue)
    return issue


# --- Leadership ----------------------------------------------------------------------------

def dashboard(request):
    _require(request, "operations.view_readiness")
    event = _event()
    ctx = _clock_context(event)
    services.tick(event, ctx["now"])
    summary = build_summary(event, ctx["now"])
    chart = burndown_chart(summary.burndown, event.start_date,
                           timezone.localtime(ctx["now"]).date())
    from convene.reception.services import readiness_summary

    return render(request, "operations/dashboard.html", {
        **ctx, "summary": summary, "chart": chart,
        "can_report": request.user.has_perm("operations.report_issue"),
        "reception": readiness_summary(event),  # the reception board's open conflicts
    })


def _report(request, task_force=None):
    event = task_force.event if task_force else _event()
    now = clock.now(event)
    services.evaluate_escalations(event, now)
    return reports.build_report(event, now, task_force)


def report(request):
    _require(request, "operations.view_report")
    rep = _report(request)
    return render(request, "operations/report.html", {
        "report": rep, "exercise_clock": clock.is_shifted(rep.event),
        "can_review": request.user.has_perm("operations.record_review", None)})


def task_force_report(request, pk: int):
    tf = _task_force(request, pk, "operations.view_report")
    rep = _report(request, tf)
    return render(request, "operations/report.html", {
        "report": rep, "exercise_clock": clock.is_shifted(rep.event),
        "can_review": request.user.has_perm("operations.record_review", tf)})


def _pdf_response(request, rep, filename: str) -> HttpResponse:
    html = render_to_string("operations/report_print.html", {"report": rep}, request=request)
    response = HttpResponse(pdf.html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def report_pdf(request):
    _require(request, "operations.view_report")
    rep = _report(request)
    return _pdf_response(request, rep, f"readiness-{timezone.localtime(rep.now):%Y%m%d}.pdf")


def task_force_report_pdf(request, pk: int):
    tf = _task_force(request, pk, "operations.view_report")
    rep = _report(request, tf)
    return _pdf_response(request, rep,
                         f"readiness-{tf.area}-{timezone.localtime(rep.now):%Y%m%d}.pdf")


@require_POST
def review_record(request):
    _require(request, "operations.record_review", None)
    services.record_review(request.user, _event())
    messages.success(request, _("The review is recorded: the next report shows what changes "
                                "from now on."))
    return redirect("operations:report")


@require_POST
def task_force_review(request, pk: int):
    tf = _task_force(request, pk, "operations.record_review")
    services.record_review(request.user, tf.event, tf)
    messages.success(request, _("The review is recorded: the next report shows what changes "
                                "from now on."))
    return redirect("operations:task_force_report", pk=tf.pk)


# --- Task forces ---------------------------------------------------------------------------

def task_forces(request):
    _require(request, "operations.view_operations")
    event = _event()
    ctx = _clock_context(event)
    summary = build_summary(event, ctx["now"])
    mine = [i for i in summary.items.values()
            if i.owner_id == request.user.pk and not i.is_done]
    return render(request, "operations/task_forces.html", {
        **ctx, "summary": summary, "my_items": sorted(mine, key=lambda i: i.deadline),
        "can_manage_all": request.user.has_perm("operations.manage_task_forces"),
        "can_report": request.user.has_perm("operations.report_issue"),
        "can_view_readiness": request.user.has_perm("operations.view_readiness"),
    })


@require_POST
def install_defaults(request):
    _require(request, "operations.manage_task_forces")
    created = services.install_default_task_forces(request.user, _event())
    messages.success(request, _("%(n)d task forces created.") % {"n": len(created)})
    return redirect("operations:task_forces")


def _task_force_form(request, task_force=None):
    event = task_force.event if task_force else _event()
    form = TaskForceForm(request.POST or None, event=event,
                         instance=TaskForce.objects.get(pk=task_force.pk) if task_force else None)
    if request.method == "POST" and form.is_valid():
        try:
            tf = services.save_task_force(request.user, event, form.cleaned_data, task_force)
        except services.OperationsRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("%(tf)s is saved.") % {"tf": tf})
            return redirect("operations:task_force", pk=tf.pk)
    return render(request, "operations/task_force_form.html",
                  {"form": form, "task_force": task_force})


def task_force_create(request):
    _require(request, "operations.manage_task_forces")
    return _task_force_form(request)


def task_force_edit(request, pk: int):
    tf = _task_force(request, pk, "operations.manage_task_forces")
    return _task_force_form(request, tf)


def task_force(request, pk: int):
    tf = _task_force(request, pk, "operations.view_operations")
    ctx = _clock_context(tf.event)
    summary = build_summary(tf.event, ctx["now"], tf)
    items = sorted((i for i in summary.items.values() if i.task_force_id == tf.pk),
                   key=lambda i: (i.is_done, i.deadline, i.pk))
    at_risk = {r.item.pk for r in summary.at_risk}
    for item in items:
        item.overdue = not item.is_done and item.deadline < ctx["now"]
        item.at_risk = item.pk in at_risk
    user = request.user
    return render(request, "operations/task_force.html", {
        **ctx, "tf": tf, "items": items, "progress": summary.task_forces[0],
        "members": tf.members.order_by("username"),
        "delegations": tf.delegations.select_related("entity"),
        "open_issues": summary.open_issues,
        "can_manage": user.has_perm("operations.manage_task_force", tf),
        "can_edit": user.has_perm("operations.manage_task_forces"),
        "can_report": user.has_perm("operations.report_issue"),
        "can_view_report": user.has_perm("operations.view_report", tf),
    })


def task_force_members(request, pk: int):
    tf = _task_force(request, pk, "operations.manage_task_force")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_member(request.user, tf, form.cleaned_data["username"])
        messages.success(request, _("%(who)s joined %(tf)s.")
                         % {"who": form.cleaned_data["username"].username, "tf": tf})
        return redirect("operations:task_force_members", pk=tf.pk)
    return render(request, "operations/members.html", {
        "tf": tf, "form": form, "members": tf.members.order_by("username")})


@require_POST
def member_remove(request, pk: int, user_pk: int):
    tf = _task_force(request, pk, "operations.manage_task_force")
    member = get_object_or_404(tf.members, pk=user_pk)
    services.remove_member(request.user, tf, member)
    messages.success(request, _("%(who)s left %(tf)s.") % {"who": member.username, "tf": tf})
    return redirect("operations:task_force_members", pk=tf.pk)


def apply_template(request, pk: int):
    tf = _task_force(request, pk, "operations.manage_task_force")
    templates = checklist_templates.available_templates()
    chosen = next((t for t in templates if t.slug == request.GET.get("template")), templates[0])
    area = request.POST.get("area") or request.GET.get("area") or tf.area
    if area not in chosen.areas:
        area = chosen.areas[0]
    if request.method == "POST":
        keys = request.POST.getlist("keys")
        if not keys:
            messages.error(request, _("Choose at least one item."))
        else:
            try:
                created = services.apply_template(request.user, tf, chosen.slug, keys,
                                                  area=area)
            except services.OperationsRefused as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("%(n)d items created from the template.")
                                 % {"n": len(created)})
                return redirect("operations:task_force", pk=tf.pk)
    have = set(tf.items.exclude(template_key="").values_list("template_key", flat=True))
    section = chosen.for_area(area)
    return render(request, "operations/apply_template.html", {
        "tf": tf, "templates": templates, "template": chosen, "area": area,
        "rows": [{"item": i, "deadline": chosen.deadline(i, tf.event), "have": i.key in have}
                 for i in section]})


# --- Checklist items -----------------------------------------------------------------------

def item_create(request, pk: int):
    tf = _task_force(request, pk, "operations.manage_task_force")
    form = ItemForm(request.POST or None, task_force=tf, initial={"owner": tf.lead})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(request.user, tf, form.cleaned_data)
        except services.OperationsRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("“%(item)s” is on the checklist.") % {"item": item})
            return redirect("operations:task_force", pk=tf.pk)
    return render(request, "operations/item_form.html", {"tf": tf, "form": form, "item": None})


def item_edit(request, pk: int):
    item = _item(request, pk, "operations.manage_task_force")
    form = ItemForm(request.POST or None, task_force=item.task_force,
                    instance=ChecklistItem.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(request.user, item, form.cleaned_data)
        except services.OperationsRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("operations:item", pk=item.pk)
    return render(request, "operations/item_form.html",
                  {"tf": item.task_force, "form": form, "item": item})


def _item_page(request, item, *, status_form=None, evidence_form=None, dependency_form=None):
    user = request.user
    event = item.task_force.event
    depends_on = list(item.depends_on.select_related("task_force", "owner"))
    dependents = list(item.dependents.select_related("task_force", "owner"))
    ctx = _clock_context(event)
    return render(request, "operations/item.html", {
        **ctx, "item": item, "tf": item.task_force,
        "depends_on": depends_on, "dependents": dependents,
        "blocking": [d for d in depends_on if not d.is_done],
        "evidence": item.evidence.select_related("added_by"),
        "overdue": not item.is_done and item.deadline < ctx["now"],
        "can_change": user.has_perm("operations.change_item", item),
        "can_manage": user.has_perm("operations.manage_task_force", item),
        "status_form": status_form or StatusForm(initial={"status": item.status}),
        "evidence_form": evidence_form or EvidenceForm(),
        "dependency_form": dependency_form or DependencyForm(item=item),
    })


def item_detail(request, pk: int):
    return _item_page(request, _item(request, pk, "operations.view_operations"))


@require_POST
def item_status(request, pk: int):
    item = _item(request, pk, "operations.change_item")
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.set_item_status(request.user, item, form.cleaned_data["status"])
        except services.OperationsRefused as exc:
            form.add_error("status", exc.message)
        else:
            return redirect("operations:item", pk=item.pk)
    return _item_page(request, item, status_form=form)


@require_POST
def item_evidence(request, pk: int):
    item = _item(request, pk, "operations.change_item")
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        kwargs = {"kind": form.cleaned_data["kind"], "note": form.cleaned_data["note"],
                  "filename": upload.name if upload else "",
                  "content": upload.read() if upload else None}
        try:
            if form.cleaned_data["done"]:
                services.add_evidence_and_complete(request.user, item, **kwargs)
            else:
                services.add_evidence(request.user, item, **kwargs)
        except services.OperationsRefused as exc:
            form.add_error(exc.field if exc.field in form.fields else "done", exc.message)
        else:
            messages.success(request, _("Evidence added.") if not form.cleaned_data["done"]
                             else _("Evidence added and the item is done."))
            return redirect("operations:item", pk=item.pk)
    return _item_page(request, item, evidence_form=form)


def evidence_file(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("item"), pk=pk)
    _require(request, "operations.view_operations", evidence.item)
    if not evidence.file:
        raise Http404
    inline = evidence.content_type.startswith("image/") or (
        evidence.content_type == "application/pdf")
    return FileResponse(evidence.file.open("rb"), content_type=evidence.content_type,
                        as_attachment=not inline, filename=evidence.original_name or None)


@require_POST
def item_dependency_add(request, pk: int):
    item = _item(request, pk, "operations.manage_task_force")
    form = DependencyForm(request.POST, item=item)
    if form.is_valid():
        try:
            services.add_dependency(request.user, item, form.cleaned_data["dependency"])
        except services.OperationsRefused as exc:
            form.add_error("dependency", exc.message)
        else:
            return redirect("operations:item", pk=item.pk)
    return _item_page(request, item, dependency_form=form)


@require_POST
def item_dependency_remove(request, pk: int, dep_pk: int):
    item = _item(request, pk, "operations.manage_task_force")
    dependency = get_object_or_404(item.depends_on, pk=dep_pk)
    services.remove_dependency(request.user, item, dependency)
    return redirect("operations:item", pk=item.pk)


# --- Issues --------------------------------------------------------------------------------

def _board_etag(event, now, issues) -> str:
    # Countdowns change every minute, so the minute is part of what the panel shows.
    stamp = "|".join(f"{i.pk}:{i.updated_at.timestamp()}" for i in issues)
    return hashlib.sha256(f"{now:%Y%m%d%H%M}|{stamp}".encode()).hexdigest()[:32]


def board(request):
    _require(request, "operations.view_operations")
    event = _event()
    ctx = _clock_context(event)
    services.evaluate_escalations(event, ctx["now"])
    issues = list(Issue.objects.filter(task_force__event=event, status=IssueStatus.OPEN)
                  .select_related("task_force", "owner", "delegation__entity"))
    panel = bool(request.GET.get("panel"))
    # The panel polled by htmx every few seconds: an unchanged panel costs one 304.
    etag = f'"{_board_etag(event, ctx["now"], issues)}"'
    if panel and request.headers.get("If-None-Match") == etag:
        return HttpResponseNotModified()
    issues.sort(key=lambda i: (i.escalated_at is None, -_SEVERITY[i.severity], i.reported_at))
    for issue in issues:
        issue.escalates_at = escalation.escalates_at(services.issue_state(issue))
        issue.time_left = issue.escalates_at - ctx["now"] if issue.escalates_at else None
    context = {**ctx, "issues": issues,
               "can_report": request.user.has_perm("operations.report_issue")}
    if not panel:
        return render(request, "operations/board.html", context)
    response = render(request, "operations/board.html#board-panel", context)
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


_SEVERITY = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def issue_report(request):
    _require(request, "operations.report_issue")
    event = _event()
    initial = {}
    # The task force named in the link, else the reporter's own (the usual case on a phone).
    own = cached_task_force_roles(request.user)
    tf_pk = request.GET.get("task_force") or (min(own, key=own.get) if own else None)
    if tf_pk:
        initial["task_force"] = TaskForce.objects.filter(event=event, pk=tf_pk).first()
    form = IssueForm(request.POST or None, event=event, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            issue = services.report_issue(request.user, data.pop("task_force"), data)
        except services.OperationsRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("The issue is reported to %(tf)s.")
                             % {"tf": issue.task_force})
            return redirect("operations:issue", pk=issue.pk)
    venues = sorted({v for tf in TaskForce.objects.filter(event=event) for v in tf.venue_list})
    return render(request, "operations/issue_form.html", {"form": form, "venues": venues})


def _issue_page(request, issue, *, resolve_form=None, assign_form=None):
    user = request.user
    ctx = _clock_context(issue.task_force.event)
    return render(request, "operations/issue.html", {
        **ctx, "issue": issue, "state": services.issue_state(issue),
        "can_handle": user.has_perm("operations.handle_issue", issue),
        "can_assign": user.has_perm("operations.manage_task_force", issue),
        "resolve_form": resolve_form or ResolveForm(),
        "assign_form": assign_form or AssignForm(task_force=issue.task_force,
                                                 initial={"owner": issue.owner}),
    })


def issue_detail(request, pk: int):
    return _issue_page(request, _issue(request, pk, "operations.view_operations"))


@require_POST
def issue_resolve(request, pk: int):
    issue = _issue(request, pk, "operations.handle_issue")
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.resolve_issue(request.user, issue, form.cleaned_data["resolution"])
        except services.OperationsRefused as exc:
            form.add_error("resolution", exc.message)
        else:
            messages.success(request, _("The issue is resolved."))
            return redirect("operations:issue", pk=issue.pk)
    return _issue_page(request, issue, resolve_form=form)


@require_POST
def issue_assign(request, pk: int):
    issue = _issue(request, pk, "operations.manage_task_force")
    form = AssignForm(request.POST, task_force=issue.task_force)
    if form.is_valid():
        services.assign_issue(request.user, issue, form.cleaned_data["owner"])
        return redirect("operations:issue", pk=issue.pk)
    return _issue_page(request, issue, assign_form=form)


@require_POST
def issue_escalate(request, pk: int):
    issue = _issue(request, pk, "operations.handle_issue")
    try:
        services.escalate_issue(request.user, issue)
    except services.OperationsRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The issue is with the organising committee."))
    return redirect("operations:issue", pk=issue.pk)


# --- Notifications -------------------------------------------------------------------------

def notifications(request):
    _require(request, "operations.view_notifications")
    rows = Notification.objects.filter(user=request.user).select_related(
        "item__task_force", "issue__task_force")[:100]
    return render(request, "operations/notifications.html", {"notifications": rows})


@require_POST
def notifications_read(request):
    services.mark_notifications_read(request.user)
    return redirect("operations:notifications")

