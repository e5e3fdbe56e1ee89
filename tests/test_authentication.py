"""Logging in: lockout after repeated failures, two-factor login for staff roles."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.test import Client

from tests.conftest import PASSWORD


def _login(client, username, password):
    return client.post("/accounts/login/", {"login": username, "password": password})


def _current_code(secret):
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the middle one is "now"
    return format_hotp_value(hotp_value(secret, counter))


def test_good_password_logs_in_and_lands_on_the_role_page(organiser, focal_vnm, viet_nam):
    response = _login(Client(), "organiser", PASSWORD)
    assert response.status_code == 302
    client = Client()
    _login(client, "focal.vnm", PASSWORD)
    assert client.get("/welcome/")["Location"] == f"/delegations/{viet_nam.pk}/"


def test_account_locks_after_repeated_failures_even_with_the_right_password(organiser, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, "organiser", "wrong password")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    locked = _login(client, "organiser", "wrong password")
    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    # Even the right password is refused while the lock holds.
    assert _login(client, "organiser", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_account_not_global(organiser, focal_vnm, settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "organiser", "wrong password")
    assert _login(client, "focal.vnm", PASSWORD).status_code == 302


def test_totp_two_factor_login(organiser):
    secret = generate_totp_secret()
    TOTP.activate(organiser, secret)
    client = Client()
    response = _login(client, "organiser", PASSWORD)
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # the password alone is not enough
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    client.post("/accounts/2fa/authenticate/", {"code": _current_code(secret)})
    assert client.session["_auth_user_id"] == str(organiser.pk)


@pytest.fixture
def require_2fa(settings):
    settings.CONVENE_REQUIRE_2FA_FOR_STAFF = True


def test_staff_without_2fa_are_sent_to_set_it_up_when_required(organiser, require_2fa):
    client = Client()
    client.force_login(organiser)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth first asks for the password again (a recent login), then shows the TOTP setup.
    final = client.get("/accounts/2fa/totp/activate/", follow=True)
    assert final.status_code == 200 and final.request["PATH_INFO"].startswith("/accounts/")


def test_staff_with_2fa_and_focal_points_work_normally_when_required(
        organiser, focal_vnm, viet_nam, require_2fa):
    Authenticator.objects.create(user=organiser, type=Authenticator.Type.TOTP, data={})
    for user, url in ((organiser, "/dashboard/"), (focal_vnm, f"/delegations/{viet_nam.pk}/")):
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_self_signup_is_closed(db):
    secret = "a-long-passphrase-1"
    response = Client().post("/accounts/signup/", {
        "username": "intruder", "password1": secret, "password2": secret})
    from convene.accounts.models import User

    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code in (200, 403)
