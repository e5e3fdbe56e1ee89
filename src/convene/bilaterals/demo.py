"""The Hanoi demo's bilateral meetings (demo data): four bilateral rooms at the National
Convention Centre, a grid of 30-minute meetings with 10 minutes changeover on both days,
requests between the demo delegations — most accepted and already scheduled and published,
some awaiting the answer of Viet Nam's or Lao PDR's focal point, one declined.

Idempotent: when the event already has bilateral rooms, nothing is loaded (a second call, or a
secretariat that set up its own, changes nothing). Every audit event it writes says "(demo)".
"""

import json
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from convene.audit.services import record, snapshot
from convene.bilaterals import grid, planning, services
from convene.bilaterals.models import (
    AvailabilityBlock,
    BilateralRequest,
    BilateralSettings,
    Priority,
    RequestStatus,
    Room,
    RunStatus,
    ScheduleRun,
    Slot,
)
from convene.delegations.models import Delegation

DEMO_FILE = settings.BASE_DIR / "data" / "bilaterals" / "demo-hanoi-2025.json"
DEMO = " (demo)"


def load_demo(event) -> None:
    if Room.objects.filter(event=event).exists():
        return
    spec = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    with transaction.atomic():
        slots = _grid(event, spec["grid"])
        for item in spec["rooms"]:
            room = Room.objects.create(event=event, **item)
            record(None, "bilateral.room_saved", room, after=snapshot(room), summary=room.name
                   + DEMO)
        delegations = {d.entity.code: d for d in
                       Delegation.objects.filter(event=event).select_related("entity")}
        _unavailable(event, spec["unavailable"], slots, delegations)
        for item in spec["requests"]:
            _request(event, item, delegations)
        _schedule_and_publish(event)


def _grid(event, spec: dict) -> list[Slot]:
    BilateralSettings.objects.update_or_create(event=event, defaults={
        "meeting_minutes": spec["meeting_minutes"],
        "changeover_minutes": spec["changeover_minutes"]})
    days = [event.start_date + timedelta(days=n)
            for n in range((event.end_date - event.start_date).days + 1)]
    times = grid.slot_times(days, grid.parse_windows(spec["windows"]), spec["meeting_minutes"],
                            spec["changeover_minutes"], timezone.get_current_timezone())
    Slot.objects.bulk_create([Slot(event=event, start=t.start, meeting_end=t.meeting_end,
                                   end=t.end) for t in times])
    record(None, "bilateral.configured", None, object_type="core.event",
           object_id=str(event.pk), after={**spec, "slots": len(times)},
           summary=f"{len(times)} slots" + DEMO)
    return list(Slot.objects.filter(event=event))


def _unavailable(event, items: list, slots: list[Slot], delegations: dict) -> None:
    for item in items:
        delegation = delegations.get(item["delegation"])
        if delegation is None:
            continue
        day: date = event.start_date + timedelta(days=item["day"])
        wanted = {datetime.strptime(t, "%H:%M").time() for t in item["times"]}
        chosen = [s for s in slots if timezone.localtime(s.start).date() == day
                  and timezone.localtime(s.start).time() in wanted]
        AvailabilityBlock.objects.bulk_create(
            [AvailabilityBlock(delegation=delegation, slot=s) for s in chosen])
        record(None, "bilateral.availability_set", delegation,
               after={"unavailable_slots": [s.pk for s in chosen]},
               summary=f"{delegation}: {item['why']}" + DEMO)


def _request(event, item: dict, delegations: dict) -> None:
    requester, counterpart = delegations.get(item["from"]), delegations.get(item["to"])
    if requester is None or counterpart is None:
        return
    status = item["status"]
    extra = item.get("extra_seats", 0)
    request = BilateralRequest.objects.create(
        event=event, requester=requester, counterpart=counterpart, topic=item["topic"],
        priority=item["priority"], length=item.get("length", 1), extra_seats=extra,
        min_seats=services.seats_needed(0, 0, extra), status=status,
        counterpart_priority=Priority.NORMAL if status == RequestStatus.ACCEPTED else None,
        note=item.get("note", ""),
        answered_at=timezone.now() if status != RequestStatus.PENDING else None)
    record(None, "bilateral.requested", request,
           after=snapshot(request, services.REQUEST_FIELDS),
           summary=f"{requester} asks {counterpart}: {request.topic}" + DEMO)


def _schedule_and_publish(event) -> None:
    from convene.bilaterals.instance import parse_instance
    from convene.bilaterals.solver import solve

    snap = planning.build_instance(event)
    if not snap.instance["requests"]:
        return
    result = solve(parse_instance(snap.instance), time_limit=10)
    counts = planning.apply_result(event, snap.instance, result.to_json())
    now = timezone.now()
    ScheduleRun.objects.create(
        event=event, status=RunStatus.DONE, time_limit=10, instance=snap.instance,
        result=services.run_output(result, snap.warnings, counts), objective=result.objective,
        bound=result.bound, greedy_objective=result.stats.get("greedy_objective"),
        started_at=now, finished_at=now)
    published = services.publish_working_schedule(event)
    record(None, "bilateral.published", None, object_type="core.event",
           object_id=str(event.pk), after={**counts, **published},
           summary=f"{published['new']} meetings scheduled and published" + DEMO)
