"""Rate limits, each tested on its own: the login pages at their production value (issue 17),
and the platform's (issue 16): the API per token and per address, the gates per device, public
pages and forms per address; each answers 429 with Retry-After, and another client is not slowed.

The test settings turn the limits off on purpose (tests/settings.py); each test here sets the
one it tests and expects the 429 after the allowed requests.
"""

import pytest
from allauth.core.internal.ratelimit import parse_rates
from django.http import HttpResponse
from django.test import Client

import convene.settings as production
from convene.accounts.services import create_api_token
from convene.core.ratelimit import Rate, client_ip, parse_rate, ratelimit
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


def test_allauths_429_carries_retry_after(production_limits, organiser):
    for _ in range(_allowed("login")):
        Client(REMOTE_ADDR="198.51.100.17").post("/accounts/login/",
                                                 {"login": "organiser", "password": PASSWORD})
    refused = Client(REMOTE_ADDR="198.51.100.17").post(
        "/accounts/login/", {"login": "organiser", "password": PASSWORD})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60


# --- The platform's own limits (convene/core/ratelimit.py, settings.RATE_LIMITS) ------------


def test_the_test_settings_turn_the_platform_limits_off_and_production_has_them(settings):
    assert set(settings.RATE_LIMITS.values()) == {None}
    assert set(settings.RATE_LIMITS) == set(production.RATE_LIMITS)
    for name, rate in production.RATE_LIMITS.items():
        assert parse_rate(rate) is not None, name


@pytest.mark.parametrize(("text", "rate"), [
    ("30/m", Rate(30, 60)), ("1000/h", Rate(1000, 3600)), ("5/s", Rate(5, 1)),
    ("100/300s", Rate(100, 300)), ("2/5m", Rate(2, 300)), ("7/d", Rate(7, 86400))])
def test_rates_are_read_as_written(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["30", "30/", "/m", "30/w", "many/m", "30/0s"])
def test_a_mistyped_rate_is_refused_not_ignored(text):
    with pytest.raises(ValueError):
        parse_rate(text)


def _limit(settings, name, rate="3/m"):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, name: rate}
    return parse_rate(rate).amount


def _assert_refused(response, period=60):
    assert response.status_code == 429, response.status_code
    assert 1 <= int(response["Retry-After"]) <= period


def test_api_calls_with_one_token_get_429_and_other_tokens_are_unaffected(settings, focal_vnm,
                                                                           focal_lao):
    allowed = _limit(settings, "api_token")
    _, first = create_api_token(focal_vnm, name="Busy script", scope="read")
    _, second = create_api_token(focal_lao, name="Quiet script", scope="read")
    busy = Client(HTTP_AUTHORIZATION=f"Bearer {first}")
    for _ in range(allowed):
        assert busy.get("/api/delegations").status_code == 200
    refused = busy.get("/api/delegations")
    _assert_refused(refused)
    assert "detail" in refused.json()
    # Per token, not per address: the other token, from the same address, is not slowed.
    assert Client(HTTP_AUTHORIZATION=f"Bearer {second}").get("/api/delegations").status_code == 200


def test_api_calls_without_a_token_are_limited_per_address(settings, focal_vnm):
    allowed = _limit(settings, "api_address")
    session = Client(REMOTE_ADDR="198.51.100.30")
    session.force_login(focal_vnm)
    for _ in range(allowed):
        assert session.get("/api/delegations").status_code == 200
    _assert_refused(session.get("/api/delegations"))
    _assert_refused(Client(REMOTE_ADDR="198.51.100.30").get("/api/event"))  # same address
    assert Client(REMOTE_ADDR="203.0.113.30").get("/api/event").status_code in (200, 404)


def test_gate_endpoints_are_limited_per_device(settings, users_by_role):
    allowed = _limit(settings, "gate_device")
    officer = users_by_role["security_officer"]
    _, tablet_1 = create_api_token(officer, name="Gate 1", scope="role")
    _, tablet_2 = create_api_token(officer, name="Gate 2", scope="role")
    gate_1 = Client(HTTP_AUTHORIZATION=f"Bearer {tablet_1}")
    for _ in range(allowed):
        assert gate_1.get("/api/gates/checkpoints/999999/bundle").status_code == 404
    _assert_refused(gate_1.get("/api/gates/checkpoints/999999/bundle"))
    # Another device of the same officer at the same address is not held back.
    gate_2 = Client(HTTP_AUTHORIZATION=f"Bearer {tablet_2}")
    assert gate_2.get("/api/gates/checkpoints/999999/bundle").status_code == 404
    # Nor is a browser gate (its own session) …
    browser = Client()
    browser.force_login(officer)
    assert browser.get("/api/gates/checkpoints/999999/bundle").status_code == 404
    # … and the rest of the API is counted apart from the gate limit.
    assert gate_1.get("/api/gates/live").status_code == 200


def test_public_pages_are_limited_per_address_for_visitors(settings, event, organiser):
    allowed = _limit(settings, "public_pages")
    visitor = Client(REMOTE_ADDR="198.51.100.40")
    for _ in range(allowed):
        assert visitor.get("/").status_code == 200
    refused = visitor.get("/")
    _assert_refused(refused)
    assert "text/html" in refused["Content-Type"]
    assert Client(REMOTE_ADDR="203.0.113.40").get("/").status_code == 200
    # Someone logged in, from the same address, is not a public visitor.
    staff = Client(REMOTE_ADDR="198.51.100.40")
    staff.force_login(organiser)
    assert staff.get("/").status_code == 200


def test_public_forms_are_limited_per_address_for_visitors(settings, db):
    allowed = _limit(settings, "public_forms")
    visitor = Client(REMOTE_ADDR="198.51.100.50")
    for _ in range(allowed):
        assert visitor.post("/i18n/setlang/", {"language": "fr", "next": "/"}).status_code == 302
    _assert_refused(visitor.post("/i18n/setlang/", {"language": "fr", "next": "/"}))
    # Reading is counted apart, and another visitor sends forms as before.
    assert visitor.get("/").status_code == 200
    other = Client(REMOTE_ADDR="203.0.113.50")
    assert other.post("/i18n/setlang/", {"language": "fr", "next": "/"}).status_code == 302


def test_the_decorator_limits_one_view_per_client(rf):
    @ratelimit("test_view", rate="2/m", methods=["POST"])
    def view(request):
        return HttpResponse("ok")

    def post(address):
        request = rf.post("/press/apply/", REMOTE_ADDR=address)
        return view(request)

    assert [post("192.0.2.1").status_code for _ in range(2)] == [200, 200]
    _assert_refused(post("192.0.2.1"))
    assert post("192.0.2.2").status_code == 200
    assert view(rf.get("/press/apply/", REMOTE_ADDR="192.0.2.1")).status_code == 200


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(rf, settings):
    settings.CONVENE_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="10.0.0.1",
                     HTTP_X_FORWARDED_FOR="203.0.113.99, 198.51.100.60")
    assert client_ip(request) == "198.51.100.60"  # not the first entry, which the client wrote
    settings.CONVENE_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.1"
