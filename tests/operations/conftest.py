"""Operations fixtures: a committee with two task forces, their leads and members."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from convene.accounts.models import Role
from convene.operations import services
from convene.operations.models import ChecklistItem, TaskForce
from tests.conftest import make_user

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# Ten days before the ceremony of the `event` fixture (25 October 2025).
T0 = datetime(2025, 10, 15, 9, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Evidence files of the tests go to a throwaway directory, not var/media.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def ops(event, organiser):
    """Protocol (lead + two members) and logistics (its own lead), set up by the organiser."""
    lead = make_user("lead.protocol", Role.TASK_FORCE_LEAD)
    m1, m2 = make_user("member.one"), make_user("member.two")
    logistics_lead = make_user("lead.logistics")
    outsider = make_user("outsider")
    protocol = services.save_task_force(organiser, event, {
        "name": "Protocol", "area": "protocol", "lead": lead, "authority_ceiling": "high"})
    logistics = services.save_task_force(organiser, event, {
        "name": "Logistics", "area": "logistics", "lead": logistics_lead})
    services.add_member(organiser, protocol, m1)
    services.add_member(organiser, protocol, m2)
    return SimpleNamespace(event=event, organiser=organiser, lead=lead, m1=m1, m2=m2,
                           outsider=outsider, protocol=protocol, logistics=logistics,
                           logistics_lead=logistics_lead)


def item(tf: TaskForce, title: str, *, days: float = 5, effort: int = 1, status="todo",
         deps=(), now=T0, **extra) -> ChecklistItem:
    """A checklist item straight in the database (the rules under test are not creation's)."""
    obj = ChecklistItem.objects.create(
        task_force=tf, title=title, deadline=now + timedelta(days=days), effort_days=effort,
        status=status, completed_at=now if status == "done" else None, created_at=now,
        **extra)
    obj.depends_on.set(deps)
    return obj
