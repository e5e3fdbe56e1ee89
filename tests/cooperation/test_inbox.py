"""A node's inbox: every envelope gets a signed receipt; only a good, new message changes
anything (tampered, replayed, unknown-key, expired and malformed ones are refused, saying why)."""

import json
import time
import uuid

import pytest
from django.test import Client

from convene.audit.models import AuditEvent
from convene.cooperation import crypto, keys
from convene.cooperation import directory as directory_service
from convene.cooperation.models import Case, Message, Receipt
from tests.cooperation.conftest import directory_token, peer_message

pytestmark = pytest.mark.django_db

REQUEST = {"case": {"ref": "", "kind": "preservation", "requesting_state": "BBB",
                    "requested_state": "AAA", "language": "en", "offence": "art7",
                    "elements": {"requesting_authority": "B police"}, "urgent": False}}


def post(token):
    response = Client().post("/api/cooperation/node/inbox", token.encode() if isinstance(
        token, str) else token, content_type="application/jose")
    assert response.status_code == 200
    receipt = response.json()["receipt"]
    own = crypto.import_public({k: v for k, v in keys.public_keys()["sign"][0].items()
                                if k != "status"})
    payload, _ = crypto.verify(receipt, {own.thumbprint(): own}, crypto.RECEIPT_TYP)
    return payload


def request_body():
    body = json.loads(json.dumps(REQUEST))
    body["case"]["ref"] = str(uuid.uuid4())
    return body


def test_a_good_request_opens_a_case_and_is_accepted_with_a_receipt_bound_to_its_hash(joined):
    token, payload = peer_message(joined, body=request_body())
    receipt = post(token)
    assert receipt["status"] == "accepted"
    assert receipt["message_sha256"] == crypto.sha256_hex(token)
    case = Case.objects.get()
    assert case.side == "requested" and case.status == "sent" and case.kind == "preservation"
    # Art. 42: preserved for at least 60 days.
    assert (case.preservation_until - case.created_at.date()).days >= 60
    kept = Message.objects.get(direction="in")
    assert kept.jwe == token and crypto.unverified_header(kept.jws)["alg"] == "Ed25519"
    assert Receipt.objects.filter(issued=True, status="accepted").count() == 1
    assert AuditEvent.objects.filter(action="cooperation.request_received").exists()


def test_a_replay_changes_nothing_and_is_refused_with_the_first_receipt(joined):
    token, _ = peer_message(joined, body=request_body())
    first = post(token)
    again = post(token)
    assert again["status"] == "rejected" and again["reason"] == "replayed"
    assert again["original_receipt"]
    assert Case.objects.count() == 1 and Message.objects.count() == 1
    assert first["status"] == "accepted"


def test_tampered_unknown_key_expired_and_misaddressed_messages_are_refused(joined):
    token, _ = peer_message(joined, body=request_body())
    parts = token.split(".")
    parts[3] = ("A" if parts[3][0] != "A" else "B") + parts[3][1:]
    assert post(".".join(parts))["reason"] == "bad_signature"
    stranger = crypto.new_signing_key()
    token, _ = peer_message(joined, body=request_body(), sign_key=stranger)
    assert post(token)["reason"] == "unknown_key"
    token, _ = peer_message(joined, body=request_body(), exp=int(time.time()) - 5)
    assert post(token)["reason"] == "expired"
    token, _ = peer_message(joined, body=request_body(), to="node-z")
    assert post(token)["reason"] == "malformed"
    assert post(b"not a token")["reason"] == "malformed"
    assert Case.objects.count() == 0 and Message.objects.count() == 0
    assert Receipt.objects.filter(issued=True, status="rejected").count() == 5


def test_a_late_status_message_never_moves_a_case_back(joined):
    body = request_body()
    ref = body["case"]["ref"]
    post(peer_message(joined, body=body)[0])
    case = Case.objects.get()
    case.status = "in_execution"
    case.save()
    # An old "request" for information status arriving late from the requesting side: nothing.
    receipt = post(peer_message(joined, type="withdraw", case=ref)[0])
    assert receipt["status"] == "accepted"
    case.refresh_from_db()
    assert case.status == "withdrawn"
    receipt = post(peer_message(joined, type="reply", case=ref)[0])
    assert receipt["status"] == "delivered"  # kept, changes nothing
    case.refresh_from_db()
    assert case.status == "withdrawn"


def test_old_signing_key_still_verifies_after_rotation(joined):
    """The peer rotated: the new directory lists both keys; a message signed with the old key
    (sent before the rotation, delivered after) is still accepted."""
    old = joined.peer.sign
    new = crypto.new_signing_key()
    joined.peer.sign = new
    directory_service.accept(directory_token(joined, version=2, extra_peer_sign=(old,)))
    token, _ = peer_message(joined, body=request_body(), sign_key=old)
    assert post(token)["status"] == "accepted"


def test_a_directory_under_a_wrong_key_or_older_version_is_refused(node, db):
    directory_service.accept(directory_token(node, version=2))
    with pytest.raises(directory_service.DirectoryRefused):
        directory_service.accept(directory_token(node, version=1))
    node.depositary = crypto.new_signing_key()  # not the pinned key
    with pytest.raises(directory_service.DirectoryRefused):
        directory_service.accept(directory_token(node, version=3))
    assert directory_service.current().version == 2


def test_a_request_in_another_states_name_or_of_an_unknown_kind_is_refused(joined):
    body = request_body()
    body["case"]["requesting_state"] = "AAA"  # node-b is State BBB in the directory
    assert post(peer_message(joined, body=body)[0])["reason"] == "malformed"
    body = request_body()
    body["case"]["kind"] = "rendition"
    assert post(peer_message(joined, body=body)[0])["reason"] == "malformed"
    assert Case.objects.count() == 0 and Message.objects.count() == 0


def test_the_directory_page_refresh_refuses_and_keeps_the_directory_held(joined, settings,
                                                                         case_officer):
    from django.test import Client

    settings.CONVENE_DEPOSITARY_URL = ""
    client = Client()
    client.force_login(case_officer)
    response = client.post("/cooperation/directory/refresh/", follow=True)
    assert "cannot be reached" in response.content.decode()
    assert directory_service.current().version == 1
