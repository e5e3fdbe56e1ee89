"""Objects of the programme and protocol apps for tests (and the permission matrix)."""

from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from convene.delegations.models import Member
from convene.programme.models import Cue, Day, Participation, Room, Session


def at(hour: int, minute: int = 0, day: int = 25) -> datetime:
    return timezone.make_aware(datetime(2025, 10, day, hour, minute))


def make_day(event, d: date = date(2025, 10, 25)) -> Day:
    return Day.objects.get_or_create(event=event, date=d, defaults={"title": f"Day {d}"})[0]


def make_room(event, name="Plenary Hall", capacity=500, rows=4, seats_per_row=12) -> Room:
    return Room.objects.get_or_create(event=event, name=name, defaults={
        "capacity": capacity, "rows": rows, "seats_per_row": seats_per_row})[0]


def make_session(event, title="Opening session", kind="opening", start=(9, 0), end=(10, 0),
                 room=None, **extra) -> Session:
    day = make_day(event, date(2025, 10, extra.pop("day", 25)))
    return Session.objects.create(
        event=event, day=day, kind=kind, title=title,
        starts_at=at(*start, day=day.date.day), ends_at=at(*end, day=day.date.day),
        room=room, **extra)


def make_script(session, n=3, minutes=2) -> list[Cue]:
    return [Cue.objects.create(session=session, position=i + 1,
                               planned_at=session.starts_at + timedelta(minutes=minutes * i),
                               duration_seconds=minutes * 60, what=f"Cue {i + 1}",
                               where="Podium", task_force="Protocol")
            for i in range(n)]


def make_member(delegation, family, rank="minister", status="approved", **extra) -> Member:
    return Member.objects.create(delegation=delegation, family_name=family, rank=rank,
                                 status=status, **extra)


def add_person(session, member, role="speaker") -> Participation:
    return Participation.objects.create(session=session, member=member, role=role)


def pdf_file(name="full-powers.pdf") -> ContentFile:
    """A real (blank, one-page) PDF: uploads are parsed before they are kept."""
    from tests.files import pdf_bytes

    return ContentFile(pdf_bytes(), name=name)
