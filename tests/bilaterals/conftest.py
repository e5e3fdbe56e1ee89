"""Bilateral fixtures: a slot grid, rooms and delegations that ask each other for meetings."""

from datetime import date

import pytest
from django.test import Client

from convene.bilaterals import services
from convene.bilaterals.models import Slot
from tests.conftest import make_delegation


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def make_grid(event, organiser):
    """Two days, each with a morning run of 3 slots and an afternoon run of 2 (30 + 10 min)."""
    services.configure(organiser, event, services.GridSpec(
        first_day=date(2025, 10, 25), last_day=date(2025, 10, 26),
        windows="09:00-11:00, 14:00-15:20", meeting_minutes=30, changeover_minutes=10,
        auto_accept=False))
    return list(Slot.objects.filter(event=event))


def make_rooms(event, organiser):
    return [services.save_room(organiser, event, {"name": "Lotus", "seats": 8}),
            services.save_room(organiser, event, {"name": "Hall B", "seats": 24})]


@pytest.fixture
def grid(event, organiser):
    return make_grid(event, organiser)


@pytest.fixture
def rooms(event, organiser):
    return make_rooms(event, organiser)


@pytest.fixture
def cambodia(event):
    return make_delegation(event, "KHM", "Cambodia")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(user, requester, counterpart, **data):
    return services.request_meeting(user, requester, {
        "counterpart": counterpart, "topic": data.pop("topic", "Cooperation on e-evidence"),
        **data})
