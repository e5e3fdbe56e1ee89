"""Fixtures for the treaty record: the Convention loaded from its data file, a depositary, and
States and the EU as the directory holds them."""

from datetime import date

import pytest
from django.test import Client

from convene.accounts.models import Role
from convene.treaty import services, treaty_data
from tests.conftest import make_entity, make_user

HANOI = "Hanoi"
NEW_YORK = "United Nations Headquarters, New York"
CEREMONY_DAY = date(2025, 10, 25)


@pytest.fixture(scope="session")
def convention():
    """The Convention's data file, read and checked (no database)."""
    return treaty_data.load()


@pytest.fixture(scope="session")
def clauses(convention):
    return convention.final_clauses


@pytest.fixture
def treaty(db):
    return services.load_treaty()


@pytest.fixture
def depositary(db):
    return make_user("treaty.officer", Role.DEPOSITARY)


@pytest.fixture
def states(db):
    """A few States and the EU (a REIO) with two of its member States."""
    return {
        "VNM": make_entity("VNM", "Viet Nam"),
        "LAO": make_entity("LAO", "Lao People's Democratic Republic"),
        "QAT": make_entity("QAT", "Qatar"),
        "FRA": make_entity("FRA", "France"),
        "IRL": make_entity("IRL", "Ireland"),
        "EU": make_entity("EU", "European Union", kind="reio"),
        "UNODC": make_entity("UNODC", "United Nations Office on Drugs and Crime",
                             kind="un_system"),
    }


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
