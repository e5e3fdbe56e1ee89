"""The time the operations rules run on: the real time, shifted by the event's exercise clock.

In real use the offset is zero. A table-top exercise or the demo shifts it so that the whole
operations side (deadlines, risks, escalations, the burn-down) behaves "as if" it were another
date, while time still runs: an issue reported in the demo escalates after its time limit.
"""

from datetime import datetime, timedelta

from django.utils import timezone


def offset(event) -> timedelta:
    from convene.operations.models import OperationsSettings

    value = OperationsSettings.objects.filter(event=event).values_list(
        "clock_offset", flat=True).first()
    return value or timedelta(0)


def now(event) -> datetime:
    """The current time for `event`'s operations."""
    return timezone.now() - offset(event)


def is_shifted(event) -> bool:
    return offset(event) != timedelta(0)
