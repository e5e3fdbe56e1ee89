"""A node of State A (this test process) and a peer node B simulated by keys held in the test,
under a directory signed by a depositary key the test pins."""

import json
import time
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from convene.cooperation import crypto, keys
from convene.cooperation import directory as directory_service
from tests.conftest import make_user


@pytest.fixture
def node(settings, tmp_path):
    settings.CONVENE_COOPERATION_KEY_DIR = str(tmp_path / "keys")
    settings.CONVENE_COOPERATION_EVIDENCE_DIR = str(tmp_path / "evidence")
    settings.CONVENE_NODE_ID = "node-a"
    settings.CONVENE_NODE_STATE = "AAA"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    keys._load.cache_clear()
    depositary = crypto.new_signing_key()
    settings.CONVENE_DEPOSITARY_PUBLIC_KEY = json.dumps(crypto.public_jwk(depositary))
    peer = SimpleNamespace(sign=crypto.new_signing_key(), enc=crypto.new_encryption_key(),
                           node_id="node-b", state="BBB")
    return SimpleNamespace(depositary=depositary, peer=peer, tmp=tmp_path)


def directory_token(node, version=1, extra_peer_sign=()):
    peer = node.peer
    entries = [
        {"state": "AAA", "name": "State A", "central_authority": "Ministry of Justice of A",
         "contact_point_24_7": "A 24/7", "languages": ["en", "fr"], "channels": ["convene"],
         "node_id": "node-a", "node_url": "http://127.0.0.1:9", "keys": keys.public_keys()},
        {"state": "BBB", "name": "State B", "central_authority": "Prosecutor-General of B",
         "contact_point_24_7": "B 24/7", "languages": ["en"], "channels": ["convene"],
         "node_id": "node-b", "node_url": "http://127.0.0.1:9",
         "keys": {"sign": [{**crypto.public_jwk(k), "status": "current"}
                           for k in (peer.sign, *extra_peer_sign)],
                  "enc": [{**crypto.public_jwk(peer.enc), "status": "current"}]}},
    ]
    payload = {"version": version, "issued_at": datetime.now(UTC).isoformat(),
               "depositary": "depositary", "entries": entries}
    return crypto.sign(payload, node.depositary, crypto.DIRECTORY_TYP)


@pytest.fixture
def joined(node, db):
    directory_service.accept(directory_token(node))
    return node


def peer_message(node, type="request", body=None, case=None, msg_id=None, sign_key=None,
                 exp=None, to="node-a"):
    now = int(time.time())
    payload = {"id": str(msg_id or uuid.uuid4()), "type": type, "from": "node-b", "to": to,
               "from_state": "BBB", "to_state": "AAA", "iat": now,
               "exp": exp if exp is not None else now + 3600, "case": case,
               "body": body or {}, "attachments": []}
    jwk = next(j for j in keys.public_keys()["enc"] if j["status"] == "current")
    enc = crypto.import_public({k: v for k, v in jwk.items() if k != "status"})
    token, _inner = crypto.seal(payload, sign_key or node.peer.sign, enc)
    return token, payload


@pytest.fixture
def case_officer(db):
    from convene.accounts.models import Role

    return make_user("case.officer", Role.CASE_OFFICER)


@pytest.fixture
def duty_officer(db):
    from convene.accounts.models import Role

    return make_user("duty.officer", Role.DUTY_OFFICER)
