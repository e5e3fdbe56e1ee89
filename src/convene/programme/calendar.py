"""iCalendar (RFC 5545) feeds of the programme, for a delegation or a person.

Calendar applications cannot log in, so each feed has its own secret URL (a token that can be
revoked). Each session keeps a stable UID and a SEQUENCE that grows when it changes, so the
calendar updates the event in place instead of adding a copy.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    description: str
    sequence: int
    updated_at: datetime


def build_calendar(name: str, items: Iterable[CalendarItem], now: datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Convene//Programme//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for item in items:
        ev = Event()
        ev.add("uid", item.uid)
        ev.add("dtstamp", now)
        ev.add("dtstart", item.starts_at)
        ev.add("dtend", item.ends_at)
        ev.add("summary", item.title)
        if item.location:
            ev.add("location", item.location)
        if item.description:
            ev.add("description", item.description)
        ev.add("sequence", item.sequence)
        ev.add("last-modified", item.updated_at)
        cal.add_component(ev)
    return cal.to_ical()
