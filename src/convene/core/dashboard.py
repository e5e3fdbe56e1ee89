"""The organiser dashboard's figures: delegations by status, people, deadlines."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from convene.delegations.models import Delegation, DelegationStatus
from convene.delegations.services import delegations_with_counts


@dataclass
class DashboardSummary:
    by_status: list[tuple[str, str, int]]  # (status, label, count)
    delegations: int
    nominated: int
    approved: int
    quota: int
    deadline_soon: list = field(default_factory=list)   # open, closing within `soon`
    deadline_passed_empty: list = field(default_factory=list)  # closed with nobody nominated
    rows: list = field(default_factory=list)


def summarise(event, now: datetime, soon: timedelta) -> DashboardSummary:
    rows = list(delegations_with_counts(Delegation.objects.filter(event=event)))
    counts = Counter(d.status for d in rows)
    return DashboardSummary(
        by_status=[(s.value, s.label, counts.get(s.value, 0)) for s in DelegationStatus],
        delegations=len(rows),
        nominated=sum(d.nominated for d in rows),
        approved=sum(d.approved for d in rows),
        quota=sum(d.quota for d in rows if d.status != DelegationStatus.DECLINED),
        deadline_soon=sorted(
            (d for d in rows
             if now <= d.nomination_deadline <= now + soon and d.status != "declined"),
            key=lambda d: d.nomination_deadline,
        ),
        deadline_passed_empty=[
            d for d in rows
            if d.nomination_deadline < now and d.nominated == 0 and d.status != "declined"
        ],
        rows=rows,
    )
