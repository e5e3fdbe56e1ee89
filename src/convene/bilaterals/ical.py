"""A delegation's bilateral agenda as an iCalendar feed (RFC 5545), for calendar apps.

Each meeting keeps one UID for its whole life; every published change raises its SEQUENCE
(§3.8.7.4), so calendar apps replace the old version instead of adding a second event, and a
cancelled meeting stays in the feed with STATUS:CANCELLED (§3.8.1.11) so that it disappears
from subscribers' calendars rather than lingering. Times are in UTC (no VTIMEZONE needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from icalendar import Calendar, Event

PRODID = "-//Convene//Bilateral meetings//EN"


@dataclass(frozen=True)
class AgendaItem:
    uid: str
    start: datetime
    end: datetime
    summary: str
    location: str
    description: str
    sequence: int
    cancelled: bool
    changed_at: datetime


def agenda_calendar(name: str, items: list[AgendaItem], now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now.astimezone(UTC))
        event.add("last-modified", item.changed_at.astimezone(UTC))
        event.add("dtstart", item.start.astimezone(UTC))
        event.add("dtend", item.end.astimezone(UTC))
        event.add("summary", item.summary)
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
