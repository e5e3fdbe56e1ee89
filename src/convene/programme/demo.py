"""Demo data: the Hanoi programme (25–26 October 2025) and the opening session's script.

The session structure follows the public record (opening at 09:00 on 25 October with remarks
by the host President and the Secretary-General, the signing ceremony, a plenary co-chaired by
the Prime Minister and the Secretary-General, high-level discussions, side events, a joint
press conference; /work/shared/reference/convention.md §6); rooms, times of the day, the
minute-by-minute script and the people are invented for the demo. Every audit event it writes
says "(demo)". Idempotent: what exists is left as it is.
"""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from convene.audit.services import record, snapshot
from convene.delegations.models import Member
from convene.programme.models import Cue, Day, Participation, Room, Session

DAYS = [
    (date(2025, 10, 25), "Day 1 — Opening and signing ceremony"),
    (date(2025, 10, 26), "Day 2 — High-level conference"),
]
# name, capacity, rows, seats per row, location
ROOMS = [
    ("Plenary Hall", 1500, 5, 24, "Level 1"),
    ("Meeting Room 1", 300, None, None, "Level 2"),
    ("Meeting Room 2", 150, None, None, "Level 2"),
    ("Press Centre", 400, None, None, "Level 1, east wing"),
    ("Banquet Hall", 1000, None, None, "Level 3"),
    ("Bilateral Room A", 12, None, None, "Level 2, VIP area"),
]
# day index, start, end, kind, title, room, expected, zones, public, description
SESSIONS = [
    (0, "09:00", "09:50", "opening", "Opening session", "Plenary Hall", 1400, ["A", "P"], True,
     "Opening remarks by the President of Viet Nam and the Secretary-General of the United "
     "Nations."),
    (0, "10:00", "12:00", "signing", "Signing ceremony of the Convention", "Plenary Hall", 1400,
     ["A", "P"], True, "The Convention is opened for signature."),
    (0, "12:15", "12:45", "press_conference", "Joint press conference", "Press Centre", 350,
     ["M"], True, "The Prime Minister of Viet Nam and the Secretary-General meet the press."),
    (0, "14:00", "17:30", "plenary", "Plenary: high-level general discussion", "Plenary Hall",
     1200, ["A"], True, "Statements by heads of delegation."),
    (0, "14:30", "16:00", "high_level",
     "High-level discussion: international cooperation against cybercrime", "Meeting Room 1",
     250, ["A"], True, ""),
    (0, "15:00", "15:30", "bilateral", "Bilateral meeting: Viet Nam – Lao People's Democratic "
     "Republic", "Bilateral Room A", 10, ["V"], False, ""),
    (0, "16:00", "17:30", "side_event",
     "Side event: electronic evidence across borders", "Meeting Room 2", 180, ["A"], True,
     "Organised with UNODC."),
    (0, "19:00", "21:00", "reception", "Reception offered by the President of Viet Nam",
     "Banquet Hall", 900, ["A", "V"], False, ""),
    (1, "09:00", "12:00", "plenary", "Plenary: high-level general discussion (continued)",
     "Plenary Hall", 1000, ["A"], True, ""),
    (1, "09:30", "11:00", "high_level",
     "High-level discussion: capacity building and technical assistance", "Meeting Room 1",
     250, ["A"], True, ""),
    (1, "11:00", "12:30", "side_event",
     "Side event: cooperation with the private sector", "Meeting Room 2", 150, ["A"], True, ""),
    (1, "15:00", "16:00", "plenary", "Closing session", "Plenary Hall", 1000, ["A", "P"], True,
     ""),
]
# session title, role, (entity code, family name) or a written name
PEOPLE = [
    ("Opening session", "co_chair", ("VNM", "Nguyen")),
    ("Opening session", "co_chair", ("UN", "Secretary-General")),
    ("Opening session", "speaker", ("VNM", "Nguyen")),
    ("Opening session", "speaker", ("UN", "Secretary-General")),
    ("Signing ceremony of the Convention", "chair", ("UN", "Secretary-General")),
    ("Joint press conference", "speaker", "Prime Minister of Viet Nam (demo)"),
    ("Joint press conference", "speaker", ("UN", "Secretary-General")),
    ("Plenary: high-level general discussion", "co_chair", "Prime Minister of Viet Nam (demo)"),
    ("Plenary: high-level general discussion", "co_chair", ("UN", "Secretary-General")),
    ("Plenary: high-level general discussion", "principal", ("LAO", "Phommavong")),
    ("High-level discussion: international cooperation against cybercrime", "moderator",
     ("VNM", "Tran")),
    ("High-level discussion: international cooperation against cybercrime", "speaker",
     ("IDN", "Wulandari")),
    # The Lao President is expected at the plenary and at this bilateral at the same time:
    # the demo shows the conflict the organiser must resolve.
    ("Bilateral meeting: Viet Nam – Lao People's Democratic Republic", "principal",
     ("VNM", "Nguyen")),
    ("Bilateral meeting: Viet Nam – Lao People's Democratic Republic", "principal",
     ("LAO", "Phommavong")),
    ("Side event: electronic evidence across borders", "speaker", ("EGY", "Abdelrahman")),
    ("Side event: cooperation with the private sector", "speaker", ("CHN", "Wang")),
]
# minutes from 08:30, duration (min), what, where, task force, interpreters, stage, media
OPENING_SCRIPT = [
    (0, 25, "Doors open; delegations are seated", "Plenary Hall", "Reception", "",
     "House lights full; holding slide on screens", "Pool positions open at the riser"),
    (25, 3, "Host President arrives at the VIP entrance, welcomed by the Minister of Public "
     "Security", "VIP entrance", "Protocol", "", "", "Pool camera 1 at VIP entrance"),
    (28, 2, "Secretary-General arrives at the VIP entrance, welcomed by the host President",
     "VIP entrance", "Protocol", "", "", "Pool camera 1 at VIP entrance"),
    (30, 1, "Announcement: the ceremony is about to begin; please be seated",
     "Plenary Hall", "Technical", "All six channels live from now on",
     "Voice of God announcement in English and Vietnamese", ""),
    (31, 2, "Co-chairs enter and take their seats on the podium", "Podium", "Protocol", "",
     "Podium lights up; walk-in music", "Wide shot from the back riser"),
    (33, 2, "National anthem of Viet Nam", "Plenary Hall", "Protocol", "No interpretation",
     "All stand; anthem from the sound desk", "No flash photography"),
    (35, 3, "Film: “The road to Hanoi”", "Screens", "Press", "Subtitles in English",
     "House lights down", "Film handed to broadcasters beforehand"),
    (38, 10, "Opening remarks of the President of Viet Nam, 10 min", "Podium", "Protocol",
     "Vietnamese original; English relay from booth 1; text given to booths at 08:00",
     "Lectern at centre; teleprompter on", "Live feed to the Press Centre"),
    (48, 7, "Remarks of the Secretary-General, 7 min", "Podium", "Protocol",
     "English original; text given to booths at 08:00", "Lectern at centre",
     "Live feed to the Press Centre"),
    (55, 5, "Remarks of the Executive Director of UNODC, 5 min", "Podium", "Protocol",
     "English original", "", ""),
    (60, 10, "Family photo of heads of delegation on the main stage", "Main stage", "Press",
     "", "Risers in place; numbered marks on the floor", "Official photographer only"),
    (70, 10, "Co-chairs leave the podium; the hall is set for the signing ceremony",
     "Plenary Hall", "Technical", "", "Signing table and flags brought in", ""),
]


def _aware(day: date, hhmm: str) -> datetime:
    hour, minute = (int(x) for x in hhmm.split(":"))
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def _member(event, code: str, family_name: str) -> Member | None:
    return Member.objects.filter(delegation__event=event, delegation__entity__code=code,
                                 family_name=family_name).first()


def load_demo(event) -> None:
    """Load the Hanoi programme and the opening script into `event` (idempotent). The protocol
    demo (convene.protocol.demo) builds on it and is loaded after it."""
    with transaction.atomic():
        days = [_get_or_create(Day, {"event": event, "date": d}, {"title": t})
                for d, t in DAYS if event.start_date <= d <= event.end_date]
        if len(days) < len(DAYS):
            return  # not the Hanoi event: nothing to load
        rooms = {name: _get_or_create(Room, {"event": event, "name": name},
                                      {"capacity": cap, "rows": rows, "seats_per_row": seats,
                                       "location": where})
                 for name, cap, rows, seats, where in ROOMS}
        sessions = {}
        for day_i, start, end, kind, title, room, expected, zones, public, text in SESSIONS:
            day = days[day_i]
            sessions[title] = _get_or_create(Session, {"event": event, "title": title}, {
                "day": day, "kind": kind, "starts_at": _aware(day.date, start),
                "ends_at": _aware(day.date, end), "room": rooms[room],
                "expected_attendance": expected, "allowed_zones": zones, "is_public": public,
                "description": text})
        for position, (title, role, who) in enumerate(PEOPLE, start=1):
            session = sessions[title]
            if isinstance(who, tuple):
                member = _member(event, *who)
                if member is None:
                    continue
                _get_or_create(Participation, {"session": session, "member": member,
                                               "role": role}, {"position": position})
            else:
                _get_or_create(Participation, {"session": session, "name": who, "role": role},
                               {"position": position})
        opening = sessions["Opening session"]
        if not opening.cues.exists():
            base = _aware(opening.day.date, "08:30")
            for n, (offset, minutes, what, where, tf, interp, stage, media) in enumerate(
                    OPENING_SCRIPT, start=1):
                cue = Cue.objects.create(
                    session=opening, position=n, planned_at=base + timedelta(minutes=offset),
                    duration_seconds=minutes * 60, what=what, where=where, task_force=tf,
                    notes_interpreters=interp, notes_stage=stage, notes_media=media)
                record(None, "programme.cue_added", cue, after=snapshot(cue),
                       summary=f"{what[:80]} (demo)")


def _get_or_create(model, lookup: dict, defaults: dict):
    obj, created = model.objects.get_or_create(**lookup, defaults=defaults)
    if created:
        record(None, f"{model._meta.label_lower}.created", obj, after=snapshot(obj),
               summary=f"{obj} (demo)")
    return obj
