"""The security chief's live picture, in a fixed number of queries whatever the crowd."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncMinute

from convene.accreditation.models import Zone
from convene.gates.models import Checkpoint, Presence, Scan
from convene.gates.services import conflict_rows

WINDOW_MINUTES = 10
REJECTED_SHOWN = 20
CONFLICTS_SHOWN = 50


@dataclass
class MinuteCount:
    minute: datetime
    accepted: int
    rejected: int

    @property
    def total(self) -> int:
        return self.accepted + self.rejected


@dataclass
class LiveSummary:
    zones: list  # (zone, people inside)
    minutes: list[MinuteCount]  # the last WINDOW_MINUTES, oldest first, empty minutes included
    rejected: list[Scan]
    stale: list[Checkpoint]  # not heard from for `stale_minutes` (or never)
    checkpoints: int
    stale_minutes: int
    conflicts: list = field(default_factory=list)  # passback conflicts (dicts), newest first

    @property
    def scans_last_minute(self) -> int:
        return self.minutes[-1].total if self.minutes else 0

    @property
    def peak(self) -> int:
        return max((m.total for m in self.minutes), default=0)


def summarise(event, now: datetime, stale_minutes: int = 5) -> LiveSummary:
    inside = {row["zone"]: row["n"] for row in Presence.objects.filter(
        zone__event=event, inside=True).values("zone").annotate(n=Count("id")).order_by()}
    zones = [(z, inside.get(z.pk, 0)) for z in Zone.objects.filter(event=event)]
    start = (now - timedelta(minutes=WINDOW_MINUTES - 1)).replace(second=0, microsecond=0)
    counted = {_minute_key(row["minute"]): row for row in Scan.objects.filter(
        checkpoint__event=event, scanned_at__gte=start, scanned_at__lte=now).annotate(
        minute=TruncMinute("scanned_at")).values("minute").order_by().annotate(
        n_accepted=Count("pk", filter=Q(accepted=True)),
        n_rejected=Count("pk", filter=Q(accepted=False)))}
    minutes = []
    for i in range(WINDOW_MINUTES):
        minute = start + timedelta(minutes=i)
        row = counted.get(_minute_key(minute))
        minutes.append(MinuteCount(minute, row["n_accepted"] if row else 0,
                                   row["n_rejected"] if row else 0))
    rejected = list(Scan.objects.filter(checkpoint__event=event, accepted=False).select_related(
        "checkpoint", "badge__accreditation__member__delegation__entity").order_by(
        "-scanned_at")[:REJECTED_SHOWN])
    checkpoints = list(Checkpoint.objects.filter(event=event).select_related("zone"))
    threshold = now - timedelta(minutes=stale_minutes)
    stale = [c for c in checkpoints if c.last_seen_at is None or c.last_seen_at < threshold]
    conflicts = conflict_rows(Scan.objects.filter(
        checkpoint__event=event, passback_conflict=True).order_by("-scanned_at").values_list(
        "pk", flat=True)[:CONFLICTS_SHOWN])
    conflicts.reverse()  # newest first
    return LiveSummary(zones, minutes, rejected, stale, len(checkpoints), stale_minutes,
                       conflicts)


def _minute_key(moment: datetime) -> int:
    return int(moment.timestamp()) // 60
