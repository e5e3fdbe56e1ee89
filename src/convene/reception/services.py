"""Reception actions: each one transaction, a permission check and an audit event (issue 13).

The rules (rules.py, fleet.py) decide; these functions read the database into them and keep
what they decide."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.accounts.permissions import require
from convene.audit.services import record, snapshot
from convene.core.links import absolute_url
from convene.delegations.models import Delegation, Member
from convene.reception import fleet, rules
from convene.reception.models import (
    Conflict,
    ConflictStatus,
    DelegationReception,
    Direction,
    Driver,
    Flight,
    Greeter,
    Greeting,
    GreetingRule,
    LiaisonOfficer,
    MotorcadeRule,
    Movement,
    MovementKind,
    Place,
    PlaceKind,
    ReceptionSettings,
    RoomBlock,
    Stay,
    TravelStatus,
    TravelTime,
    Vehicle,
    VehicleCategory,
)

FLIGHT_AUDIT = ["delegation", "direction", "flight_number", "airline", "origin", "airport",
                "terminal", "scheduled_at", "time_zone", "baggage", "status", "notes"]
# Before a session or a bilateral the principal is at the venue this early.
AT_VENUE_BEFORE = timedelta(minutes=15)
# A departure leaves the hotel early enough to be at the airport this long before take-off.
AT_AIRPORT_BEFORE = timedelta(hours=2)
STATUS_ORDER = [TravelStatus.SCHEDULED, TravelStatus.LANDED, TravelStatus.GREETED,
                TravelStatus.LEFT_AIRPORT, TravelStatus.AT_HOTEL]


class ReceptionRefused(Exception):
    """A change the rules refuse; `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def reception_settings(event) -> ReceptionSettings:
    return ReceptionSettings.objects.get_or_create(event=event)[0]


def delegation_reception(delegation) -> DelegationReception:
    return DelegationReception.objects.get_or_create(delegation=delegation)[0]


# --- travel times ------------------------------------------------------------------------------

class Roads:
    """The event's travel-time table, read once: minutes between places at a time of day."""

    def __init__(self, event):
        self.by_pair: dict[tuple[int, int], list[TravelTime]] = {}
        for t in TravelTime.objects.filter(origin__event=event):
            self.by_pair.setdefault((t.origin_id, t.destination_id), []).append(t)

    def minutes(self, origin_id: int, destination_id: int, at: datetime | None = None):
        if origin_id == destination_id:
            return 0
        rows = self.by_pair.get((origin_id, destination_id)) or self.by_pair.get(
            (destination_id, origin_id)) or []
        clock = timezone.localtime(at).time() if at else None
        default = None
        for row in rows:
            if row.band_start is None or row.band_end is None:
                default = row.minutes
            elif clock and row.band_start <= clock < row.band_end:
                return row.minutes
        return default


def fleet_instance(event, movements, vehicles, roads_: Roads | None = None) -> fleet.Instance:
    """The database's movements and pooled vehicles as the planner's instance."""
    settings_ = reception_settings(event)
    places = list(Place.objects.filter(event=event))
    travel = {}
    for (a, b), rows in (roads_ or Roads(event)).by_pair.items():
        code_a = next(p.code for p in places if p.pk == a)
        code_b = next(p.code for p in places if p.pk == b)
        default = next((r.minutes for r in rows if r.band_start is None), None)
        bands = tuple(fleet.Band(r.band_start.hour * 60 + r.band_start.minute,
                                 r.band_end.hour * 60 + r.band_end.minute, r.minutes)
                      for r in rows if r.band_start is not None and r.band_end is not None)
        travel[(code_a, code_b)] = fleet.Travel(default, bands)
    code = {p.pk: p.code for p in places}
    return fleet.Instance(
        places=[p.code for p in places], travel=travel,
        buffer_minutes=settings_.buffer_minutes,
        vehicles=[fleet.Vehicle(v.code, v.category) for v in vehicles],
        movements=[fleet.Movement(str(m.pk), m.category, code[m.origin_id],
                                  code[m.destination_id],
                                  timezone.localtime(m.pickup).replace(tzinfo=None))
                   for m in movements],
        max_duty_minutes=settings_.max_duty_minutes)


# --- arrivals and departures -------------------------------------------------------------------

def travel_open(user, delegation) -> bool:
    """Focal points enter travel until the deadline; after it, only the reception desk."""
    if user.has_perm("reception.manage"):
        return True
    deadline = reception_settings(delegation.event).arrivals_deadline
    return deadline is None or timezone.now() <= deadline


def local_datetime(day, clock, time_zone: str) -> datetime:
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ReceptionRefused(_("Unknown time zone “%(tz)s”.") % {"tz": time_zone},
                               field="time_zone") from None
    return datetime.combine(day, clock).replace(tzinfo=zone)


@transaction.atomic
def save_flight(user, delegation: Delegation, data: dict, flight: Flight | None = None) -> Flight:
    """Enter or change an arrival or departure of some members who travel together."""
    require(user, "reception.enter_travel", delegation)
    if not travel_open(user, delegation):
        raise ReceptionRefused(_("The arrivals deadline has passed: ask the reception desk."))
    travellers = list(data.get("travellers") or [])
    if not travellers:
        raise ReceptionRefused(_("Say who travels on this flight."), field="travellers")
    if any(m.delegation_id != delegation.pk for m in travellers):
        raise ReceptionRefused(_("Everyone on the flight must be of this delegation."),
                               field="travellers")
    airport = data["airport"]
    if airport.event_id != delegation.event_id or airport.kind != PlaceKind.AIRPORT:
        raise ReceptionRefused(_("Choose an airport terminal of this event."), field="airport")
    before = snapshot(flight, FLIGHT_AUDIT) if flight else None
    flight = flight or Flight(event=delegation.event, delegation=delegation)
    for key in ("direction", "flight_number", "airline", "origin", "airport", "terminal",
                "scheduled_at", "time_zone", "baggage", "notes"):
        if key in data:
            setattr(flight, key, data[key])
    try:
        flight.full_clean(exclude=["event", "delegation"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ReceptionRefused(" ".join(messages), field=field) from None
    flight.save()
    flight.travellers.set(travellers)
    record(user, "reception.flight_saved", flight, before=before,
           after=snapshot(flight, FLIGHT_AUDIT) | {"travellers": [m.pk for m in travellers]},
           summary=f"{delegation}: {flight.get_direction_display()} {flight}")
    _movements_for_flight(flight)
    refresh_conflicts(delegation.event)
    return flight


@transaction.atomic
def set_flight_status(user, flight: Flight, status: str) -> Flight:
    """One tap on the arrivals board: scheduled → landed → greeted → left airport → at hotel."""
    require(user, "reception.manage")
    if status not in TravelStatus.values:
        raise ReceptionRefused(_("Unknown status."), field="status")
    before = snapshot(flight, ["status"])
    flight.status, flight.status_at = status, timezone.now()
    flight.save(update_fields=["status", "status_at", "updated_at"])
    record(user, "reception.flight_status", flight, before=before,
           after=snapshot(flight, ["status"]),
           summary=f"{flight.delegation}: {flight} {flight.get_status_display()}")
    return flight


def next_status(flight: Flight) -> str | None:
    if flight.direction != Direction.ARRIVAL or flight.status not in STATUS_ORDER:
        return None
    k = STATUS_ORDER.index(flight.status)
    return STATUS_ORDER[k + 1] if k + 1 < len(STATUS_ORDER) else None


@transaction.atomic
def change_flight(user, flight: Flight, scheduled_at: datetime, flight_number: str = "",
                  note: str = "") -> list[Conflict]:
    """A flight change entered by the desk: the movements that hang on the flight move with
    it, the conflicts it causes are raised, and the liaison officer, greeters and dispatchers
    concerned are told by e-mail. Returns the open conflicts of the delegation."""
    require(user, "reception.manage")
    before = snapshot(flight, FLIGHT_AUDIT)
    shift = scheduled_at - flight.scheduled_at
    flight.scheduled_at = scheduled_at
    if flight_number:
        flight.flight_number = flight_number
    flight.save()
    moved = []
    for movement in flight.movements.all():
        movement.pickup += shift
        if movement.arrive_by:
            movement.arrive_by += shift
        movement.save(update_fields=["pickup", "arrive_by"])
        moved.append(movement)
    record(user, "reception.flight_changed", flight, before=before,
           after=snapshot(flight, FLIGHT_AUDIT),
           summary=f"{flight.delegation}: {flight} moved by {shift}; {len(moved)} movement(s) "
                   f"moved{'; ' + note if note else ''}")
    refresh_conflicts(flight.event)
    open_conflicts = list(Conflict.objects.filter(
        event=flight.event, delegation=flight.delegation, status=ConflictStatus.OPEN))
    recipients = flight_contacts(flight)
    if recipients:
        subject = _("Flight change: %(flight)s, %(delegation)s") % {
            "flight": flight.flight_number, "delegation": flight.delegation}
        lines = [_("%(flight)s of %(delegation)s now arrives at %(at)s (was %(was)s).") % {
            "flight": flight.flight_number, "delegation": flight.delegation,
            "at": f"{timezone.localtime(flight.scheduled_at):%d %b %Y %H:%M}",
            "was": f"{timezone.localtime(flight.scheduled_at - shift):%d %b %H:%M}"}]
        if moved:
            lines.append(_("%(n)d movement(s) moved with it.") % {"n": len(moved)})
        for c in open_conflicts:
            lines.append(f"- [{c.get_severity_display()}] {c.message}")
        lines.append(absolute_url("reception:plan", flight.delegation_id))
        body = "\n".join(lines)
        transaction.on_commit(lambda: send_mail(subject, body, None, recipients))
    return open_conflicts


def flight_contacts(flight: Flight) -> list[str]:
    """Who to tell when a flight changes: its delegation's liaison officer, the greeters
    rostered for it and the dispatchers (drivers of the cars that meet it, else the desk)."""
    emails = []
    profile = DelegationReception.objects.filter(delegation=flight.delegation).select_related(
        "liaison_officer").first()
    if profile and profile.liaison_officer and profile.liaison_officer.email:
        emails.append(profile.liaison_officer.email)
    emails += [g.greeter.email for g in flight.greetings.select_related("greeter")
               if g.greeter.email]
    emails += [m.driver.email for m in flight.movements.select_related("driver")
               if m.driver and m.driver.email]
    from convene.accounts.models import Role, User

    emails += [u.email for u in User.objects.filter(
        role_assignments__role=Role.DISPATCHER, is_active=True).distinct() if u.email]
    return sorted(set(emails))


# --- movements ---------------------------------------------------------------------------------

def _principal(flight: Flight) -> Member | None:
    travellers = list(flight.travellers.all())
    heads = [m for m in travellers if m.is_head]
    if heads:
        return heads[0]
    return min(travellers, key=lambda m: rules.band(m.rank), default=None)


def _stay_of(member: Member | None):
    return Stay.objects.filter(member=member).select_related("hotel").first() if member else None


def _motorcade(event, member: Member | None) -> list[str]:
    if member is None:
        return [VehicleCategory.SEDAN]
    rule = MotorcadeRule.objects.filter(event=event, rank=member.rank).first()
    if rule and rule.category_list:
        return rule.category_list
    if member.is_head:
        return [VehicleCategory.VIP_SEDAN]
    return [VehicleCategory.SEDAN]


def _upsert(event, source: str, **values) -> Movement:
    movement = Movement.objects.filter(event=event, source=source).first()
    if movement and movement.edited_by_hand:
        return movement
    if movement is None:
        movement = Movement(event=event, source=source)
    for key, value in values.items():
        setattr(movement, key, value)
    movement.save()
    return movement


def _movements_for_flight(flight: Flight, roads_: Roads | None = None) -> list[str]:
    """The cars that meet an arrival (airport → hotel) or take a departure to the airport, one
    movement per vehicle of the principal's motorcade. Returns their sources."""
    event = flight.event
    settings_ = reception_settings(event)
    principal = _principal(flight)
    stay = _stay_of(principal) or next(
        (s for s in (_stay_of(m) for m in flight.travellers.all()) if s), None)
    if stay is None:
        Movement.objects.filter(event=event, flight=flight, edited_by_hand=False).delete()
        return []
    roads_ = roads_ or Roads(event)
    sources = []
    for k, category in enumerate(_motorcade(event, principal)):
        source = f"flight:{flight.pk}:{k}"
        if flight.direction == Direction.ARRIVAL:
            pickup = flight.scheduled_at + timedelta(minutes=settings_.airport_to_hotel_minutes)
            origin, destination, kind = flight.airport, stay.hotel, MovementKind.ARRIVAL
            arrive_by = None
        else:
            arrive_by = flight.scheduled_at - AT_AIRPORT_BEFORE
            pickup = arrive_by - timedelta(minutes=60)
            for _round in range(2):  # the road's time depends on when the car leaves
                minutes = roads_.minutes(stay.hotel_id, flight.airport_id, pickup) or 60
                pickup = min(pickup, arrive_by - timedelta(minutes=minutes))
            origin, destination, kind = stay.hotel, flight.airport, MovementKind.DEPARTURE
        _upsert(event, source, delegation=flight.delegation, principal=principal, kind=kind,
                origin=origin, destination=destination, pickup=pickup, arrive_by=arrive_by,
                category=category, flight=flight,
                title=f"{flight.flight_number} {flight.get_direction_display()}")
        sources.append(source)
    Movement.objects.filter(event=event, flight=flight, edited_by_hand=False).exclude(
        source__in=sources).delete()
    return sources


@dataclass(frozen=True)
class Engagement:
    member_id: int
    delegation_id: int
    start: datetime
    end: datetime
    title: str
    kind: str  # session | bilateral | signing
    place: str = ""


def engagements(event, members=None) -> list[Engagement]:
    """What principals attend: programme sessions (as principal, speaker or chair), published
    bilaterals they attend, and the signing slot."""
    from convene.bilaterals.models import PublishedMeeting
    from convene.programme.models import Participation
    from convene.protocol.models import Signatory

    found = []
    parts = Participation.objects.filter(session__event=event, member__isnull=False)
    signings = Signatory.objects.filter(event=event, appointment__isnull=False)
    meetings = PublishedMeeting.objects.filter(request__event=event, cancelled=False)
    if members is not None:
        ids = [m.pk for m in members]
        parts = parts.filter(member_id__in=ids)
        signings = signings.filter(signer_id__in=ids)
    for p in parts.select_related("session", "member", "session__room"):
        found.append(Engagement(p.member_id, p.member.delegation_id, p.session.starts_at,
                                p.session.ends_at, p.session.title, "session",
                                str(p.session.room or "")))
    for s in signings.select_related("signer"):
        found.append(Engagement(s.signer_id, s.delegation_id, s.appointment,
                                s.appointment + timedelta(minutes=15),
                                _("Signing of the Convention"), "signing"))
    for pm in meetings.select_related("request", "request__requester",
                                      "request__counterpart").prefetch_related(
            "request__requester_attendees", "request__counterpart_attendees"):
        req = pm.request
        people = list(req.requester_attendees.all()) + list(
            req.counterpart_attendees.all())
        for person in people:
            if members is not None and person.pk not in ids:
                continue
            other = req.counterpart if person.delegation_id == req.requester_id else req.requester
            found.append(Engagement(person.pk, person.delegation_id, pm.start, pm.end,
                                    _("Bilateral with %(other)s") % {"other": other},
                                    "bilateral", pm.room_name))
    return sorted(found, key=lambda e: (e.start, e.title))


@transaction.atomic
def generate_movements(user, event) -> int:
    """Movements from arrivals, departures, the programme, the published bilaterals and the
    hotels: for each principal and each day with engagements, hotel → venue before the first
    and back after the last. Movements edited by hand are kept as they are."""
    require(user, "reception.manage")
    roads_ = Roads(event)
    sources = []
    for flight in Flight.objects.filter(event=event).prefetch_related("travellers"):
        sources += _movements_for_flight(flight, roads_)
    venue = Place.objects.filter(event=event, kind=PlaceKind.VENUE).first()
    if venue:
        days: dict[tuple[int, object], list[Engagement]] = {}
        for e in engagements(event):
            days.setdefault((e.member_id, timezone.localtime(e.start).date()), []).append(e)
        members = {m.pk: m for m in Member.objects.filter(
            pk__in={k[0] for k in days}).select_related("delegation")}
        for (member_id, day), items in days.items():
            member = members[member_id]
            stay = _stay_of(member)
            if stay is None:
                continue
            first, last = min(items, key=lambda e: e.start), max(items, key=lambda e: e.end)
            category = _motorcade(event, member)[0]
            out = f"day:{member_id}:{day.isoformat()}:out"
            arrive_by = first.start - AT_VENUE_BEFORE
            minutes = roads_.minutes(stay.hotel_id, venue.pk, arrive_by - timedelta(
                minutes=30)) or 30
            _upsert(event, out, delegation=member.delegation, principal=member,
                    kind=MovementKind.TO_VENUE, origin=stay.hotel, destination=venue,
                    pickup=arrive_by - timedelta(minutes=minutes), arrive_by=arrive_by,
                    category=category, flight=None, title=first.title)
            back = f"day:{member_id}:{day.isoformat()}:back"
            _upsert(event, back, delegation=member.delegation, principal=member,
                    kind=MovementKind.RETURN, origin=venue, destination=stay.hotel,
                    pickup=last.end + timedelta(minutes=10), arrive_by=None,
                    category=category, flight=None, title=last.title)
            sources += [out, back]
    stale = Movement.objects.filter(event=event, edited_by_hand=False).exclude(
        source__in=sources).exclude(source="")
    stale.delete()
    count = Movement.objects.filter(event=event).count()
    record(user, "reception.movements_generated", None, object_type="reception.movement",
           summary=f"{count} movements for {event}")
    refresh_conflicts(event)
    return count


@transaction.atomic
def save_movement(user, movement: Movement, data: dict) -> Movement:
    """A movement changed by hand (the desk or the motor pool); generation leaves it alone."""
    require(user, "reception.plan_fleet")
    before = snapshot(movement)
    for key, value in data.items():
        setattr(movement, key, value)
    movement.edited_by_hand = True
    movement.save()
    record(user, "reception.movement_changed", movement, before=before,
           after=snapshot(movement), summary=str(movement))
    refresh_conflicts(movement.event)
    return movement


# --- fleet -------------------------------------------------------------------------------------

@transaction.atomic
def assign_dedicated_cars(user, event) -> list[Vehicle]:
    """Principals at or above the configured rank get a VIP car and its driver for their
    stay; their principal-car movements go to it, out of the pool."""
    require(user, "reception.plan_fleet")
    threshold = reception_settings(event).dedicated_car_rank
    heads = [m for m in Member.objects.filter(delegation__event=event, is_head=True,
                                              flights__isnull=False).distinct()
             if rules.is_at_least(m.rank, threshold)]
    heads.sort(key=lambda m: (rules.band(m.rank), m.pk))
    taken = set(Vehicle.objects.filter(event=event, dedicated_to__isnull=False).values_list(
        "dedicated_to_id", flat=True))
    free = list(Vehicle.objects.filter(event=event, category=VehicleCategory.VIP_SEDAN,
                                       dedicated_to__isnull=True))
    given = []
    for head in heads:
        if head.pk in taken:
            continue
        if not free:
            break
        car = free.pop(0)
        car.dedicated_to = head
        car.save(update_fields=["dedicated_to"])
        record(user, "reception.dedicated_car", car, after={"dedicated_to": head.pk},
               summary=f"{car.code} dedicated to {head} ({head.delegation})")
        given.append(car)
    _apply_dedicated(event)
    refresh_conflicts(event)
    return given


def _apply_dedicated(event) -> None:
    for car in Vehicle.objects.filter(event=event, dedicated_to__isnull=False):
        driver = car.drivers.first()
        Movement.objects.filter(event=event, principal_id=car.dedicated_to_id,
                                category=car.category).update(vehicle=car, driver=driver,
                                                              unassigned_reason="")


@transaction.atomic
def plan_fleet(user, event, time_limit: float = 10) -> fleet.Plan:
    """The pooled vehicles to every movement not taken by a dedicated car or by hand: the
    fewest vehicles per category (fleet.py), each with its usual driver."""
    require(user, "reception.plan_fleet")
    _apply_dedicated(event)
    pooled = list(Vehicle.objects.filter(event=event, dedicated_to__isnull=True))
    movements = list(Movement.objects.filter(event=event).exclude(
        vehicle__dedicated_to__isnull=False).exclude(edited_by_hand=True, vehicle__isnull=False))
    instance = fleet_instance(event, movements, pooled)
    result = fleet.plan(instance, time_limit=time_limit)
    cars = {v.code: v for v in pooled}
    drivers = {d.vehicle_id: d for d in Driver.objects.filter(event=event, vehicle__isnull=False)}
    for m in movements:
        code = result.assignments.get(str(m.pk))
        m.vehicle = cars.get(code) if code else None
        m.driver = drivers.get(m.vehicle.pk) if m.vehicle else None
        m.unassigned_reason = result.unassigned.get(str(m.pk), "")
    Movement.objects.bulk_update(movements, ["vehicle", "driver", "unassigned_reason"])
    record(user, "reception.fleet_planned", None, object_type="reception.movement",
           after={"vehicles_used": result.vehicles_used, "lower_bound": result.lower_bound,
                  "unassigned": len(result.unassigned)},
           summary=f"fleet plan: {sum(result.vehicles_used.values())} vehicles "
                   f"(lower bound {sum(result.lower_bound.values())}), "
                   f"{len(result.unassigned)} unserved")
    refresh_conflicts(event)
    return result


# --- greeters, liaison officers, hotels --------------------------------------------------------

def _rules(event) -> list[rules.Rule]:
    return [rules.Rule(r.rank, tuple(r.roles), r.flowers, r.guard_of_honour, r.vip_terminal)
            for r in GreetingRule.objects.filter(event=event)]


@transaction.atomic
def compute_greetings(user, event) -> rules.Roster:
    """The greeting roster from the greeting rules and each greeter's availability."""
    require(user, "reception.manage")
    landings = []
    for flight in Flight.objects.filter(event=event, direction=Direction.ARRIVAL)\
            .prefetch_related("travellers"):
        head = next((m for m in flight.travellers.all() if m.is_head), None)
        if head:
            landings.append(rules.Landing(flight.pk, flight.scheduled_at, head.rank, str(head)))
    greeters = [rules.GreeterInfo(g.pk, g.role, g.available_from, g.available_until, g.name)
                for g in Greeter.objects.filter(event=event)]
    roster = rules.greeting_roster(landings, _rules(event), greeters)
    Greeting.objects.filter(flight__event=event).delete()
    Greeting.objects.bulk_create([Greeting(flight_id=f, greeter_id=g, role=role)
                                  for (f, role), g in roster.greetings.items()])
    record(user, "reception.greetings_computed", None, object_type="reception.greeting",
           summary=f"{len(roster.greetings)} greetings, {len(roster.gaps)} without a greeter")
    refresh_conflicts(event)
    return roster


def _liaison_needs(event) -> list[rules.LiaisonNeed]:
    needs = []
    delegations = Delegation.objects.filter(event=event, flights__isnull=False).distinct()\
        .select_related("entity").prefetch_related("members")
    for d in delegations:
        profile = delegation_reception(d)
        head = next((m for m in d.members.all() if m.is_head), None)
        senior = head is not None and rules.band(head.rank) == 0
        needs.append(rules.LiaisonNeed(d.pk, tuple(profile.language_list), senior, str(d)))
    return needs


@transaction.atomic
def compute_liaisons(user, event) -> rules.LiaisonPlan:
    """One liaison officer per delegation, optimally matched on languages and seniority;
    officers set by hand stay."""
    require(user, "reception.manage")
    needs = _liaison_needs(event)
    profiles = {p.delegation_id: p for p in DelegationReception.objects.filter(
        delegation__event=event)}
    fixed = {d: p.liaison_officer_id for d, p in profiles.items()
             if p.liaison_set_by_hand and p.liaison_officer_id}
    officers = [rules.OfficerInfo(o.pk, tuple(o.language_list), o.is_senior)
                for o in LiaisonOfficer.objects.filter(event=event)]
    plan = rules.assign_liaisons(needs, officers, fixed)
    DelegationReception.objects.filter(delegation__event=event, liaison_set_by_hand=False)\
        .update(liaison_officer=None)
    for need in needs:
        profile = profiles.get(need.delegation) or delegation_reception(
            Delegation.objects.get(pk=need.delegation))
        if need.delegation in fixed:
            continue
        profile.liaison_officer_id = plan.assigned.get(need.delegation)
        profile.liaison_reason = plan.unmatched.get(need.delegation, "")
        profile.save(update_fields=["liaison_officer", "liaison_reason"])
    record(user, "reception.liaisons_computed", None, object_type="reception.liaison",
           after={"assigned": {str(k): v for k, v in plan.assigned.items()},
                  "unmatched": {str(k): v for k, v in plan.unmatched.items()}},
           summary=f"{len(plan.assigned)} liaison officers assigned, "
                   f"{len(plan.unmatched)} delegations without one")
    refresh_conflicts(event)
    return plan


@transaction.atomic
def set_liaison(user, delegation, officer: LiaisonOfficer | None) -> DelegationReception:
    """The desk's own choice, kept by later computations."""
    require(user, "reception.manage")
    profile = delegation_reception(delegation)
    if officer is not None:
        if officer.event_id != delegation.event_id:
            raise ReceptionRefused(_("That officer is not at this event."), field="officer")
        other = DelegationReception.objects.filter(liaison_officer=officer).exclude(
            pk=profile.pk).first()
        if other:
            raise ReceptionRefused(_("%(officer)s already looks after %(delegation)s.") % {
                "officer": officer, "delegation": other.delegation}, field="officer")
    before = {"liaison_officer": profile.liaison_officer_id}
    profile.liaison_officer = officer
    profile.liaison_set_by_hand = officer is not None
    profile.liaison_reason = ""
    profile.save()
    record(user, "reception.liaison_set", profile, before=before,
           after={"liaison_officer": officer.pk if officer else None},
           summary=f"{delegation}: liaison officer {officer or '—'}")
    return profile


@transaction.atomic
def assign_hotels(user, event) -> list[Stay]:
    """A room for every traveller without one: the hotel of their head of delegation, else
    the hotel with the most rooms of the type left; suites by rank (rules.room_type_for).
    Nights from the arrival day to the departure day; over-blocks become conflicts."""
    require(user, "reception.manage")
    hotels = list(Place.objects.filter(event=event, kind=PlaceKind.HOTEL))
    if not hotels:
        raise ReceptionRefused(_("There is no hotel yet."))
    blocks = {(b.hotel_id, b.night, b.room_type): b.rooms
              for b in RoomBlock.objects.filter(hotel__event=event)}
    used: dict[tuple, int] = {}
    for s in Stay.objects.filter(hotel__event=event):
        for night in rules.nights(s.check_in, s.check_out):
            used[(s.hotel_id, night, s.room_type)] = used.get(
                (s.hotel_id, night, s.room_type), 0) + 1
    flights = Flight.objects.filter(event=event).prefetch_related("travellers")
    arrive, leave = {}, {}
    for f in flights:
        day = timezone.localtime(f.scheduled_at).date()
        for m in f.travellers.all():
            target = arrive if f.direction == Direction.ARRIVAL else leave
            target[m.pk] = min(target.get(m.pk, day), day) if f.direction == \
                Direction.ARRIVAL else max(target.get(m.pk, day), day)
    members = Member.objects.filter(pk__in=arrive, stays__isnull=True).select_related(
        "delegation").order_by("-is_head", "pk")
    created = []
    head_hotel = {s.member.delegation_id: s.hotel_id for s in Stay.objects.filter(
        hotel__event=event, member__is_head=True).select_related("member")}
    for m in members:
        check_in = arrive[m.pk]
        check_out = leave.get(m.pk, check_in + timedelta(days=1))
        if check_out <= check_in:
            check_out = check_in + timedelta(days=1)
        room_type = rules.room_type_for(m.rank, m.is_head)
        nights = rules.nights(check_in, check_out)

        def spare(hotel_id, nights=nights, room_type=room_type):
            return min(blocks.get((hotel_id, n, room_type), 0) - used.get(
                (hotel_id, n, room_type), 0) for n in nights)

        hotel_id = head_hotel.get(m.delegation_id)
        if hotel_id is None or spare(hotel_id) <= 0 and not m.is_head:
            hotel_id = max(hotels, key=lambda h: (spare(h.pk), -h.pk)).pk
        stay = Stay.objects.create(member=m, hotel_id=hotel_id, room_type=room_type,
                                   check_in=check_in, check_out=check_out)
        for n in nights:
            used[(hotel_id, n, room_type)] = used.get((hotel_id, n, room_type), 0) + 1
        if m.is_head:
            head_hotel[m.delegation_id] = hotel_id
        record(user, "reception.stay_assigned", stay, after=snapshot(stay),
               summary=f"{m} ({m.delegation}) at {stay.hotel.code}, {room_type}")
        created.append(stay)
    for f in flights:
        _movements_for_flight(f)
    refresh_conflicts(event)
    return created


@transaction.atomic
def save_stay(user, member: Member, data: dict) -> Stay:
    require(user, "reception.manage")
    stay = Stay.objects.filter(member=member).first() or Stay(member=member)
    before = snapshot(stay) if stay.pk else None
    for key, value in data.items():
        setattr(stay, key, value)
    try:
        stay.full_clean(exclude=["member"])
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ReceptionRefused(" ".join(messages),
                               field=None if field == "__all__" else field) from None
    stay.save()
    record(user, "reception.stay_saved", stay, before=before, after=snapshot(stay),
           summary=f"{member} at {stay.hotel.code}")
    refresh_conflicts(member.delegation.event)
    return stay


# --- conflicts ---------------------------------------------------------------------------------

def find_conflicts(event) -> list[rules.Found]:
    """Every conflict the rules find in the event's reception plan now."""
    roads_ = Roads(event)
    venue = Place.objects.filter(event=event, kind=PlaceKind.VENUE).first()
    airport = Place.objects.filter(event=event, kind=PlaceKind.AIRPORT).first()
    settings_ = reception_settings(event)
    flights = list(Flight.objects.filter(event=event).prefetch_related("travellers")
                   .select_related("delegation"))
    trips, everyone = [], []  # per flight its principal; per flight each traveller
    for f in flights:
        principal = _principal(f)
        if principal is None:
            continue
        at = timezone.localtime(f.scheduled_at)
        trips.append(rules.Trip(f.pk, principal.pk, f.delegation_id, at, f.direction,
                                f"{principal} ({f.delegation}, {f.flight_number})"))
        everyone += [rules.Trip(f.pk, m.pk, f.delegation_id, at, f.direction,
                                f"{m} ({f.delegation}, {f.flight_number})")
                     for m in f.travellers.all()]
    travellers = {t.principal for t in everyone}
    commitments = [rules.Commitment(e.member_id, e.delegation_id, timezone.localtime(e.start),
                                    e.title, e.kind == "signing")
                   for e in engagements(event, Member.objects.filter(pk__in=travellers))]
    to_venue = timedelta(minutes=settings_.airport_to_hotel_minutes + (
        roads_.minutes(airport.pk, venue.pk) or 45 if airport and venue else 45))
    to_airport = timedelta(minutes=(roads_.minutes(venue.pk, airport.pk) or 45
                                    if airport and venue else 45)) + timedelta(hours=1)
    found = rules.late_landings(everyone, commitments, to_venue)
    found += rules.departures_before_signing(everyone, commitments, to_airport)
    movements = list(Movement.objects.filter(event=event).select_related(
        "vehicle", "driver", "origin", "destination", "delegation"))
    found += rules.arrivals_without_movement(
        trips, {m.flight_id for m in movements if m.flight_id})
    timed, car_bookings, driver_bookings = [], [], []
    for m in movements:
        minutes = roads_.minutes(m.origin_id, m.destination_id, m.pickup)
        label = (f"{m.delegation}: {timezone.localtime(m.pickup):%d %b %H:%M} "
                 f"{m.origin.code} → {m.destination.code}")
        timed.append(rules.TimedMovement(m.pk, timezone.localtime(m.pickup), timezone.localtime(
            m.arrive_by) if m.arrive_by else None, minutes, label, m.delegation_id))
        end = m.pickup + timedelta(minutes=(minutes or 30) + settings_.buffer_minutes)
        if m.vehicle:
            car_bookings.append(rules.Booking(f"vehicle:{m.vehicle_id}", m.vehicle.code,
                                              m.pickup, end, label, str(m.pk), m.delegation_id))
        if m.driver:
            driver_bookings.append(rules.Booking(f"driver:{m.driver_id}", m.driver.name,
                                                 m.pickup, end, label, str(m.pk),
                                                 m.delegation_id))
    found += rules.movements_too_short(timed)
    found += rules.double_bookings(car_bookings, "car")
    found += rules.double_bookings(driver_bookings, "driver")
    greeter_bookings = [
        rules.Booking(f"greeter:{g.greeter_id}", g.greeter.name,
                      g.flight.scheduled_at - rules.GREETING_BEFORE,
                      g.flight.scheduled_at + rules.GREETING_AFTER,
                      f"{g.flight.delegation} {g.flight.flight_number}", str(g.pk),
                      g.flight.delegation_id)
        for g in Greeting.objects.filter(flight__event=event).select_related(
            "greeter", "flight", "flight__delegation")]
    found += rules.double_bookings(greeter_bookings, "greeter")
    # liaison officers: one delegation each is a database constraint; two delegations' stays
    # can still overlap only if a hand edit bypassed it, so there is nothing more to check.
    blocks = {(b.hotel_id, b.night, b.room_type): b for b in RoomBlock.objects.filter(
        hotel__event=event).select_related("hotel")}
    use: dict[tuple, int] = {}
    stays = list(Stay.objects.filter(hotel__event=event).select_related("hotel", "member"))
    for s in stays:
        for night in rules.nights(s.check_in, s.check_out):
            use[(s.hotel_id, night, s.room_type)] = use.get((s.hotel_id, night, s.room_type),
                                                            0) + 1
    hotel_codes = {s.hotel_id: s.hotel.code for s in stays}
    found += rules.over_blocks([
        rules.BlockUse(hotel_codes[h], night, room_type,
                       blocks[(h, night, room_type)].rooms if (h, night, room_type) in blocks
                       else 0, n)
        for (h, night, room_type), n in use.items()])
    found += rules.late_checkouts(
        [rules.StayInfo(s.member_id, s.member.delegation_id, str(s.member), s.check_out,
                        s.late_checkout) for s in stays], trips)
    return rules.sort_found(found)


def refresh_conflicts(event) -> list[Conflict]:
    """Keep the Conflict rows in step with the rules: new ones open, the ones no longer found
    are resolved ("cleared"), one that comes back after clearing opens again."""
    found = {f.key: f for f in find_conflicts(event)}
    existing = {c.key: c for c in Conflict.objects.filter(event=event)}
    now = timezone.now()
    for key, f in found.items():
        c = existing.get(key)
        if c is None:
            Conflict.objects.create(event=event, key=key, rule=f.rule, severity=f.severity,
                                    message=f.message[:500], delegation_id=f.delegation)
        elif c.status == ConflictStatus.RESOLVED and c.resolved_by_id is None:
            c.status, c.resolution, c.resolved_at = ConflictStatus.OPEN, "", None
            c.message = f.message[:500]
            c.save(update_fields=["status", "resolution", "resolved_at", "message"])
    for key, c in existing.items():
        if key not in found and c.status == ConflictStatus.OPEN:
            c.status, c.resolved_at = ConflictStatus.RESOLVED, now
            c.resolution = _("Cleared: the plan no longer has this conflict.")
            c.save(update_fields=["status", "resolved_at", "resolution"])
    return list(Conflict.objects.filter(event=event, status=ConflictStatus.OPEN))


@transaction.atomic
def resolve_conflict(user, conflict: Conflict, resolution: str) -> Conflict:
    require(user, "reception.manage")
    if not resolution.strip():
        raise ReceptionRefused(_("Say how it was resolved."), field="resolution")
    before = snapshot(conflict, ["status", "resolution"])
    conflict.status, conflict.resolution = ConflictStatus.RESOLVED, resolution.strip()[:500]
    conflict.resolved_at, conflict.resolved_by = timezone.now(), user
    conflict.save()
    record(user, "reception.conflict_resolved", conflict, before=before,
           after=snapshot(conflict, ["status", "resolution"]),
           summary=f"{conflict.message}: {conflict.resolution}")
    return conflict


@transaction.atomic
def raise_incident(user, conflict: Conflict):
    """A critical conflict becomes an incident of the reception task force in one click
    (operations' own incident service: escalation, owner, audit)."""
    require(user, "reception.raise_incident")
    from convene.operations.models import TaskForce
    from convene.operations.services import report_issue

    if conflict.incident_id:
        return conflict.incident
    task_force = TaskForce.objects.filter(event=conflict.event, area="reception").first()
    if task_force is None:
        raise ReceptionRefused(_("There is no reception task force to report to."))
    issue = report_issue(user, task_force, {
        "title": conflict.message[:300], "severity": "critical"
        if conflict.severity == "critical" else "high",
        "description": _("Raised from the reception board (rule: %(rule)s).") % {
            "rule": conflict.rule},
        "delegation": conflict.delegation})
    conflict.incident = issue
    conflict.save(update_fields=["incident"])
    record(user, "reception.incident_raised", conflict, after={"incident": issue.pk},
           summary=f"{conflict.message} → incident #{issue.pk}")
    return issue


def readiness_summary(event) -> dict:
    """For the readiness dashboard: the reception conflicts still open, by severity."""
    open_ = Conflict.objects.filter(event=event, status=ConflictStatus.OPEN)
    counts = {s: open_.filter(severity=s).count() for s in ("critical", "serious", "warning")}
    return {"open": sum(counts.values()), **counts}


@dataclass
class ImportResult:
    flights: list
    errors: list

    @property
    def ok(self) -> bool:
        return not self.errors


def import_travel(user, delegation, content: bytes) -> ImportResult:
    """Arrivals and departures from a file: all rows or none. Travellers on the same flight,
    direction and time become one flight (they travel together). A flight the delegation
    already has is updated; from the desk, a new time is a flight change (movements move,
    conflicts are raised, the people concerned are told)."""
    from convene.reception import travel_import

    require(user, "reception.enter_travel", delegation)
    if not travel_open(user, delegation):
        return ImportResult([], [travel_import.RowError(0, "file", _(
            "The arrivals deadline has passed: ask the reception desk."))])
    parsed = travel_import.parse(
        content, list(delegation.members.all()),
        list(Place.objects.filter(event=delegation.event, kind=PlaceKind.AIRPORT)),
        settings.TIME_ZONE)
    if parsed.errors:
        return ImportResult([], parsed.errors)
    groups: dict[tuple, list] = {}
    for row in parsed.rows:
        groups.setdefault((row.direction, row.flight, row.day, row.clock, row.time_zone,
                           row.airport.pk), []).append(row)
    flights = []
    try:
        with transaction.atomic():
            for rows in groups.values():
                first = rows[0]
                line = first.line
                at = local_datetime(first.day, first.clock, first.time_zone)
                known = Flight.objects.filter(
                    delegation=delegation, direction=first.direction,
                    flight_number__iexact=first.flight).first()
                if known is not None and user.has_perm("reception.manage"):
                    # a file of flight changes from the desk: moved like a change by hand
                    if known.scheduled_at != at:
                        change_flight(user, known, at, note=_("from a file"))
                    flights.append(known)
                    continue
                flights.append(save_flight(user, delegation, {
                    "direction": first.direction, "travellers": [r.member for r in rows],
                    "flight_number": first.flight, "airline": first.airline,
                    "origin": first.origin, "airport": first.airport,
                    "terminal": first.terminal,
                    "scheduled_at": local_datetime(first.day, first.clock, first.time_zone),
                    "time_zone": first.time_zone, "baggage": sum(r.baggage for r in rows)},
                    flight=known))
    except ReceptionRefused as exc:
        return ImportResult([], [travel_import.RowError(line, exc.field or "file", exc.message)])
    return ImportResult(flights, [])
