"""Anti-passback across gates (issue 16): online, every entry checkpoint of a zone shares the
server's presence; offline, each gate decides alone and a second entry is reported as a
passback conflict once the gates have synced."""

import json
import random
import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from convene.accreditation.models import Zone
from convene.delegations.models import Member
from convene.gates import passback, services
from convene.gates.models import Checkpoint, Scan

T0 = timezone.now().replace(microsecond=0)


def at(minutes):
    return T0 + timedelta(minutes=minutes)


def test_an_entry_while_inside_is_a_conflict_whatever_the_order_of_the_uploads():
    timeline = [passback.Passage("a", at(0), True), passback.Passage("b", at(5), True),
                passback.Passage("x", at(7), False), passback.Passage("c", at(9), True),
                passback.Passage("d", at(11), True, override=True),
                passback.Passage("e", at(12), True)]
    for _ in range(5):
        random.shuffle(timeline)
        assert passback.conflicts(timeline) == {"b": "a", "e": "d"}
    assert passback.conflicts([]) == {}


@pytest.fixture
def badge(issue, viet_nam, now_valid):
    return issue(Member.objects.create(delegation=viet_nam, given_name="Thi B",
                                       family_name="Tran"))


@pytest.fixture
def south(checkpoints, event):
    return Checkpoint.objects.create(event=event, name="Plenary south", zone=Zone.objects.get(
        event=event, code="P"))


def online(user, checkpoint, badge):
    return services.scan(user, checkpoint, scan_uuid=uuid.uuid4(), token=badge.token).scan


def offline(badge, minutes, *, accepted=True, reason="accepted"):
    return services.OfflineScan(uuid=uuid.uuid4(), token=badge.token, scanned_at=at(minutes),
                                accepted=accepted, reason=reason)


def test_online_a_badge_that_entered_at_gate_a_is_refused_at_gate_b(
        badge, security, checkpoints, south):
    assert online(security, checkpoints["plenary_in"], badge).reason == "accepted"
    refused = online(security, south, badge)
    assert (refused.accepted, refused.reason) == (False, "already_inside")
    # A supervisor at gate B may let them in knowingly (gates.override_passback): logged, and
    # not a conflict.
    let_in = services.scan(security, south, scan_uuid=uuid.uuid4(), token=badge.token,
                           override=True, override_reason="Left through the fire exit").scan
    assert (let_in.accepted, let_in.reason) == (True, "overridden")
    assert services.flag_passback_conflicts({(badge.id, south.zone_id)}) == set()
    assert online(security, checkpoints["plenary_out"], badge).reason == "exit_recorded"
    assert online(security, south, badge).reason == "accepted"
    # Another zone is another question.
    assert online(security, checkpoints["vip_in"], badge).reason != "already_inside"


def test_an_entry_synced_from_an_offline_gate_a_is_known_at_online_gate_b(
        badge, security, checkpoints, south):
    services.ingest(security, checkpoints["plenary_in"], [offline(badge, -3)])
    assert online(security, south, badge).reason == "already_inside"


def test_two_offline_gates_letting_one_badge_in_are_reported_after_sync(
        badge, security, checkpoints, south, organiser):
    client = Client()
    client.force_login(security)

    def sync(checkpoint, scans):
        body = {"scans": [{"uuid": str(s.uuid), "token": s.token,
                           "scanned_at": s.scanned_at.isoformat(), "accepted": s.accepted,
                           "reason": s.reason} for s in scans]}
        response = client.post(f"/api/gates/checkpoints/{checkpoint.pk}/sync",
                               json.dumps(body), content_type="application/json")
        assert response.status_code == 200, response.content
        return response.json()

    # Both gates were offline and each let the badge in: south at 10:05, north at 10:00.
    # South uploads first: on its own, nothing is wrong.
    at_south = offline(badge, -55)
    assert sync(south, [at_south])["conflicts"] == []
    # North's upload shows that south's entry was a second one.
    at_north = offline(badge, -60)
    answer = sync(checkpoints["plenary_in"], [at_north])
    assert [(c["uuid"], c["checkpoint"], c["entered_at"], c["name"])
            for c in answer["conflicts"]] == [
        (str(at_south.uuid), "Plenary south", "Plenary north", "Thi B Tran")]
    row = Scan.objects.get(uuid=at_south.uuid)
    assert row.passback_conflict and row.conflict_with.checkpoint == checkpoints["plenary_in"]

    # The security chief sees it on the live view and its API.
    chief = Client()
    chief.force_login(organiser)
    live = chief.get("/api/gates/live").json()
    assert [(c["uuid"], c["inside_since"] is not None) for c in live["conflicts"]] == [
        (str(at_south.uuid), True)]
    page = chief.get("/gates/live/").content.decode()
    assert f'data-scan="{at_south.uuid}"' in page

    # Sending the same upload again changes nothing and reports nothing new.
    again = sync(checkpoints["plenary_in"], [at_north])
    assert (again["duplicates"], again["conflicts"]) == (1, [])
    # South re-sends its scan (its answer was lost): the conflict is in the answer it reads.
    again = sync(south, [at_south])
    assert again["duplicates"] == 1
    assert [c["uuid"] for c in again["conflicts"]] == [str(at_south.uuid)]

    # The exit gate, offline too, uploads last: the badge had left at 10:03. No conflict.
    assert sync(checkpoints["plenary_out"], [offline(badge, -57, reason="exit_recorded")])[
        "conflicts"] == []
    assert not Scan.objects.get(uuid=at_south.uuid).passback_conflict
    assert chief.get("/api/gates/live").json()["conflicts"] == []
