"""The media centre's actions: facility bookings within capacity, interview requests to a
delegation's spokesperson with slots that avoid the principal's programme and bilaterals, and
the press conference question queue (rules in media_centre.py).
"""

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from convene.accounts.permissions import require as _require
from convene.audit.services import record, snapshot
from convene.delegations.models import Delegation, Member
from convene.press.models import (
    MediaProfile,
)
from convene.press.services import (
    PressRefused,
    is_accredited,
)

# --- Media centre, interviews, press conferences ---------------------------------------------

def _aware(value):
    return timezone.make_aware(value) if value is not None and timezone.is_naive(value) else value


@transaction.atomic
def save_facility(user, event, data: dict):
    from convene.press.models import Facility

    _require(user, "press.manage_facilities")
    facility = Facility(event=event, kind=data.get("kind"), name=(data.get("name") or "").strip(),
                        capacity=data.get("capacity") or 1)
    try:
        facility.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise PressRefused(" ".join(messages), field) from None
    facility.save()
    record(user, "press.facility_saved", facility, after=snapshot(facility),
           summary=facility.name)
    return facility


@transaction.atomic
def book(user, facility, profile: MediaProfile, starts_at, ends_at):
    """Book a workstation, booth or room, within its capacity."""
    from convene.press import media_centre
    from convene.press.models import Booking, Facility

    _require(user, "press.book", profile)
    starts_at, ends_at = _aware(starts_at), _aware(ends_at)
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise PressRefused(_("The booking must end after it starts."), "ends_at")
    if not is_accredited(profile, fresh=True):
        raise PressRefused(_("Only an approved accreditation can book."))
    Facility.objects.select_for_update().get(pk=facility.pk)  # one booking at a time per room
    taken = list(Booking.objects.filter(facility=facility, starts_at__lt=ends_at,
                                        ends_at__gt=starts_at)
                 .values_list("starts_at", "ends_at"))
    if not media_centre.has_room(taken, facility.capacity, starts_at, ends_at):
        raise PressRefused(_("%(f)s is full at that time (capacity %(n)d).")
                           % {"f": facility, "n": facility.capacity}, "starts_at")
    booking = Booking.objects.create(facility=facility, profile=profile, starts_at=starts_at,
                                     ends_at=ends_at, created_by=user)
    record(user, "press.booked", booking, after={"facility": facility.name,
                                                 "from": starts_at, "until": ends_at},
           summary=f"{profile.member.full_name}: {facility}")
    return booking


@transaction.atomic
def flag_spokesperson(user, member: Member, on: bool = True):
    from convene.press.models import Spokesperson

    _require(user, "press.flag_spokesperson", member)
    if on:
        Spokesperson.objects.get_or_create(member=member)
    else:
        Spokesperson.objects.filter(member=member).delete()
    record(user, "press.spokesperson_flagged" if on else "press.spokesperson_unflagged", member,
           summary=member.full_name)


@transaction.atomic
def request_interview(user, profile: MediaProfile, delegation: Delegation, topic: str,
                      minutes: int = 20):
    from convene.press.models import InterviewRequest, Spokesperson

    _require(user, "press.request_interview", profile)
    if not topic.strip():
        raise PressRefused(_("Say what the interview is about."), "topic")
    if not Spokesperson.objects.filter(member__delegation=delegation).exists():
        raise PressRefused(_("This delegation has no spokesperson for the press."),
                           "delegation")
    req = InterviewRequest.objects.create(profile=profile, delegation=delegation,
                                          topic=topic.strip()[:300],
                                          minutes=max(5, min(int(minutes or 20), 90)))
    record(user, "press.interview_requested", req, summary=f"{profile.member.full_name} → "
                                                          f"{delegation}")
    return req


def _delegation_busy(delegation, exclude=None) -> list[tuple]:
    """When the delegation's principal is taken: the programme (the busy-time service that
    bilaterals use), its published bilaterals, and its accepted interviews."""
    from convene.bilaterals import availability
    from convene.bilaterals import services as bilaterals
    from convene.press.models import InterviewRequest, InterviewStatus

    times, _warnings = availability.busy_times(delegation.event)
    busy = [(b.start, b.end) for b in times if b.delegation_id in (None, delegation.pk)]
    busy += [(m.start, m.end) for m in bilaterals.agenda(delegation) if not m.cancelled]
    busy += list(InterviewRequest.objects.filter(
        delegation=delegation, status=InterviewStatus.ACCEPTED).exclude(pk=getattr(
            exclude, "pk", None)).values_list("starts_at", "ends_at"))
    return busy


def _interview_windows(event):
    """09:00-19:00 of each day of the event, from now on (all of it for an event that is over:
    a rehearsal or the demo)."""
    tz = timezone.get_current_timezone()
    now = timezone.now() if event.end_date >= timezone.localdate() else None
    day = event.start_date
    while day <= event.end_date:
        start, end = datetime.combine(day, time(9, 0), tz), datetime.combine(day, time(19, 0), tz)
        if now is not None and now > start:
            start = (now + timedelta(minutes=10)).replace(second=0, microsecond=0)
        if start < end:
            yield start, end
        day += timedelta(days=1)


@transaction.atomic
def answer_interview(user, req, accept: bool):
    """The delegation's focal point accepts (a slot and a room that avoid the principal's
    programme and bilaterals are given) or declines an interview request."""
    from convene.press import media_centre
    from convene.press.models import Booking, Facility, FacilityKind, InterviewStatus

    _require(user, "press.answer_interview", req)
    if req.status != InterviewStatus.REQUESTED:
        raise PressRefused(_("This request has been answered already."))
    if not accept:
        req.status = InterviewStatus.DECLINED
        req.save(update_fields=["status"])
        record(user, "press.interview_declined", req, summary=str(req))
        return req
    busy = _delegation_busy(req.delegation, exclude=req)
    rooms = list(Facility.objects.filter(event=req.delegation.event,
                                         kind=FacilityKind.INTERVIEW_ROOM))
    if not rooms:
        raise PressRefused(_("The media centre has no interview room yet."))
    for start, end in _interview_windows(req.delegation.event):
        while start < end:
            slot = media_centre.first_free_slot(start, end, req.minutes, busy)
            if slot is None:
                break
            for room in rooms:
                taken = list(Booking.objects.filter(facility=room, starts_at__lt=slot[1],
                                                    ends_at__gt=slot[0])
                             .values_list("starts_at", "ends_at"))
                taken += [(i.starts_at, i.ends_at) for i in type(req).objects.filter(
                    room=room, status=InterviewStatus.ACCEPTED)]
                if media_centre.has_room(taken, room.capacity, *slot):
                    req.status, req.room = InterviewStatus.ACCEPTED, room
                    req.starts_at, req.ends_at = slot
                    req.save(update_fields=["status", "room", "starts_at", "ends_at"])
                    record(user, "press.interview_accepted", req,
                           after={"from": slot[0], "until": slot[1], "room": room.name},
                           summary=str(req))
                    return req
            start = slot[0] + timedelta(minutes=10)
    raise PressRefused(_("No free slot and room remain for this interview during the event."))


def _hand(q):
    outlet = q.profile.member.delegation.media_outlet
    from convene.press import media_centre

    return media_centre.Hand(q.pk, str(outlet.pk), outlet.country or (
        "domestic" if not outlet.foreign else "foreign"), q.asked_at)


def question_queue(session) -> list:
    """The waiting questions in the order the moderator calls them (media_centre.py)."""
    from convene.press import media_centre
    from convene.press.models import Question

    rows = list(Question.objects.filter(session=session, withdrawn=False).select_related(
        "profile__member__delegation__media_outlet", "profile__member__delegation__entity"))
    waiting = [q for q in rows if q.called_at is None]
    order = media_centre.balanced_queue([_hand(q) for q in waiting],
                                        [_hand(q) for q in rows if q.called_at])
    by_id = {q.pk: q for q in waiting}
    return [by_id[h.id] for h in order]


@transaction.atomic
def ask(user, session):
    from convene.press.models import Question

    _require(user, "press.ask_question")
    profile = MediaProfile.objects.filter(user=user).select_related("member").first()
    if profile is None or not is_accredited(profile, fresh=True):
        raise PressRefused(_("Only an accredited journalist asks for the floor."))
    if Question.objects.filter(session=session, profile=profile, called_at__isnull=True,
                               withdrawn=False).exists():
        raise PressRefused(_("You are in the queue already."))
    q = Question.objects.create(session=session, profile=profile)
    record(user, "press.floor_asked", q, summary=f"{profile.member.full_name}: {session}")
    return q


@transaction.atomic
def call_next(user, session):
    _require(user, "press.moderate")
    queue = question_queue(session)
    if not queue:
        raise PressRefused(_("Nobody is waiting."))
    q = queue[0]
    q.called_at = timezone.now()
    q.save(update_fields=["called_at"])
    record(user, "press.floor_given", q, summary=f"{q.profile.member.full_name}: {session}")
    return q
