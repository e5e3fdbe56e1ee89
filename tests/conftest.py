"""Shared fixtures: an event, delegations, and one user per role."""

import importlib
import os
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from convene.accounts.models import Role, RoleAssignment, User
from convene.core.models import Event
from convene.delegations.models import Delegation, Member
from convene.directory.models import Entity

PASSWORD = "correct-horse-battery-9"

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from that
# thread are still synchronous (pytest-playwright #29), so the async-safety check is off in tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: the rate-limit counts (and anything else cached)
    of one test must not decide another's result, whatever the order or speed of the run."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real accounts; tests create dozens of them.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def event(db):
    return Event.objects.create(
        slug="hanoi-2025",
        name="Signing Ceremony of the United Nations Convention against Cybercrime and "
             "High-level Conference",
        theme="Countering Cybercrime – Sharing Responsibility – Securing our Future",
        venue="National Convention Centre", city="Hanoi", country="Viet Nam",
        start_date=date(2025, 10, 25), end_date=date(2025, 10, 26))


def make_entity(code, name, kind="member_state", **names):
    return Entity.objects.get_or_create(
        code=code, defaults={"kind": kind, "name_en": name, "names": {"en": name, **names}})[0]


def make_delegation(event, code, name, *, quota=5, days=10, kind="member_state", **names):
    return Delegation.objects.create(
        event=event, entity=make_entity(code, name, kind, **names), quota=quota,
        nomination_deadline=timezone.now() + timedelta(days=days))


@pytest.fixture
def viet_nam(event):
    return make_delegation(event, "VNM", "Viet Nam", ar="فييت نام")


@pytest.fixture
def lao(event):
    return make_delegation(event, "LAO", "Lao People's Democratic Republic")


def make_user(username, role=None, delegation=None):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    if role:
        RoleAssignment.objects.create(user=user, role=role, delegation=delegation)
    return user


@pytest.fixture
def organiser(db):
    return make_user("organiser", Role.ORGANISER)


@pytest.fixture
def focal_vnm(viet_nam):
    return make_user("focal.vnm", Role.FOCAL_POINT, viet_nam)


@pytest.fixture
def focal_lao(lao):
    return make_user("focal.lao", Role.FOCAL_POINT, lao)


@pytest.fixture
def users_by_role(viet_nam, lao):
    """One user per role; the focal point acts for Viet Nam. Key None = logged out."""
    users = {None: None}
    for role in Role:
        delegation = viet_nam if role == Role.FOCAL_POINT else None
        users[role.value] = make_user(f"user-{role.value}", role, delegation)
    users["no_role"] = make_user("user-no-role")
    return users


@pytest.fixture
def member(viet_nam):
    return Member.objects.create(delegation=viet_nam, family_name="Nguyen", given_name="Van A",
                                 rank="minister", function="Minister of Public Security")


# --- The audit table's append-only fence and transactional tests ----------------------------
# Transactional tests (and the browser tests' live server) end with a flush that empties every
# table, which the append-only triggers rightly refuse. Around such tests the fence is raised
# at the start and lowered just before the flush; everywhere else the migration's triggers hold.
_FENCE = importlib.import_module("convene.audit.migrations.0002_append_only_triggers")


def set_audit_fence(up: bool) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
            cur.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
            for statement in _FENCE.SQLITE_UP if up else []:
                cur.execute(statement)
        else:
            cur.execute(f"ALTER TABLE audit_auditevent {'ENABLE' if up else 'DISABLE'} "
                        "TRIGGER USER")


@pytest.fixture(autouse=True)
def _audit_fence_around_flush(request):
    marker = request.node.get_closest_marker("django_db")
    transactional = "live_server" in request.fixturenames or "transactional_db" in (
        request.fixturenames) or (marker is not None and marker.kwargs.get("transaction"))
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    set_audit_fence(True)
    yield
    set_audit_fence(False)
