"""Gates on the server: online decisions, revocations, overrides, offline uploads, the bundle
an offline gate keeps, and the security chief's live view."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from convene.accounts.models import Role
from convene.accreditation import services as accreditation
from convene.audit.models import AuditEvent
from convene.delegations.models import Member
from convene.gates import live, services
from convene.gates.models import Presence, Scan
from tests.conftest import make_user


@pytest.fixture
def delegate(viet_nam):
    return Member.objects.create(delegation=viet_nam, given_name="Thi B", family_name="Tran",
                                 rank="vice_minister")


@pytest.fixture
def badge(issue, delegate, now_valid):
    return issue(delegate)


def scan(user, checkpoint, badge_or_token, **kwargs):
    token = getattr(badge_or_token, "token", badge_or_token)
    return services.scan(user, checkpoint, scan_uuid=uuid.uuid4(), token=token, **kwargs)


def test_entry_passback_exit_and_zones_online(badge, security, checkpoints):
    first = scan(security, checkpoints["plenary_in"], badge)
    assert (first.scan.accepted, first.scan.reason) == (True, "accepted")
    assert first.badge == badge and first.scan.badge_id == badge.id
    assert Presence.objects.get(badge=badge).inside
    assert scan(security, checkpoints["plenary_in"], badge).scan.reason == "already_inside"
    assert scan(security, checkpoints["vip_in"], badge).scan.reason == "zone_not_allowed"
    assert scan(security, checkpoints["plenary_out"], badge).scan.reason == "exit_recorded"
    assert not Presence.objects.get(badge=badge).inside
    assert scan(security, checkpoints["plenary_in"], badge).scan.accepted


def test_a_revocation_reaches_online_gates_at_once(badge, delegate, organiser, security,
                                                   checkpoints):
    accreditation.revoke(organiser, delegate, "Badge reported stolen")
    result = scan(security, checkpoints["plenary_in"], badge)
    assert (result.scan.accepted, result.scan.reason) == (False, "revoked")


def test_a_withdrawn_signing_key_stops_its_badges(badge, organiser, security, checkpoints):
    accreditation.withdraw_key(organiser, badge.key_id)
    assert scan(security, checkpoints["plenary_in"], badge).scan.reason == "unknown_key"


def test_a_badge_this_server_never_issued_is_refused(badge, security, checkpoints):
    badge.delete()  # as if it came from another event's database, signed with our key
    assert scan(security, checkpoints["plenary_in"], badge.token).scan.reason == "unknown_badge"


def test_retried_scan_is_recorded_once(badge, security, checkpoints):
    same = uuid.uuid4()
    first = services.scan(security, checkpoints["plenary_in"], scan_uuid=same, token=badge.token)
    again = services.scan(security, checkpoints["plenary_in"], scan_uuid=same, token=badge.token)
    assert again.duplicate and again.scan.pk == first.scan.pk and again.scan.accepted
    assert Scan.objects.count() == 1


def test_override_needs_a_supervisor_and_a_reason_and_is_logged(badge, security, organiser,
                                                                checkpoints):
    gate = checkpoints["plenary_in"]
    scan(security, gate, badge)
    with pytest.raises(services.GateRefused):
        scan(security, gate, badge, override=True, override_reason=" ")
    result = scan(security, gate, badge, override=True,
                  override_reason="Left through the fire exit with escort")
    assert result.scan.accepted and result.scan.reason == "overridden" and result.scan.override
    event = AuditEvent.objects.get(action="gate.passback_overridden")
    assert event.actor == security and "fire exit" in event.after["reason"]
    # Without the permission (a focal point cannot even operate a gate):
    with pytest.raises(PermissionDenied):
        scan(make_user("fp", Role.FOCAL_POINT, badge.accreditation.member.delegation), gate,
             badge, override=True, override_reason="x")


def _offline(badge, at, accepted=True, reason="accepted", **extra):
    return services.OfflineScan(uuid=extra.pop("uuid", uuid.uuid4()), token=badge.token,
                                scanned_at=at, accepted=accepted, reason=reason, **extra)


def test_an_offline_upload_counts_once_however_often_it_is_sent(badge, security, checkpoints):
    gate = checkpoints["plenary_in"]
    now = timezone.now()
    items = [_offline(badge, now - timedelta(minutes=3)),
             _offline(badge, now - timedelta(minutes=2), False, "already_inside")]
    first = services.ingest(security, gate, items)
    again = services.ingest(security, gate, items + items)  # a retry, even doubled
    assert (first.received, first.stored, first.duplicates) == (2, 2, 0)
    assert (again.received, again.stored, again.duplicates) == (4, 0, 4)
    assert Scan.objects.filter(offline=True).count() == 2
    assert Presence.objects.get(badge=badge).inside
    gate.refresh_from_db()
    assert gate.last_sync_at is not None
    assert AuditEvent.objects.filter(action="gate.scans_synced").count() == 1


def test_a_late_upload_does_not_undo_newer_presence(badge, security, checkpoints):
    now = timezone.now()
    scan(security, checkpoints["plenary_in"], badge)  # inside, now
    old_exit = _offline(badge, now - timedelta(minutes=30), reason="exit_recorded")
    services.ingest(security, checkpoints["plenary_out"], [old_exit])
    assert Presence.objects.get(badge=badge).inside  # the exit happened before the entry


def test_offline_overrides_are_logged_when_uploaded(badge, security, checkpoints):
    item = _offline(badge, timezone.now(), reason="overridden", override=True,
                    override_reason="Medical emergency")
    services.ingest(security, checkpoints["plenary_in"], [item])
    event = AuditEvent.objects.get(action="gate.passback_overridden")
    assert event.after["offline"] is True and event.after["reason"] == "Medical emergency"


def test_bundle_holds_what_an_offline_gate_needs(issue, viet_nam, security, organiser,
                                                 checkpoints, now_valid, event):
    delegate = issue(Member.objects.create(delegation=viet_nam, family_name="Delegate"))
    press = Member.objects.create(delegation=viet_nam, family_name="Press")
    from convene.accreditation.models import Category

    accreditation.set_category(organiser, press, Category.objects.get(event=event,
                                                                      code="media_print"))
    press_badge = issue(press)
    revoked_member = Member.objects.create(delegation=viet_nam, family_name="Revoked")
    revoked_badge = issue(revoked_member)
    accreditation.revoke(organiser, revoked_member, "lost")
    scan(security, checkpoints["plenary_in"], delegate)

    data = services.bundle(security, checkpoints["plenary_in"])
    assert data["checkpoint"]["zone"] == "P" and data["checkpoint"]["zone_bit"] == 0
    assert [k["kid"] for k in data["keys"]] == [delegate.key_id]
    assert data["revoked"] == [str(revoked_badge.id)]
    # Only people who may enter this zone (with their photos); not the press, not the revoked.
    assert set(data["people"]) == {str(delegate.id)}
    person = data["people"][str(delegate.id)]
    assert person["name"] == "Delegate" and person["photo"] == f"/gates/photo/{delegate.id}/"
    assert data["inside"] == [str(delegate.id)]
    assert str(press_badge.id) in services.bundle(security, checkpoints["plenary_out"])["people"]


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_live_view_counts_inside_per_minute_rejections_and_silent_gates(
        badge, security, organiser, checkpoints, event):
    scan(security, checkpoints["plenary_in"], badge)
    scan(security, checkpoints["vip_in"], badge)
    scan(security, checkpoints["plenary_in"], "garbage")
    summary = live.summarise(event, timezone.now(), stale_minutes=5)
    assert dict((z.code, n) for z, n in summary.zones)["P"] == 1
    assert summary.minutes[-1].accepted == 1 and summary.minutes[-1].rejected == 2
    assert [s.reason for s in summary.rejected] == ["unreadable", "zone_not_allowed"]
    assert [c.name for c in summary.stale] == ["Plenary exit"]  # never connected

    client = Client()
    client.force_login(make_user("chief", Role.SECURITY_OFFICER))
    few = _queries(client, "/gates/live/panel/")
    for _ in range(20):  # a busier picture costs no more queries
        scan(security, checkpoints["vip_in"], badge)
        scan(security, checkpoints["plenary_in"], "garbage")
    assert _queries(client, "/gates/live/panel/") == few
    page = client.get("/gates/live/panel/").content.decode()
    assert "No access to this zone" in page and "Plenary exit" in page
    data = client.get("/api/gates/live").json()
    assert {"code": "P", "name": "Plenary hall", "inside": 1} in data["zones"]
    assert data["stale_checkpoints"] == ["Plenary exit"]


def test_scan_and_sync_through_the_json_api(badge, security, checkpoints):
    client = Client()
    client.force_login(security)
    gate = checkpoints["plenary_in"]
    body = {"uuid": str(uuid.uuid4()), "token": badge.token}
    answer = client.post(f"/api/gates/checkpoints/{gate.pk}/scans", body,
                         content_type="application/json").json()
    assert answer["accepted"] and answer["message"] == "Entry allowed"
    assert answer["person"]["name"] == "Thi B Tran" and answer["person"]["zones"] == "P B D"
    offline = {"scans": [{"uuid": str(uuid.uuid4()), "token": badge.token,
                          "scanned_at": timezone.now().isoformat(), "accepted": False,
                          "reason": "already_inside"}]}
    url = f"/api/gates/checkpoints/{gate.pk}/sync"
    assert client.post(url, offline, content_type="application/json").json() == {
        "received": 1, "stored": 1, "duplicates": 0, "conflicts": []}
    assert client.post(url, offline, content_type="application/json").json() == {
        "received": 1, "stored": 0, "duplicates": 1, "conflicts": []}
    too_many = {"scans": offline["scans"] * 501}
    assert client.post(url, too_many, content_type="application/json").status_code == 422
