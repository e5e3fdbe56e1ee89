"""Reception pages: thin, they check the permission, call a service or a rule and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from convene.accounts.permissions import visible_delegations
from convene.core.exports import download, xlsx_bytes
from convene.core.links import absolute_url
from convene.core.models import current_event
from convene.delegations.models import Delegation, Member
from convene.reception import dailyplan, services
from convene.reception.forms import (
    FlightChangeForm,
    FlightForm,
    LiaisonForm,
    MovementForm,
    ResolveForm,
    TravelImportForm,
)
from convene.reception.models import (
    Conflict,
    ConflictStatus,
    DelegationReception,
    Direction,
    Driver,
    Flight,
    Movement,
    Place,
    PlaceKind,
    RoomBlock,
    Stay,
    TravelStatus,
    Vehicle,
)
from convene.reception.rules import SEVERITY_ORDER


def _event():
    event = current_event()
    if event is None:
        raise Http404
    return event


def _need(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def _delegation(request, pk: int, perm: str) -> Delegation:
    delegation = Delegation.objects.select_related("entity", "event").filter(pk=pk).first()
    _need(request, perm, delegation)  # a missing one is refused like a forbidden one
    if delegation is None:
        raise Http404
    return delegation


def _flight(request, pk: int, perm: str) -> Flight:
    flight = get_object_or_404(Flight.objects.select_related("delegation", "airport"), pk=pk)
    _need(request, perm, flight.delegation)
    return flight


def _conflicts(event):
    found = list(Conflict.objects.filter(event=event, status=ConflictStatus.OPEN)
                 .select_related("delegation__entity", "incident"))
    return sorted(found, key=lambda c: (SEVERITY_ORDER.get(c.severity, 9), c.found_at))


# --- the desk: the reception board and the arrivals board -------------------------------------

def board(request):
    """The reception board: today's arrivals and departures, open conflicts, the desk's
    computations (roster, liaison officers, hotels, cars, fleet)."""
    _need(request, "reception.view_board")
    event = _event()
    flights = Flight.objects.filter(event=event).select_related(
        "delegation__entity", "airport").prefetch_related("travellers", "greetings__greeter")
    movements = Movement.objects.filter(event=event)
    return render(request, "reception/board.html", {
        "event": event, "conflicts": _conflicts(event),
        "arrivals": [f for f in flights if f.direction == Direction.ARRIVAL],
        "departures": [f for f in flights if f.direction == Direction.DEPARTURE],
        "movement_count": movements.count(),
        "unassigned": movements.filter(vehicle__isnull=True).count(),
        "profiles": DelegationReception.objects.filter(delegation__event=event).select_related(
            "delegation__entity", "liaison_officer"),
        "can_manage": request.user.has_perm("reception.manage"),
        "can_fleet": request.user.has_perm("reception.plan_fleet"),
        "can_incident": request.user.has_perm("reception.raise_incident"),
        "resolve_form": ResolveForm(),
    })


def _row(flight: Flight) -> dict:
    following = services.next_status(flight)
    return {"flight": flight, "next": following,
            "next_label": TravelStatus(following).label if following else ""}


def arrivals(request):
    """The live arrivals board (phones): one tap moves a flight to its next status."""
    _need(request, "reception.view_board")
    event = _event()
    day = request.GET.get("day")
    flights = Flight.objects.filter(event=event, direction=Direction.ARRIVAL).select_related(
        "delegation__entity", "airport").prefetch_related("travellers", "greetings__greeter")
    if day:
        flights = [f for f in flights if f"{timezone.localtime(f.scheduled_at):%Y-%m-%d}" == day]
    rows = [_row(f) for f in flights]
    return render(request, "reception/arrivals.html", {
        "rows": rows, "can_manage": request.user.has_perm("reception.manage")})


@require_POST
def flight_status(request, pk: int):
    flight = _flight(request, pk, "reception.manage")
    status = request.POST.get("status") or services.next_status(flight)
    try:
        services.set_flight_status(request.user, flight, status)
    except services.ReceptionRefused as exc:
        messages.error(request, exc.message)
    if request.headers.get("HX-Request"):
        return render(request, "reception/_arrival_row.html", {
            "row": _row(flight),
            "can_manage": True})
    return redirect("reception:arrivals")


def flight_change(request, pk: int):
    """The desk enters a flight change: dependent movements move, conflicts are raised and
    the liaison officer, greeters and dispatchers are told."""
    flight = _flight(request, pk, "reception.manage")
    local = timezone.localtime(flight.scheduled_at)
    form = FlightChangeForm(request.POST or None, initial={
        "day": local.date(), "time": local.time().replace(second=0, microsecond=0),
        "flight_number": flight.flight_number})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        at = services.local_datetime(data["day"], data["time"], flight.time_zone)
        raised = services.change_flight(request.user, flight, at, data["flight_number"],
                                        data["note"])
        messages.success(request, _("Flight changed; %(n)d open conflict(s) for this "
                                    "delegation; the people concerned were told.")
                         % {"n": len(raised)})
        return redirect("reception:board")
    return render(request, "reception/flight_change.html", {"flight": flight, "form": form})


@require_POST
def compute(request, what: str):
    """The desk's computations, each one click on the board."""
    event = _event()
    perm = "reception.plan_fleet" if what in ("fleet", "cars") else "reception.manage"
    _need(request, perm)
    try:
        if what == "movements":
            n = services.generate_movements(request.user, event)
            messages.success(request, _("%(n)d movements planned.") % {"n": n})
        elif what == "greetings":
            roster = services.compute_greetings(request.user, event)
            messages.success(request, _("%(n)d greetings rostered, %(g)d without a greeter.")
                             % {"n": len(roster.greetings), "g": len(roster.gaps)})
            for _flight_id, role, reason in roster.gaps:
                messages.warning(request, f"{role}: {reason}")
        elif what == "liaisons":
            plan = services.compute_liaisons(request.user, event)
            messages.success(request, _("%(n)d liaison officers assigned, %(u)d delegations "
                                        "without one.") % {"n": len(plan.assigned),
                                                           "u": len(plan.unmatched)})
        elif what == "hotels":
            stays = services.assign_hotels(request.user, event)
            messages.success(request, _("%(n)d rooms assigned.") % {"n": len(stays)})
        elif what == "cars":
            cars = services.assign_dedicated_cars(request.user, event)
            messages.success(request, _("%(n)d dedicated cars assigned.") % {"n": len(cars)})
        elif what == "fleet":
            result = services.plan_fleet(request.user, event)
            messages.success(request, _(
                "Fleet planned: %(used)d vehicles (the fewest possible: %(bound)d), "
                "%(u)d movements unserved.") % {
                "used": sum(result.vehicles_used.values()),
                "bound": sum(result.lower_bound.values()), "u": len(result.unassigned)})
        else:
            raise Http404
    except services.ReceptionRefused as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") or "reception:board")


@require_POST
def conflict_resolve(request, pk: int):
    _need(request, "reception.manage")
    conflict = get_object_or_404(Conflict, pk=pk)
    form = ResolveForm(request.POST)
    if form.is_valid():
        services.resolve_conflict(request.user, conflict, form.cleaned_data["resolution"])
        messages.success(request, _("Conflict resolved."))
    else:
        messages.error(request, _("Say how it was resolved."))
    return redirect("reception:board")


@require_POST
def conflict_incident(request, pk: int):
    _need(request, "reception.raise_incident")
    conflict = get_object_or_404(Conflict, pk=pk)
    try:
        issue = services.raise_incident(request.user, conflict)
    except services.ReceptionRefused as exc:
        messages.error(request, exc.message)
        return redirect("reception:board")
    messages.success(request, _("Incident #%(n)d reported to the reception task force.")
                     % {"n": issue.pk})
    return redirect("reception:board")


def liaison_set(request, pk: int):
    delegation = _delegation(request, pk, "reception.manage")
    profile = services.delegation_reception(delegation)
    form = LiaisonForm(request.POST or None, event=delegation.event,
                       initial={"officer": profile.liaison_officer})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_liaison(request.user, delegation, form.cleaned_data["officer"])
        except services.ReceptionRefused as exc:
            form.add_error("officer", exc.message)
        else:
            messages.success(request, _("Liaison officer set."))
            return redirect("reception:plan", pk=delegation.pk)
    return render(request, "reception/liaison.html", {"delegation": delegation, "form": form,
                                                       "profile": profile})


# --- a delegation's travel: the focal point's entry -------------------------------------------

def travel(request, pk: int):
    """A delegation's arrivals and departures; the focal point adds them here before the
    deadline (afterwards only the desk)."""
    delegation = _delegation(request, pk, "reception.view_travel")
    can_enter = request.user.has_perm("reception.enter_travel", delegation)
    is_open = can_enter and services.travel_open(request.user, delegation)
    form = FlightForm(request.POST or None, delegation=delegation) if is_open else None
    if request.method == "POST":
        if not is_open:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                data["scheduled_at"] = services.local_datetime(data.pop("day"),
                                                               data.pop("time"),
                                                               data["time_zone"])
                data["baggage"] = data.get("baggage") or 0
                services.save_flight(request.user, delegation, data)
            except services.ReceptionRefused as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, _("Travel saved."))
                return redirect("reception:travel", pk=delegation.pk)
    flights = Flight.objects.filter(delegation=delegation).select_related(
        "airport").prefetch_related("travellers")
    return render(request, "reception/travel.html", {
        "delegation": delegation, "flights": flights, "form": form, "is_open": is_open,
        "can_enter": can_enter, "import_form": TravelImportForm() if is_open else None,
        "deadline": services.reception_settings(delegation.event).arrivals_deadline,
        "can_manage": request.user.has_perm("reception.manage")})


def travel_import(request, pk: int):
    delegation = _delegation(request, pk, "reception.enter_travel")
    if not services.travel_open(request.user, delegation):
        raise PermissionDenied
    form = TravelImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.import_travel(request.user, delegation, upload.read())
        if result.ok:
            messages.success(request, _("%(n)d flights imported.") % {"n": len(result.flights)})
            return redirect("reception:travel", pk=delegation.pk)
    return render(request, "reception/travel_import.html",
                  {"delegation": delegation, "form": form, "result": result})


# --- daily plans ------------------------------------------------------------------------------

def plans(request):
    """The daily plans this person may read: a focal point sees only their own delegation."""
    _need(request, "reception.view_own_plans")
    event = _event()
    delegations = visible_delegations(request.user, Delegation.objects.filter(event=event))
    if not request.user.has_perm("reception.view_board"):
        delegations = delegations.filter(pk__in=request.user.focal_point_delegation_ids())
    return render(request, "reception/plans.html", {"delegations": delegations.select_related(
        "entity")})


def _plan(request, pk: int):
    delegation = _delegation(request, pk, "reception.view_plan")
    principal = None
    if request.GET.get("principal"):
        principal = get_object_or_404(Member, pk=request.GET["principal"], delegation=delegation)
    return delegation, dailyplan.build(delegation, principal)


def plan(request, pk: int):
    delegation, built = _plan(request, pk)
    profile = services.delegation_reception(delegation)
    return render(request, "reception/plan.html", {
        "plan": built, "delegation": delegation, "profile": profile,
        "feed_url": absolute_url("reception:plan_feed", delegation.pk)
        + f"?token={profile.feed_token}",
        "can_manage": request.user.has_perm("reception.manage")})


def plan_pdf(request, pk: int):
    from convene.programme.pdf import pdf_response

    delegation, built = _plan(request, pk)
    return pdf_response(request, "reception/plan_print.html", {"plan": built},
                        f"daily-plan-{delegation.entity.code}.pdf")


@login_not_required
def plan_feed(request, pk: int):
    """The daily plan for calendar apps: no login (they cannot), a secret in the address."""
    profile = DelegationReception.objects.filter(delegation_id=pk).select_related(
        "delegation__event", "delegation__entity").first()
    token = request.GET.get("token", "")
    if profile is None or not token or token != profile.feed_token:
        raise Http404
    response = HttpResponse(dailyplan.to_ics(dailyplan.build(profile.delegation)),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'inline; filename="daily-plan-{profile.delegation.entity.code}.ics"')
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- motor pool -------------------------------------------------------------------------------

def run_sheet(request):
    """A driver's run sheet: each movement of a driver (or vehicle), in time order."""
    _need(request, "reception.view_run_sheet")
    event = _event()
    drivers = Driver.objects.filter(event=event).select_related("vehicle")
    chosen = None
    if request.GET.get("driver"):
        chosen = get_object_or_404(Driver, pk=request.GET["driver"], event=event)
    movements = Movement.objects.filter(event=event).select_related(
        "origin", "destination", "vehicle", "driver", "principal", "delegation__entity")
    movements = movements.filter(driver=chosen) if chosen else movements.none()
    return render(request, "reception/run_sheet.html", {
        "drivers": drivers, "chosen": chosen, "movements": movements,
        "vehicles": Vehicle.objects.filter(event=event).count()})


def movements(request):
    """Every movement with its car and driver, or why it has none; each editable by hand."""
    _need(request, "reception.plan_fleet")
    event = _event()
    return render(request, "reception/movements.html", {"movements": Movement.objects.filter(
        event=event).select_related("origin", "destination", "vehicle", "driver",
                                    "delegation__entity", "principal")})


def movement_edit(request, pk: int):
    _need(request, "reception.plan_fleet")
    movement = get_object_or_404(Movement, pk=pk)
    form = MovementForm(request.POST or None, instance=movement, event=movement.event)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        movement.refresh_from_db()  # the form changed the instance; the service changes it
        services.save_movement(request.user, movement, data)
        messages.success(request, _("Movement saved; planning will leave it as it is."))
        return redirect("reception:movements")
    return render(request, "reception/movement_form.html", {"form": form,
                                                            "movement": movement})


# --- hotels -----------------------------------------------------------------------------------

def rooming(request):
    _need(request, "reception.view_rooming")
    event = _event()
    hotels = Place.objects.filter(event=event, kind=PlaceKind.HOTEL)
    return render(request, "reception/rooming.html", {
        "hotels": [(h, Stay.objects.filter(hotel=h).select_related(
            "member__delegation__entity"), RoomBlock.objects.filter(hotel=h)) for h in hotels]})


def _rooming_rows(hotel):
    return [(s.member.delegation.entity.name_en, s.member.full_name, s.member.get_rank_display(),
             s.get_room_type_display(), s.check_in, s.check_out,
             _("yes") if s.late_checkout else "", s.room_number)
            for s in Stay.objects.filter(hotel=hotel).select_related(
                "member__delegation__entity")]



def _rooming_header():
    return [_("Delegation"), _("Guest"), _("Rank"), _("Room type"), _("Check-in"),
            _("Check-out"), _("Late check-out"), _("Room")]


def rooming_xlsx(request, pk: int):
    _need(request, "reception.view_rooming")
    hotel = get_object_or_404(Place, pk=pk, kind=PlaceKind.HOTEL)
    content = xlsx_bytes(_rooming_header(), _rooming_rows(hotel), title=hotel.code[:30])
    return download(content, f"rooming-{hotel.code}.xlsx",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def rooming_pdf(request, pk: int):
    from convene.programme.pdf import pdf_response

    _need(request, "reception.view_rooming")
    hotel = get_object_or_404(Place, pk=pk, kind=PlaceKind.HOTEL)
    return pdf_response(request, "reception/rooming_print.html", {
        "hotel": hotel, "header": _rooming_header(), "rows": _rooming_rows(hotel),
        "now": timezone.now()}, f"rooming-{hotel.code}.pdf")
