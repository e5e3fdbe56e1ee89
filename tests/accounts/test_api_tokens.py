"""Personal API tokens (issue 16): made and revoked by their owner, only a hash kept, acting
with exactly the owner's permissions, expiring, and every creation, new address and revocation
in the audit chain. The permission matrix runs every API operation with tokens too."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from convene.accounts.models import ApiToken, TokenScope
from convene.accounts.services import create_api_token, revoke_api_token
from convene.audit.models import AuditEvent
from convene.audit.services import verify_chain


def _bearer(secret, address="192.0.2.10"):
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", REMOTE_ADDR=address)


def _session(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_user_creates_a_token_on_the_page_and_sees_its_secret_once(focal_vnm):
    client = _session(focal_vnm)
    created = client.post("/team/api-tokens/", {"name": "Nomination script", "scope": "role",
                                                "days": "7"})
    assert created.status_code == 302  # reloading the page makes no second token
    page = client.get(created["Location"])
    assert page.status_code == 200
    token = ApiToken.objects.get(user=focal_vnm)
    html = page.content.decode()
    secret = html.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith(f"cvn_{token.prefix}_") and len(secret) > 40
    # Only the SHA-256 of the secret is stored; the secret is nowhere in the database row.
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]
    assert token.scope == TokenScope.ROLE and token.name == "Nomination script"
    assert timedelta(days=6, hours=23) < token.expires_at - timezone.now() <= timedelta(days=7)
    assert ApiToken.objects.count() == 1
    assert secret not in str(dict(client.session))  # shown once, then gone from the session
    # The list shows it again, but never the secret.
    again = client.get("/team/api-tokens/").content.decode()
    assert "Nomination script" in again and secret not in again
    assert f"cvn_{token.prefix}…" in again


def test_the_page_refuses_a_lifetime_past_the_maximum(focal_vnm, settings):
    settings.API_TOKENS = {"default_days": 30, "max_days": 90}
    page = _session(focal_vnm).post("/team/api-tokens/",
                                    {"name": "Forever", "scope": "read", "days": "365"})
    assert page.status_code == 200 and "90" in page.content.decode()
    assert not ApiToken.objects.exists()
    with pytest.raises(ValueError):
        create_api_token(focal_vnm, name="Forever", scope="read", days=91)


def test_a_token_acts_with_exactly_its_owners_permissions(focal_vnm, viet_nam, lao):
    _, secret = create_api_token(focal_vnm, name="Script", scope="role")
    client = _bearer(secret)
    assert client.get(f"/api/delegations/{viet_nam.pk}/members").status_code == 200
    assert client.get(f"/api/delegations/{lao.pk}/members").status_code == 403
    # No CSRF token is needed (or possible) with a bearer token.
    created = client.post(f"/api/delegations/{viet_nam.pk}/members", {"family_name": "Tran"},
                          content_type="application/json")
    assert created.status_code == 201
    assert viet_nam.members.filter(family_name="Tran").exists()


def test_a_read_only_token_reads_but_changes_nothing(focal_vnm, viet_nam):
    _, secret = create_api_token(focal_vnm, name="Reader", scope="read")
    client = _bearer(secret)
    assert client.get(f"/api/delegations/{viet_nam.pk}/members").status_code == 200
    refused = client.post(f"/api/delegations/{viet_nam.pk}/members", {"family_name": "Tran"},
                          content_type="application/json")
    assert refused.status_code == 403 and "read-only" in refused.json()["detail"]
    assert not viet_nam.members.filter(family_name="Tran").exists()


def test_session_requests_keep_their_csrf_check(focal_vnm, viet_nam):
    client = Client(enforce_csrf_checks=True)
    client.force_login(focal_vnm)
    response = client.post(f"/api/delegations/{viet_nam.pk}/members", {"family_name": "Tran"},
                           content_type="application/json")
    assert response.status_code == 403
    assert not viet_nam.members.exists()


@pytest.mark.parametrize("header", ["Bearer cvn_00000000_not-a-real-token-at-all",
                                    "Bearer ", "Basic dXNlcjpwYXNz", "Bearer x" * 300])
def test_a_wrong_or_malformed_token_is_401(db, header):
    assert Client(HTTP_AUTHORIZATION=header).get("/api/delegations").status_code == 401


def test_revoked_and_expired_tokens_stop_working(focal_vnm, organiser):
    revoked, revoked_secret = create_api_token(focal_vnm, name="Old laptop", scope="read")
    expired, expired_secret = create_api_token(focal_vnm, name="Short", scope="read", days=1)
    assert _bearer(revoked_secret).get("/api/delegations").status_code == 200
    revoke_api_token(focal_vnm, revoked)
    assert _bearer(revoked_secret).get("/api/delegations").status_code == 401
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _bearer(expired_secret).get("/api/delegations").status_code == 401
    # A user whose account is switched off loses their tokens with it.
    _, live = create_api_token(organiser, name="Export", scope="read")
    organiser.is_active = False
    organiser.save()
    assert _bearer(live).get("/api/delegations").status_code == 401


def test_the_owner_revokes_on_the_page_and_nobody_else_can(focal_vnm, focal_lao):
    token, secret = create_api_token(focal_vnm, name="Tablet", scope="read")
    assert _session(focal_lao).post(f"/team/api-tokens/{token.pk}/revoke/").status_code == 403
    assert _bearer(secret).get("/api/delegations").status_code == 200
    row = _session(focal_vnm).post(f"/team/api-tokens/{token.pk}/revoke/", HTTP_HX_REQUEST="true")
    assert row.status_code == 200 and "revoked" in row.content.decode()
    assert _bearer(secret).get("/api/delegations").status_code == 401


def test_creation_new_addresses_and_revocation_are_in_the_audit_chain(focal_vnm):
    token, secret = create_api_token(focal_vnm, name="Gate tablet", scope="read")
    for address in ("192.0.2.10", "192.0.2.10", "198.51.100.20", "192.0.2.10"):
        assert _bearer(secret, address).get("/api/delegations").status_code == 200
    revoke_api_token(focal_vnm, token)
    events = AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk))
    assert [e.action for e in events] == [
        "api_token.created", "api_token.used_from_new_address",
        "api_token.used_from_new_address", "api_token.revoked"]
    assert [e.after.get("address") for e in events][1:3] == ["192.0.2.10", "198.51.100.20"]
    # The secret and its hash never enter the trail.
    for e in events:
        assert secret not in str(e.after) and token.secret_hash not in str(e.after)
    assert verify_chain() == []
    token.refresh_from_db()
    assert token.last_used_from == "192.0.2.10" and token.last_used_at is not None


def test_the_openapi_schema_declares_both_schemes(db):
    schema = Client().get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert any(s.get("in") == "cookie" for s in schemes.values())
    members = schema["paths"]["/api/delegations/{pk}/members"]["post"]["security"]
    assert len(members) == 2


def test_the_token_page_is_in_the_menu(focal_vnm):
    assert "/team/api-tokens/" in _session(focal_vnm).get("/").content.decode()


def test_the_secretariat_revokes_a_users_tokens_from_the_console(focal_vnm, organiser):
    _, first = create_api_token(focal_vnm, name="Laptop", scope="read")
    kept, other = create_api_token(organiser, name="Export", scope="read")
    out = StringIO()
    call_command("api_tokens", "list", stdout=out)
    assert "focal.vnm" in out.getvalue() and f"cvn_{kept.prefix}" in out.getvalue()
    call_command("api_tokens", "revoke", "--user", "focal.vnm", stdout=StringIO())
    assert _bearer(first).get("/api/delegations").status_code == 401
    assert _bearer(other).get("/api/delegations").status_code == 200
    call_command("api_tokens", "revoke", "--prefix", f"cvn_{kept.prefix}", stdout=StringIO())
    assert _bearer(other).get("/api/delegations").status_code == 401
    with pytest.raises(CommandError):
        call_command("api_tokens", "revoke", "--user", "focal.vnm", stdout=StringIO())
    assert AuditEvent.objects.filter(action="api_token.revoked", actor=None).count() == 2


def test_only_the_owner_or_the_secretariat_may_revoke(focal_vnm, focal_lao, users_by_role):
    token, _ = create_api_token(focal_vnm, name="Laptop", scope="read")
    with pytest.raises(PermissionDenied):
        revoke_api_token(focal_lao, token)
    revoke_api_token(users_by_role["security_officer"], token)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_call_without_a_known_address_still_works_and_is_noted(focal_vnm):
    token, secret = create_api_token(focal_vnm, name="In-process", scope="read")
    assert _bearer(secret, address="").get("/api/delegations").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None and token.last_used_from is None
    assert not token.addresses.exists()
