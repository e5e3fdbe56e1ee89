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
