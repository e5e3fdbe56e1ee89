"""Bilateral pages: thin, they check the permission, call a service and render."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.bilaterals import planning, review, services
from convene.bilaterals.forms import (
    AnswerForm,
    AvailabilityForm,
    GridForm,
    PlaceForm,
    RequestForm,
    RoomForm,
    RunForm,
)
from convene.bilaterals.models import (
    AvailabilityBlock,
    BilateralRequest,
    Meeting,
    RequestStatus,
    Room,
    ScheduleRun,
    Slot,
)
from convene.core.links import absolute_url
from convene.core.models import current_event
from convene.delegations.models import Delegation


def _event():
    event = current_event()
    if event is None:
        raise Http404
    return event


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _delegation(request, pk: int, perm: str) -> Delegation:
    delegation = get_object_or_404(Delegation.objects.select_related("entity", "event"), pk=pk)
    _need(request, perm, delegation)
    return delegation


def _bilateral(request, pk: int, perm: str) -> BilateralRequest:
    found = get_object_or_404(BilateralRequest.objects.select_related(
        "requester__entity", "counterpart__entity", "event"), pk=pk)
    _need(request, perm, found)
    return found


def _refused(request, exc: services.BilateralRefused, form=None) -> None:
    if form is not None and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    elif form is not None:
        form.add_error(None, exc.message)
    else:
        messages.error(request, exc.message)


def home(request):
    """The organiser's schedule, or the focal point's own delegation."""
    _need(request, "bilaterals.view_bilaterals")
    if request.user.has_perm("bilaterals.view_schedule"):
        return redirect("bilaterals:schedule")
    own = sorted(request.user.focal_point_delegation_ids())
    if len(own) == 1:
        return redirect("bilaterals:delegation", pk=own[0])
    delegations = Delegation.objects.filter(pk__in=own).select_related("entity")
    return render(request, "bilaterals/home.html", {"delegations": delegations})


# --- a delegation's bilaterals -------------------------------------------------------------------
def delegation_page(request, pk: int):
    delegation = _delegation(request, pk, "bilaterals.view_delegation")
    user = request.user
    related = ("requester__entity", "counterpart__entity", "published")
    made = BilateralRequest.objects.filter(requester=delegation).select_related(*related)
    received = BilateralRequest.objects.filter(counterpart=delegation).select_related(*related)
    agenda = [p for p in services.agenda(delegation) if not p.cancelled
              and p.request.status == RequestStatus.ACCEPTED]
    can_feed = user.has_perm("bilaterals.manage_feed", delegation)
    feed_url = None
    if can_feed:
        feed = services.feed_of(delegation)
        # Copied into a calendar application: the platform's address, not the request's Host.
        feed_url = absolute_url("bilaterals:feed", pk=delegation.pk, token=feed.token)
    return render(request, "bilaterals/delegation.html", {
        "delegation": delegation, "made": made, "received": received, "agenda": agenda,
        "feed_url": feed_url,
        # Answering a request received and cancelling one: the same people as requesting.
        "can_act": user.has_perm("bilaterals.request_meeting", delegation),
        "can_availability": user.has_perm("bilaterals.set_availability", delegation),
        "can_feed": can_feed,
        "blocked": AvailabilityBlock.objects.filter(delegation=delegation).count(),
    })


def request_create(request, pk: int):
    requester = _delegation(request, pk, "bilaterals.request_meeting")
    settings = services.settings_for(requester.event)
    form = RequestForm(request.POST or None, requester=requester, settings=settings)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.request_meeting(request.user, requester, form.cleaned_data)
        except services.BilateralRefused as exc:
            _refused(request, exc, form)
        else:
            if made.status == RequestStatus.ACCEPTED:
                messages.success(request, _("The bilateral with %(d)s is requested and was "
                                            "accepted automatically.") % {"d": made.counterpart})
            else:
                messages.success(request, _("The bilateral with %(d)s is requested; its focal "
                                            "point will answer.") % {"d": made.counterpart})
            return redirect("bilaterals:delegation", pk=requester.pk)
    return render(request, "bilaterals/request_form.html",
                  {"delegation": requester, "form": form})


def request_answer(request, pk: int):
    bilateral = _bilateral(request, pk, "bilaterals.answer_request")
    form = AnswerForm(request.POST or None, counterpart=bilateral.counterpart)
    if request.method == "POST" and form.is_valid():
        accept = request.POST.get("decision") == "accept"
        try:
            services.answer_request(request.user, bilateral, accept,
                                    attendees=form.cleaned_data["attendees"],
                                    priority=form.cleaned_data["priority"],
                                    note=form.cleaned_data["note"])
        except services.BilateralRefused as exc:
            _refused(request, exc, form)
        else:
            messages.success(request, (_("You accepted the bilateral with %(d)s.") if accept
                                       else _("You declined the bilateral with %(d)s."))
                             % {"d": bilateral.requester})
            return redirect("bilaterals:delegation", pk=bilateral.counterpart_id)
    return render(request, "bilaterals/answer.html", {"bilateral": bilateral, "form": form})


@require_POST
def request_cancel(request, pk: int):
    bilateral = _bilateral(request, pk, "bilaterals.cancel_request")
    try:
        services.cancel_request(request.user, bilateral)
    except services.BilateralRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The bilateral %(b)s is cancelled.") % {"b": bilateral})
    own = request.user.focal_point_delegation_ids()
    side = bilateral.requester_id if bilateral.requester_id in own else (
        bilateral.counterpart_id if bilateral.counterpart_id in own else None)
    if side is None:
        return redirect("bilaterals:schedule")
    return redirect("bilaterals:delegation", pk=side)


def availability(request, pk: int):
    delegation = _delegation(request, pk, "bilaterals.set_availability")
    blocked = set(AvailabilityBlock.objects.filter(delegation=delegation)
                  .values_list("slot_id", flat=True))
    form = AvailabilityForm(request.POST or None, event=delegation.event,
                            initial={"unavailable": list(blocked)})
    if request.method == "POST" and form.is_valid():
        services.set_availability(request.user, delegation, form.cleaned_data["unavailable"])
        messages.success(request, _("The availability of %(d)s is saved.") % {"d": delegation})
        return redirect("bilaterals:delegation", pk=delegation.pk)
    days = {}
    for slot in Slot.objects.filter(event=delegation.event):
        days.setdefault(timezone.localtime(slot.start).date(), []).append(slot)
    return render(request, "bilaterals/availability.html", {
        "delegation": delegation, "form": form, "days": days.items(), "blocked": blocked})


@login_not_required
def feed(request, pk: int, token: str):
    """The agenda for calendar apps: no login (they cannot), a secret in the address instead."""
    delegation = services.feed_delegation(pk, token)
    if delegation is None:
        raise Http404
    response = HttpResponse(services.agenda_ics(delegation),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="bilaterals-{delegation.entity.code}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_POST
def feed_reset(request, pk: int):
    delegation = _delegation(request, pk, "bilaterals.manage_feed")
    services.reset_feed(request.user, delegation)
    messages.success(request, _("The calendar address is new; the old one no longer works."))
    return redirect("bilaterals:delegation", pk=delegation.pk)


# --- the organiser: rooms, grid, scheduler, publication ------------------------------------------
def setup(request):
    _need(request, "bilaterals.manage_schedule")
    event = _event()
    spec = services.grid_spec(event)
    form = GridForm(request.POST or None, initial=spec.__dict__)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.configure(request.user, event,
                                       services.GridSpec(**form.cleaned_data))
        except services.BilateralRefused as exc:
            _refused(request, exc, form)
        else:
            messages.success(request, _("Saved: %(n)d slots in the grid.") % {"n": count})
            return redirect("bilaterals:setup")
    return _setup_page(request, event, form, RoomForm())


def _setup_page(request, event, grid_form, room_form):
    return render(request, "bilaterals/setup.html", {
        "form": grid_form, "room_form": room_form,
        "rooms": Room.objects.filter(event=event).order_by("name"),
        "slots": Slot.objects.filter(event=event).count(),
    })


@require_POST
def room_create(request):
    _need(request, "bilaterals.manage_schedule")
    event = _event()
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            room = services.save_room(request.user, event, form.cleaned_data)
        except ValidationError as exc:  # e.g. a room of that name already exists
            for message in exc.messages:
                form.add_error("name", message)
        else:
            messages.success(request, _("Room %(room)s added.") % {"room": room})
            return redirect("bilaterals:setup")
    spec = services.grid_spec(event)
    return _setup_page(request, event, GridForm(initial=spec.__dict__), form)


def room_edit(request, pk: int):
    _need(request, "bilaterals.manage_schedule")
    room = get_object_or_404(Room, pk=pk)
    form = RoomForm(request.POST or None, instance=Room.objects.get(pk=room.pk))
    if request.method == "POST" and form.is_valid():
        services.save_room(request.user, room.event, form.cleaned_data, room)
        messages.success(request, _("Room %(room)s saved.") % {"room": room})
        return redirect("bilaterals:setup")
    return render(request, "bilaterals/room_form.html", {"room": room, "form": form})


@require_POST
def room_delete(request, pk: int):
    _need(request, "bilaterals.manage_schedule")
    room = get_object_or_404(Room, pk=pk)
    try:
        services.delete_room(request.user, room)
    except services.BilateralRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Room %(room)s removed.") % {"room": room})
    return redirect("bilaterals:setup")


def schedule(request):
    _need(request, "bilaterals.view_schedule")
    event = _event()
    focus = request.GET.get("delegation")
    focus_id = int(focus) if focus and focus.isdigit() else None
    data = review.build(event, focus_id)
    can_manage = request.user.has_perm("bilaterals.manage_schedule")
    delegations = Delegation.objects.filter(event=event).filter(
        Q(bilaterals_requested__isnull=False) | Q(bilaterals_received__isnull=False)
    ).distinct().select_related("entity")
    return render(request, "bilaterals/schedule.html", {
        "review": data, "run": data.run, "can_manage": can_manage,
        "run_form": RunForm(), "changes": services.pending_changes(event) if can_manage else None,
        "delegations": delegations, "focus_id": focus_id,
        "focus": next((d for d in delegations if d.pk == focus_id), None),
    })


@require_POST
def run_start(request):
    _need(request, "bilaterals.manage_schedule")
    event = _event()
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            services.start_run(request.user, event, time_limit=form.cleaned_data["time_limit"],
                               keep_published=not form.cleaned_data["move_published"])
        except services.BilateralRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("The scheduler is running."))
    else:
        messages.error(request, _("Give the scheduler 1 to 600 seconds."))
    return redirect("bilaterals:schedule")


def run_status(request, pk: int):
    """The progress of a run (polled by htmx every second while it runs)."""
    _need(request, "bilaterals.view_schedule")
    run = get_object_or_404(ScheduleRun.objects.defer("instance"), pk=pk)
    response = render(request, "bilaterals/schedule.html#run-status",
                      {"run": run, "now": timezone.now()})
    if request.htmx and request.GET.get("polling") and not run.active:
        response["HX-Refresh"] = "true"  # finished: show the new schedule
    return response


def place(request, pk: int):
    """Put an accepted request in a room at a time, or move its meeting (checked first)."""
    _need(request, "bilaterals.manage_schedule")
    bilateral = _bilateral(request, pk, "bilaterals.manage_schedule")
    meeting = Meeting.objects.filter(request=bilateral).first()
    initial = {"room": meeting.room_id, "start_slot": meeting.start_slot_id} if meeting else {}
    form = PlaceForm(request.POST or None, event=bilateral.event, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.place_meeting(request.user, bilateral, form.cleaned_data["room"],
                                   form.cleaned_data["start_slot"])
        except services.BilateralRefused as exc:
            _refused(request, exc, form)
            if request.POST.get("from") == "grid":
                messages.error(request, exc.message)
                return redirect("bilaterals:schedule")
        else:
            messages.success(request, _("%(b)s: %(room)s, %(slot)s.") % {
                "b": bilateral, "room": form.cleaned_data["room"],
                "slot": form.cleaned_data["start_slot"]})
            return redirect("bilaterals:schedule")
    return render(request, "bilaterals/place.html",
                  {"bilateral": bilateral, "meeting": meeting, "form": form})


@require_POST
def unplace(request, pk: int):
    bilateral = _bilateral(request, pk, "bilaterals.manage_schedule")
    try:
        services.remove_meeting(request.user, bilateral)
    except services.BilateralRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("%(b)s is taken out of the schedule.") % {"b": bilateral})
    return redirect("bilaterals:schedule")


@require_POST
def publish(request):
    _need(request, "bilaterals.manage_schedule")
    try:
        counts = services.publish(request.user, _event())
    except services.BilateralRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Published: %(new)d new, %(changed)d changed, "
                                    "%(cancelled)d cancelled meetings.") % counts)
    return redirect("bilaterals:schedule")


def instance_download(request):
    """The current instance as the `convene bilaterals solve` command reads it."""
    _need(request, "bilaterals.manage_schedule")
    snap = planning.build_instance(_event())
    response = HttpResponse(json.dumps(snap.instance, ensure_ascii=False, indent=1),
                            content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="bilaterals-instance.json"'
    return response
