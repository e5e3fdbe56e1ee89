"""A summit with the media set up: an outlet with its focal point, keys to sign badges."""

from datetime import timedelta

import pytest
from django.utils import timezone

from convene.accounts.models import Role
from convene.accreditation import keys
from convene.accreditation.models import BadgeSettings, Zone
from convene.press import services
from tests.conftest import make_user


@pytest.fixture
def press_world(settings, tmp_path, event, organiser):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CONVENE_BADGE_KEY_DIR = str(tmp_path / "badge-keys")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    keys.generate()
    services.ensure_media_setup(event)
    BadgeSettings.objects.filter(event=event).update(
        valid_from=timezone.now() - timedelta(days=1),
        valid_until=timezone.now() + timedelta(days=3))
    press = make_user("press", Role.PRESS_OFFICER)
    fp = make_user("afp.focal", Role.MEDIA_FOCAL_POINT)
    afp = services.create_outlet(press, event, {"name": "Agence France-Presse", "code": "AFP",
                                                "kind": "agency", "country": "France",
                                                "tier": 0})
    services.add_focal_point(press, afp, fp)
    yield {"press": press, "fp": fp, "afp": afp, "security": make_user(
        "security", Role.SECURITY_OFFICER), "riser": Zone.objects.get(event=event, code="PR")}
    keys._load.cache_clear()
