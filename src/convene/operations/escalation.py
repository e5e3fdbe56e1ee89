"""When an issue goes up to the organising committee: a plain rule on plain data.

At the dress rehearsal of the Hanoi ceremony the head of State asked each unit to "handle
problems promptly within its own authority" (/work/shared/seeds/SUMMARY.md). So an issue goes
to the organising committee when (a) it is beyond the task force's authority — flagged so by
whoever reports or handles it, or more severe than the task force may settle alone — or (b)
it is still open after the time limit for its severity. The rule is evaluated by the periodic
command `convene operations escalate` and whenever the board or the dashboard is loaded; it is
idempotent because an escalated issue never escalates again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

LOW, MEDIUM, HIGH, CRITICAL = "low", "medium", "high", "critical"
SEVERITY_ORDER = {LOW: 0, MEDIUM: 1, HIGH: 2, CRITICAL: 3}

BEYOND_AUTHORITY, TIME_LIMIT = "beyond_authority", "time_limit"

# How long a task force has to resolve an issue before the committee takes it over. During a
# summit day an incident at a ceremony cannot wait more than half an hour; a low-severity
# problem may wait a working day. services.report_issue accepts another limit for one issue.
DEFAULT_TIME_LIMITS = {
    CRITICAL: timedelta(minutes=30),
    HIGH: timedelta(hours=2),
    MEDIUM: timedelta(hours=8),
    LOW: timedelta(hours=24),
}


@dataclass(frozen=True)
class IssueState:
    severity: str
    reported_at: datetime
    time_limit: timedelta
    authority_ceiling: str  # the most severe issue the task force settles on its own
    beyond_authority: bool = False
    resolved: bool = False
    escalated: bool = False


def default_time_limit(severity: str) -> timedelta:
    return DEFAULT_TIME_LIMITS[severity]


def exceeds_authority(state: IssueState) -> bool:
    return state.beyond_authority or (
        SEVERITY_ORDER[state.severity] > SEVERITY_ORDER[state.authority_ceiling])


def escalation_reason(state: IssueState, now: datetime) -> str | None:
    """Why this issue must go to the organising committee now, or None.

    "Past its time limit" means strictly after reported_at + time_limit: at the limit itself
    the task force still has it.
    """
    if state.resolved or state.escalated:
        return None
    if exceeds_authority(state):
        return BEYOND_AUTHORITY
    if now > state.reported_at + state.time_limit:
        return TIME_LIMIT
    return None


def escalates_at(state: IssueState) -> datetime | None:
    """When the time limit will send it up (for the board's countdown), if still pending."""
    if state.resolved or state.escalated or exceeds_authority(state):
        return None
    return state.reported_at + state.time_limit
