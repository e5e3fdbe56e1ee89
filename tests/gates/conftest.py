"""Accreditation fixtures: a badge signing key and private files in a temporary directory."""

import pytest

from convene.accounts.models import Role
from convene.accreditation import keys, services
from tests.conftest import make_user


@pytest.fixture(autouse=True)
def _private_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONVENE_BADGE_KEY_DIR = str(tmp_path / "badge-keys")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    keys.generate()
    yield
    keys._load.cache_clear()


@pytest.fixture
def security(db):
    return make_user("security", Role.SECURITY_OFFICER)


@pytest.fixture
def defaults(event):
    services.ensure_defaults(event)
    return event


@pytest.fixture
def issue(defaults, organiser, security):
    """issue(member) -> the member's signed Badge (photo, vetting, approval, print)."""
    from convene.accreditation.models import Badge
    from tests.accreditation.helpers import photo_bytes

    def issue_badge(member):
        services.upload_photo(organiser, member, photo_bytes())
        services.submit(organiser, member)
        services.record_vetting(security, member, True)
        services.decide(organiser, member, True)
        services.create_batch(organiser, member.delegation.event, "all_approved",
                              member_ids=[member.pk])
        return Badge.objects.get(accreditation__member=member, revoked_at__isnull=True)

    return issue_badge


@pytest.fixture
def checkpoints(defaults, event):
    from convene.accreditation.models import Zone
    from convene.gates.models import Checkpoint

    def make(name, code, direction="entry"):
        return Checkpoint.objects.create(event=event, name=name, direction=direction,
                                         zone=Zone.objects.get(event=event, code=code))

    return {"plenary_in": make("Plenary north", "P"), "plenary_out": make("Plenary exit", "P",
                                                                           "exit"),
            "vip_in": make("VIP lounge", "V")}


@pytest.fixture
def now_valid(defaults, event):
    """Badges valid around now (the fixture event is in 2025)."""
    from datetime import timedelta

    from django.utils import timezone

    from convene.accreditation.models import BadgeSettings

    BadgeSettings.objects.filter(event=event).update(
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=timezone.now() + timedelta(days=5))
