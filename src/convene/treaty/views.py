"""Treaty pages: the public status table, the Convention's structure and the depositary
notifications (public, as on the UN Treaty Collection), and the depositary's workspace.
Thin: they check the permission, call a service and render."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.core.exports import download
from convene.core.models import current_event
from convene.treaty import forms, services, timeline
from convene.treaty.models import (
    Denunciation,
    DepositaryNotification,
    Instrument,
    Objection,
    SignatureSource,
    Statement,
)


def _treaty():
    treaty = services.current_treaty()
    if treaty is None:
        raise Http404("No treaty has been set up.")
    return treaty


def _depositary(request):
    if not request.user.has_perm(services.PERMISSION):
        raise PermissionDenied
    return _treaty()


# --- Public ---------------------------------------------------------------------------------

@login_not_required
def status_page(request):
    treaty = services.current_treaty()
    if treaty is None:
        return render(request, "treaty/status.html", {"treaty": None})
    st = services.status(treaty)
    clauses = treaty.clauses()
    kinds = {k.code: k for k in clauses.statements}
    for row in st.rows:
        for statement in row.statements:
            statement.info = kinds.get(statement.kind)
    signatures, instruments = services.chart_changes(st)
    today = timezone.localdate()
    chart = timeline.build(
        signatures=signatures, instruments=instruments, start=clauses.opens,
        end=max([today, *(d for d, _ in signatures + instruments)]),
        threshold=clauses.entry_into_force.instruments_required,
        entry_into_force=st.entry_into_force.date)
    return render(request, "treaty/status.html", {
        "treaty": treaty, "status": st, "clauses": clauses, "chart": chart,
        "rule": clauses.entry_into_force,
        "can_record": request.user.has_perm(services.PERMISSION),
    })


@login_not_required
def status_csv(request):
    st = services.status(_treaty())
    return download(services.status_csv(st), f"{st.treaty.code}-status.csv",
                    "text/csv; charset=utf-8")


@login_not_required
def status_json(request):
    st = services.status(_treaty())
    response = HttpResponse(json.dumps(services.status_json(st), ensure_ascii=False, indent=1),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{st.treaty.code}-status.json"'
    return response


@login_not_required
def convention_page(request):
    treaty = _treaty()
    chapters = services.articles(treaty)
    return render(request, "treaty/convention.html", {
        "treaty": treaty, "clauses": treaty.clauses(), "rule": treaty.clauses().entry_into_force,
        "chapters": chapters,
        "unverified": sum(1 for ch in chapters for a in ch.articles if not a.verified),
        "can_confirm": request.user.has_perm(services.CONFIRM_TITLES)})


def article_confirm(request, number: int):
    """An organiser confirms an unverified article title against the official text."""
    if not request.user.has_perm(services.CONFIRM_TITLES):
        raise PermissionDenied
    treaty = _treaty()
    article = next((a for ch in services.articles(treaty) for a in ch.articles
                    if a.number == number), None)
    if article is None:
        raise Http404
    form = forms.ArticleTitleForm(request.POST or None, initial={"title": article.title})
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_article_title(request.user, number,
                                           title=form.cleaned_data["title"],
                                           source=form.cleaned_data["source"], treaty=treaty)
        except services.ActionRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The title of article %(n)s is confirmed.")
                             % {"n": number})
            return redirect(f"{reverse('treaty:convention')}#article-{number}")
    return render(request, "treaty/form.html", {
        "treaty": treaty, "form": form, "article": article,
        "title": _("Confirm the title of article %(n)s") % {"n": number},
        "button": _("Confirm against the official text")})


@login_not_required
def notification_list(request):
    treaty = _treaty()
    notifications = treaty.notifications.select_related("entity", "treaty")
    return render(request, "treaty/notifications.html",
                  {"treaty": treaty, "notifications": notifications})


@login_not_required
def notification_detail(request, pk: int):
    cn = get_object_or_404(DepositaryNotification.objects.select_related("treaty", "entity"),
                           pk=pk)
    return render(request, "treaty/notification.html", {"cn": cn, "treaty": cn.treaty})


# --- The depositary's workspace -------------------------------------------------------------

def depositary_home(request):
    treaty = _depositary(request)
    instruments = Instrument.objects.filter(treaty=treaty).select_related("entity")
    statements = Statement.objects.filter(treaty=treaty).select_related("entity")
    kinds = {k.code: k for k in treaty.clauses().statements}
    return render(request, "treaty/depositary.html", {
        "treaty": treaty, "instruments": instruments,
        "denunciations": Denunciation.objects.filter(treaty=treaty).select_related("entity"),
        "objections": Objection.objects.filter(treaty=treaty).select_related(
            "entity", "statement__entity"),
        "statements": [(s, kinds.get(s.kind)) for s in statements],
        "recent": treaty.notifications.select_related("treaty")[:5],
        "withdrawal_form": forms.WithdrawalForm(),
    })


def _refused(form, exc):
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


def signature_new(request):
    treaty = _depositary(request)
    form = forms.SignatureForm(request.POST or None, treaty=treaty)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signature = services.record_signature(
                request.user, data["entity"], signed_on=data["signed_on"], place=data["place"],
                signatory_name=data["signatory_name"], capacity=data["signatory_capacity"],
                signatory_function=data["signatory_function"],
                full_powers_checked=data["full_powers_checked"], treaty=treaty)
        except services.ActionRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The signature of %(p)s is recorded.")
                             % {"p": signature.entity})
            return redirect("treaty:depositary")
    return render(request, "treaty/form.html", {
        "treaty": treaty, "form": form, "title": _("Record a signature"),
        "button": _("Record the signature")})


def instrument_new(request):
    treaty = _depositary(request)
    form = forms.InstrumentForm(request.POST or None, treaty=treaty)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instrument = services.deposit_instrument(
                request.user, data["entity"], kind=data["kind"],
                deposited_on=data["deposited_on"], treaty=treaty)
        except services.ActionRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The instrument of %(p)s is recorded.")
                             % {"p": instrument.entity})
            return redirect("treaty:depositary")
    return render(request, "treaty/form.html", {
        "treaty": treaty, "form": form, "title": _("Record the deposit of an instrument"),
        "button": _("Record the instrument")})


def statement_new(request):
    treaty = _depositary(request)
    form = forms.StatementForm(request.POST or None, treaty=treaty)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            statement = services.make_statement(
                request.user, data["entity"], kind=data["kind"], made_at=data["made_at"],
                made_on=data["made_on"], text=data["text"], treaty=treaty)
        except services.ActionRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The communication of %(p)s is recorded.")
                             % {"p": statement.entity})
            return redirect("treaty:depositary")
    return render(request, "treaty/form.html", {
        "treaty": treaty, "form": form,
        "title": _("Record a reservation, declaration or notification"),
        "button": _("Record it")})


def denunciation_new(request):
    treaty = _depositary(request)
    form = forms.DenunciationForm(request.POST or None, treaty=treaty)
    if request.method == "POST" and form.is_valid():
        try:
            d = services.denounce(request.user, form.cleaned_data["entity"],
                                  received_on=form.cleaned_data["received_on"], treaty=treaty)
        except services.ActionRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The denunciation of %(p)s is recorded; it takes "
                                        "effect on %(d)s.")
                             % {"p": d.entity, "d": date_format(d.takes_effect_on, "j F Y")})
            return redirect("treaty:depositary")
    return render(request, "treaty/form.html", {
        "treaty": treaty, "form": form, "title": _("Record a denunciation"),
        "button": _("Record the denunciation")})


def objection_new(request):
    treaty = _depositary(request)
    form = forms.ObjectionForm(request.POST or None, treaty=treaty,
                               initial={"statement": request.GET.get("statement", "")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            o = services.object_to(request.user, data["statement"], data["entity"],
                                   made_on=data["made_on"], text=data["text"],
                                   precludes_entry_into_force=data[
                                       "precludes_entry_into_force"])
        except services.ActionRefused as exc:
            _refused(form, exc)
        else:
            messages.success(request, _("The objection of %(p)s is recorded.") % {"p": o.entity})
            return redirect("treaty:depositary")
    return render(request, "treaty/form.html", {
        "treaty": treaty, "form": form,
        "title": _("Record an objection to a reservation or declaration"),
        "button": _("Record the objection")})


def _withdraw(request, obj, service, partial: str, context_name: str):
    form = forms.WithdrawalForm(request.POST)
    error = None
    if form.is_valid():
        try:
            obj = service(request.user, obj, withdrawn_on=form.cleaned_data["withdrawn_on"])
        except services.ActionRefused as exc:
            error = exc.message
    else:
        error = _("Give the date of the withdrawal.")
    if request.htmx:
        obj.refresh_from_db()
        extra = {}
        if isinstance(obj, Statement):
            extra["kind"] = obj.treaty.clauses().statement_kind(obj.kind)
        return render(request, f"treaty/depositary.html#{partial}", {
            context_name: obj, "error": error, "withdrawal_form": form if error else
            forms.WithdrawalForm(), **extra})
    if error:
        messages.error(request, f"{obj.entity}: {error}")
    else:
        messages.success(request, _("The withdrawal is recorded."))
    return redirect("treaty:depositary")


@require_POST
def instrument_withdraw(request, pk: int):
    treaty = _depositary(request)
    instrument = get_object_or_404(Instrument.objects.select_related("entity", "treaty"),
                                   pk=pk, treaty=treaty)
    return _withdraw(request, instrument, services.withdraw_instrument, "instrument-row", "i")


@require_POST
def statement_withdraw(request, pk: int):
    treaty = _depositary(request)
    statement = get_object_or_404(Statement.objects.select_related("entity", "treaty"), pk=pk,
                                  treaty=treaty)
    return _withdraw(request, statement, services.withdraw_statement, "statement-row", "s")


def ceremony(request):
    treaty = _depositary(request)
    event = current_event()
    period = services.ceremony_period(event, treaty)
    rows = services.ceremony_rows(event, treaty) if event else []
    return render(request, "treaty/ceremony.html", {
        "treaty": treaty, "event": event, "period": period, "rows": rows,
        "days": _days(period), "capacities": forms.SignatoryCapacity.choices,
        "signed": sum(1 for r in rows if r.signature)})


def _days(period):
    from datetime import timedelta

    days, day = [], period.start
    while day <= period.end and len(days) < 7:  # a ceremony lasts days, not months
        days.append(day)
        day += timedelta(days=1)
    return days


@require_POST
def ceremony_sign(request, delegation_pk: int):
    from convene.delegations.models import Delegation

    treaty = _depositary(request)
    event = current_event()
    delegation = get_object_or_404(Delegation.objects.select_related("entity"),
                                   pk=delegation_pk, event=event)
    period = services.ceremony_period(event, treaty)
    form = forms.CeremonySignatureForm(request.POST)
    error = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_signature(
                request.user, delegation.entity, signed_on=data["signed_on"],
                place=period.place, signatory_name=data["signatory_name"],
                capacity=data["signatory_capacity"],
                signatory_function=data["signatory_function"],
                full_powers_checked=data["full_powers_checked"],
                source=SignatureSource.CEREMONY, treaty=treaty)
        except services.ActionRefused as exc:
            error = exc.message
    else:
        error = "; ".join(m for errors in form.errors.values() for m in errors)
    if request.htmx:
        row = next(r for r in services.ceremony_rows(event, treaty)
                   if r.delegation.pk == delegation.pk)
        return render(request, "treaty/ceremony.html#ceremony-row", {
            "r": row, "error": error, "posted": request.POST, "days": _days(period),
            "capacities": forms.SignatoryCapacity.choices})
    if error:
        messages.error(request, f"{delegation.entity}: {error}")
    else:
        messages.success(request, _("The signature of %(p)s is recorded.")
                         % {"p": delegation.entity})
    return redirect("treaty:ceremony")


def status_import(request):
    treaty = _depositary(request)
    form = forms.StatusImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.import_status_table(request.user, form.cleaned_data["file"].read(),
                                              treaty=treaty)
        if result.ok:
            messages.success(request, _("Imported: %(s)d signatures and %(i)d instruments "
                                        "(%(u)d rows already recorded).")
                             % {"s": result.signatures, "i": result.instruments,
                                "u": result.unchanged})
            return redirect("treaty:depositary")
    return render(request, "treaty/import.html", {"treaty": treaty, "form": form,
                                                  "result": result})
