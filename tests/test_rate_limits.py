"""Rate limits of the login pages, each at its production value (issue 17).

The test settings turn the per-address login limit off on purpose (tests/settings.py); each
test here puts the production value back and expects the 429 after the allowed attempts.
"""

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.test import Client

import convene.settings as production
from tests.conftest import PASSWORD


def _allowed(action: str) -> int:
    """How many attempts production allows in a window (the tightest of its rates)."""
    return min(rate.amount for rate in parse_rates(production.ACCOUNT_RATE_LIMITS[action]))


@pytest.fixture
def production_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = dict(production.ACCOUNT_RATE_LIMITS)


def test_the_test_settings_turn_only_the_login_limit_off(settings):
    assert settings.ACCOUNT_RATE_LIMITS["login"] is None
    assert production.ACCOUNT_RATE_LIMITS["login"] == "30/m/ip"
    others = {k: v for k, v in settings.ACCOUNT_RATE_LIMITS.items() if k != "login"}
    assert others == {k: v for k, v in production.ACCOUNT_RATE_LIMITS.items() if k != "login"}


def test_logins_from_one_address_get_429_after_the_allowed_number(production_limits, organiser):
    allowed = _allowed("login")
    for attempt in range(allowed):
        response = Client(REMOTE_ADDR="198.51.100.7").post(
            "/accounts/login/", {"login": "organiser", "password": PASSWORD})
        assert response.status_code == 302, f"attempt {attempt + 1} of {allowed} was refused"
    refused = Client(REMOTE_ADDR="198.51.100.7").post(
        "/accounts/login/", {"login": "organiser", "password": PASSWORD})
    assert refused.status_code == 429
    assert "_auth_user_id" not in refused.wsgi_request.session
    # Another address is not held back by the first one's burst.
    other = Client(REMOTE_ADDR="203.0.113.9").post(
        "/accounts/login/", {"login": "organiser", "password": PASSWORD})
    assert other.status_code == 302


def test_reading_the_login_page_is_not_counted(production_limits, db):
    client = Client(REMOTE_ADDR="198.51.100.8")
    for _ in range(_allowed("login") + 5):
        assert client.get("/accounts/login/").status_code == 200


def test_password_reset_requests_for_one_address_get_429(production_limits, organiser, mailoutbox):
    allowed = _allowed("reset_password")  # per e-mail address asked about
    for _ in range(allowed):
        response = Client().post("/accounts/password/reset/", {"email": organiser.email})
        assert response.status_code == 302
    refused = Client().post("/accounts/password/reset/", {"email": organiser.email})
    assert refused.status_code == 429
    assert len(mailoutbox) == allowed
