"""Protocol pages: precedence and settings, speakers lists, seating, order of signature."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.accounts.permissions import visible_delegations
from convene.core.models import current_event
from convene.core.uploads import UploadRefused
from convene.delegations.models import Delegation, Rank
from convene.directory.models import EntityKind
from convene.programme.models import Session
from convene.programme.pdf import pdf_response
from convene.protocol import precedence, services
from convene.protocol.forms import (
    BookingForm,
    DrawForm,
    FullPowersForm,
    InscribeForm,
    SettingsForm,
)
from convene.protocol.models import FullPowers, Signatory, SpeakerEntry, SpeakerSwap


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _event():
    event = current_event()
    if event is None:
        raise Http404
    return event


def _session(request, pk: int) -> Session:
    _need(request, "protocol.view_protocol")
    return get_object_or_404(Session.objects.select_related("event", "room", "day"), pk=pk)


def _acting_for(request, event, perm: str) -> list[Delegation]:
    """The delegations the user may act for with `perm` (all for the secretariat)."""
    qs = visible_delegations(request.user, Delegation.objects.filter(event=event)) \
        .select_related("entity")
    if request.user.has_perm(perm):
        return list(qs)
    return [d for d in qs.filter(pk__in=request.user.focal_point_delegation_ids())
            if request.user.has_perm(perm, d)]


def index(request):
    _need(request, "protocol.view_protocol")
    event = _event()
    settings = services.settings_for(event)
    policy = services.policy_for(event, settings)
    bands = sorted({*policy.rank_bands.values(), *policy.kind_bands.values()})
    table = [{"band": b, "label": precedence.band_label(b),
              "source": precedence.BAND_LABELS.get(b, ("", ""))[1],
              "ranks": [r.label for r in Rank if policy.rank_bands.get(r.value) == b],
              "kinds": [k.label for k in EntityKind if policy.kind_bands.get(k.value) == b]}
             for b in bands]
    sessions = Session.objects.filter(event=event).select_related("room").order_by("starts_at")
    return render(request, "protocol/index.html", {
        "settings": settings, "bands": table, "draw": services.current_draw(event),
        "speaking_sessions": [s for s in sessions if s.kind in services.SPEAKING_KINDS],
        "seated_sessions": [s for s in sessions if s.room and s.room.rows],
        "can_manage": request.user.has_perm("protocol.manage_protocol")})


def settings_view(request):
    _need(request, "protocol.manage_protocol")
    event = _event()
    current = services.settings_for(event)
    form = SettingsForm(request.POST or None, instance=current, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(request.user, event, form.settings_data())
        except services.ProtocolRefused as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("The protocol settings are saved."))
            return redirect("protocol:index")
    return render(request, "protocol/settings.html", {"form": form})


# --- Speakers -------------------------------------------------------------------------------

def speakers(request, pk: int):
    session = _session(request, pk)
    event = session.event
    acting = _acting_for(request, event, "protocol.inscribe_speaker")
    form = InscribeForm(request.POST or None, delegations=acting) if acting else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            speaker = form.cleaned_data["speaker"]
            try:
                services.inscribe_speaker(request.user, session, speaker.delegation, speaker,
                                          form.cleaned_data["time_limit"])
            except services.ProtocolRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("%(d)s is inscribed.") % {"d": speaker.delegation})
                return redirect("protocol:speakers", pk=session.pk)
    view = services.speakers_view(session)
    mine = {d.pk for d in acting}
    return render(request, "protocol/speakers.html", {
        "session": session, "view": view, "form": form,
        "my_entries": [e for e in view.entries.values() if e.delegation_id in mine],
        "mine": mine,
        "can_manage": request.user.has_perm("protocol.manage_protocol"),
        "can_script": request.user.has_perm("programme.edit_script", session)})


def speakers_print(request, pk: int):
    session = _session(request, pk)
    view = services.speakers_view(session)
    context = {"session": session, "view": view, "printed_at": timezone.now()}
    if request.GET.get("format") == "pdf":
        return pdf_response(request, "protocol/speakers_print.html", context,
                            f"speakers-session-{session.pk}.pdf")
    return render(request, "protocol/speakers_print.html", context)


@require_POST
def speaker_withdraw(request, pk: int, entry_pk: int):
    entry = get_object_or_404(SpeakerEntry, pk=entry_pk, speakers_list__session_id=pk)
    services.withdraw_speaker(request.user, entry)
    return redirect("protocol:speakers", pk=pk)


@require_POST
def swap_propose(request, pk: int):
    first = get_object_or_404(SpeakerEntry, pk=request.POST.get("first") or 0,
                              speakers_list__session_id=pk)
    second = get_object_or_404(SpeakerEntry, pk=request.POST.get("second") or 0,
                               speakers_list__session_id=pk)
    try:
        services.propose_swap(request.user, first, second)
    except services.ProtocolRefused as exc:
        messages.error(request, exc.message)
    return redirect("protocol:speakers", pk=pk)


@require_POST
def swap_decide(request, pk: int, swap_pk: int):
    swap = get_object_or_404(SpeakerSwap.objects.select_related("first", "second"), pk=swap_pk,
                             first__speakers_list__session_id=pk)
    try:
        services.decide_swap(request.user, swap, request.POST.get("decision") == "agree")
    except services.ProtocolRefused as exc:
        messages.error(request, exc.message)
    return redirect("protocol:speakers", pk=pk)


@require_POST
def speakers_to_script(request, pk: int):
    session = _session(request, pk)
    _need(request, "programme.edit_script", session)
    created = services.put_speakers_in_script(request.user, session)
    messages.success(request, _("%(n)d statements are in the script.") % {"n": len(created)})
    return redirect("programme:script", pk=session.pk)


# --- Seating --------------------------------------------------------------------------------

def _seating_context(session):
    """The hall as rows of cells: a delegation's block spans its seats; empty seats are one."""
    view = services.seating_view(session)
    grid = []
    if view.plan:
        starts = {(b.row, b.first_seat): b for b in view.plan.blocks}
        for row in range(1, view.plan.rows + 1):
            cells, seat = [], 1
            while seat <= view.plan.seats_per_row:
                block = starts.get((row, seat))
                cells.append({"block": block, "span": block.count if block else 1, "seat": seat})
                seat += block.count if block else 1
            grid.append({"row": row, "cells": cells})
    return {"session": session, "view": view, "grid": grid,
            "blocks": view.plan.blocks if view.plan else [], "printed_at": timezone.now()}


def seating_chart(request, pk: int):
    session = _session(request, pk)
    context = _seating_context(session)
    if request.GET.get("format") == "pdf":
        return pdf_response(request, "protocol/seating_print.html", context,
                            f"seating-session-{session.pk}.pdf")
    return render(request, "protocol/seating.html", context)


def draw(request):
    _need(request, "protocol.manage_protocol")
    event = _event()
    form = DrawForm(request.POST or None, initial={"drawn_at": timezone.localtime()})
    if request.method == "POST":
        if request.POST.get("random") == "1":
            drawn = services.draw_by_lot(request.user, event)
            messages.success(request, _("%(s)s was drawn by lot.") % {"s": drawn.entity.name_en})
            return redirect("protocol:index")
        if form.is_valid():
            try:
                services.record_draw(request.user, event, form.cleaned_data["entity"],
                                     form.cleaned_data["drawn_by"], form.cleaned_data["drawn_at"])
            except services.ProtocolRefused as exc:
                form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("The draw is recorded."))
                return redirect("protocol:index")
    from convene.protocol.models import SeatingDraw

    return render(request, "protocol/draw.html", {
        "form": form, "draws": SeatingDraw.objects.filter(event=event)
        .select_related("entity", "recorded_by")})


# --- Signature ------------------------------------------------------------------------------

def signing(request):
    _need(request, "protocol.view_protocol")
    event = _event()
    acting = _acting_for(request, event, "protocol.book_signature")
    form = BookingForm(request.POST or None, delegations=acting) if acting else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            signer = form.cleaned_data["signer"]
            try:
                services.book_signature(request.user, event, signer.delegation, signer,
                                        form.cleaned_data["appointment"])
            except services.ProtocolRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The signature is booked."))
                return redirect("protocol:signing")
    view = services.signing_schedule_view(event)
    mine = {d.pk for d in acting}
    rows = []
    for s in view.signatories.values():
        fps = list(s.full_powers.all())
        rows.append({"signatory": s, "full_powers": fps[0] if fps else None,
                     "needs": services.signature.needs_full_powers(
                         s.signer.rank, s.delegation.entity.kind in (
                             EntityKind.MEMBER_STATE, EntityKind.OBSERVER_STATE)),
                     "can_upload": s.delegation_id in mine})
    return render(request, "protocol/signing.html", {
        "view": view, "form": form, "rows": rows,
        "can_check": request.user.has_perm("protocol.check_full_powers")})


def full_powers_upload(request, signatory_pk: int):
    signatory = get_object_or_404(Signatory.objects.select_related("delegation__entity", "signer"),
                                  pk=signatory_pk)
    _need(request, "protocol.upload_full_powers", signatory)
    form = FullPowersForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_full_powers(request.user, signatory, form.cleaned_data["document"])
        except UploadRefused as exc:
            form.add_error("document", exc.message)
        else:
            messages.success(request,
                             _("The full powers are uploaded; the depositary will check them."))
            return redirect("protocol:signing")
    return render(request, "protocol/full_powers_upload.html", {"signatory": signatory,
                                                                 "form": form})


@require_POST
def full_powers_check(request, fp_pk: int):
    fp = get_object_or_404(FullPowers.objects.select_related("signatory__delegation"), pk=fp_pk)
    _need(request, "protocol.check_full_powers", fp.signatory)
    try:
        services.check_full_powers(request.user, fp, request.POST.get("decision") == "accept",
                                   request.POST.get("remarks", ""))
    except services.ProtocolRefused as exc:
        messages.error(request, exc.message)
    return redirect("protocol:signing")


def full_powers_download(request, fp_pk: int):
    fp = get_object_or_404(FullPowers.objects.select_related("signatory"), pk=fp_pk)
    # The signatory carries the delegation the focal-point rule looks at (not the document).
    _need(request, "protocol.view_full_powers", fp.signatory)
    return FileResponse(fp.document.open("rb"), as_attachment=True)
