"""The daily movement plan of a delegation or a principal: arrival, greeting, transfers,
sessions, bilaterals, the signing slot and departure, with car, driver, liaison officer and
hotel (issue 13). Read fresh from the database each time, so it follows every change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from convene.reception.models import (
    DelegationReception,
    Direction,
    Flight,
    Movement,
    Stay,
    Vehicle,
)
from convene.reception.services import engagements


@dataclass
class Item:
    uid: str
    start: datetime
    end: datetime
    kind: str
    title: str
    place: str = ""
    car: str = ""
    driver: str = ""
    who: str = ""
    note: str = ""


@dataclass
class DayPlan:
    day: date
    items: list[Item] = field(default_factory=list)


@dataclass
class Plan:
    delegation: object
    principal: object | None
    liaison_officer: object | None
    hotels: list[str]
    dedicated_car: object | None
    days: list[DayPlan]
    updated_at: datetime


def build(delegation, principal=None) -> Plan:
    members = list(delegation.members.all())
    if principal is not None:
        members = [principal]
    ids = {m.pk for m in members}
    items: list[Item] = []
    flights = Flight.objects.filter(delegation=delegation).prefetch_related(
        "travellers", "greetings__greeter").select_related("airport")
    for f in flights:
        travellers = [m for m in f.travellers.all() if m.pk in ids]
        if not travellers:
            continue
        who = ", ".join(str(m) for m in travellers)
        if f.direction == Direction.ARRIVAL:
            greeters = ", ".join(f"{g.greeter.name} ({g.role})" for g in f.greetings.all())
            items.append(Item(f"flight-{f.pk}", f.scheduled_at, f.scheduled_at + timedelta(
                minutes=30), "arrival", _("Arrival %(flight)s from %(origin)s") % {
                "flight": f.flight_number, "origin": f.origin or "—"},
                f"{f.airport.name} {f.terminal}".strip(), who=who,
                note=(_("Greeted by %(names)s") % {"names": greeters}) if greeters else
                f.get_status_display()))
        else:
            items.append(Item(f"flight-{f.pk}", f.scheduled_at, f.scheduled_at + timedelta(
                minutes=30), "departure", _("Departure %(flight)s to %(to)s") % {
                "flight": f.flight_number, "to": f.origin or "—"},
                f"{f.airport.name} {f.terminal}".strip(), who=who))
    movements = Movement.objects.filter(delegation=delegation).select_related(
        "origin", "destination", "vehicle", "driver", "principal")
    for m in movements:
        if principal is not None and m.principal_id not in ids:
            continue
        items.append(Item(f"movement-{m.pk}", m.pickup, m.arrive_by or m.pickup + timedelta(
            minutes=30), "movement", f"{m.origin.name} → {m.destination.name}",
            m.origin.name, car=f"{m.vehicle.code} {m.vehicle.plate}".strip() if m.vehicle
            else _("no car yet"), driver=(f"{m.driver.name} {m.driver.phone}".strip()
                                          if m.driver else ""),
            who=str(m.principal or ""), note=m.get_kind_display()))
    for e in engagements(delegation.event, members):
        items.append(Item(f"{e.kind}-{e.member_id}-{e.start:%Y%m%d%H%M}", e.start, e.end, e.kind,
                          e.title, e.place, who=next((str(m) for m in members
                                                      if m.pk == e.member_id), "")))
    stays = Stay.objects.filter(member__in=members).select_related("hotel", "member")
    days: dict[date, DayPlan] = {}
    for item in sorted(items, key=lambda i: (i.start, i.uid)):
        day = timezone.localtime(item.start).date()
        days.setdefault(day, DayPlan(day)).items.append(item)
    profile = DelegationReception.objects.filter(delegation=delegation).select_related(
        "liaison_officer").first()
    head = principal or next((m for m in members if m.is_head), None)
    car = Vehicle.objects.filter(dedicated_to=head).first() if head else None
    return Plan(delegation, principal, profile.liaison_officer if profile else None,
                sorted({f"{s.hotel.name} ({s.get_room_type_display()}: {s.member})"
                        for s in stays}), car, [days[d] for d in sorted(days)],
                timezone.now())


def to_ics(plan: Plan) -> bytes:
    from convene.programme.calendar import CalendarItem, build_calendar

    items = []
    for day in plan.days:
        for item in day.items:
            details = " · ".join(x for x in (item.who, item.car, item.driver, item.note) if x)
            items.append(CalendarItem(f"reception-{item.uid}@convene", item.title, item.start,
                                      item.end, item.place, details,
                                      int(plan.updated_at.timestamp()) // 60, plan.updated_at))
    return build_calendar(_("Daily plan: %(d)s") % {"d": plan.delegation}, items, plan.updated_at)
