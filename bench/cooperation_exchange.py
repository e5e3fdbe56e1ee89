"""The cooperation channel between two node processes (issue 15).

Node A is this process (its own throwaway database); node B is a separate `convene runserver`
process with its own database, which also plays the depositary. Measured in the same run:
- the same N messages, signed and encrypted (JWS in JWE), posted to B's inbox and answered with
  a signed receipt that A verifies: messages per second and the 95th-percentile latency (from
  sealing to a verified receipt, both sides storing message, receipt and audit events);
- the same messages posted plain (no envelope, no receipt signature) to B's bench-only plain
  inbox, which stores and audits them the same way: the baseline;
- a fresh node's refresh of a 193-State directory: fetch, verify the depositary's signature,
  store 386 peer keys.
Prints one JSON object on its last line.
"""

import json
import os
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

N = int(os.environ.get("BENCH_COOPERATION_MESSAGES", "200"))
WARMUP = 10
STATES = 193


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="convene-bench-coop-"))
    os.environ.update({"CONVENE_VAR_DIR": str(work / "a"), "CONVENE_NODE_ID": "node-a",
                       "CONVENE_NODE_STATE": "AAA", "CONVENE_NODE_URL": "http://127.0.0.1:9"})
    import _django

    _django.setup()
    from django.conf import settings
    from django.db import transaction

    from convene.cooperation import crypto, exchange, keys
    from convene.cooperation import directory as directory_service
    from convene.cooperation.models import Direction, Message, MessageStatus
    from convene.cooperation.nodes import LocalNode

    keys.ensure_keys()
    b = LocalNode("node-b", "BBB", work / "b", depositary=True,
                  extra_env={"CONVENE_COOPERATION_BENCH_PLAIN": "true"})
    b.setup()
    b_keys = json.loads(b.export_keys().read_text())["keys"]
    pin = work / "pin.json"
    pin.write_text(json.dumps({"keys": [{k: v for k, v in j.items() if k != "status"}
                                        for j in b_keys["sign"]]}))
    settings.CONVENE_DEPOSITARY_PUBLIC_KEY = str(pin)
    settings.CONVENE_DEPOSITARY_URL = b.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    designations = [
        {"state": "AAA", "node_id": "node-a", "url": "http://127.0.0.1:9",
         "keys": keys.public_keys(), "languages": ["en"]},
        {"state": "BBB", "node_id": "node-b", "url": b.url, "keys": b_keys, "languages": ["en"]},
    ]
    # 191 more States, each with its own keys: a directory the size of the UN membership.
    for i in range(STATES - 2):
        s, e = crypto.new_signing_key(), crypto.new_encryption_key()
        designations.append({
            "state": f"S{i:03d}", "node_id": f"node-{i:03d}", "url": f"https://node{i}.example",
            "languages": ["en", "fr"], "name": f"State {i}",
            "keys": {"sign": [{**crypto.public_jwk(s), "status": "current"}],
                     "enc": [{**crypto.public_jwk(e), "status": "current"}]}})
    (work / "designations.json").write_text(json.dumps(designations))
    # B is the depositary here and a State node too: it pins its own key and holds the
    # directory it published.
    b.extra_env["CONVENE_DEPOSITARY_PUBLIC_KEY"] = str(pin)
    b.python("import json\nfrom convene.cooperation.designations import designate\n"
             "from convene.cooperation import directory\n"
             f"for d in json.load(open({str(work / 'designations.json')!r})):\n"
             "    designate(**d)\n"
             "print(json.dumps(directory.accept(directory.publish().token).version))")
    b.start(worker=False)
    try:
        started = time.perf_counter()
        snap = directory_service.refresh()
        refresh_seconds = time.perf_counter() - started
        assert len(snap.entries) == STATES, len(snap.entries)

        def secure_one(i):
            t0 = time.perf_counter()
            with transaction.atomic():
                m = exchange.compose(case=None, type="note", peer_node_id="node-b",
                                     body={"text": f"message {i}", "n": i})
            status = exchange.deliver(m)
            assert status in (MessageStatus.DELIVERED, MessageStatus.ACCEPTED), status
            return time.perf_counter() - t0

        def plain_one(i):
            t0 = time.perf_counter()
            now = int(time.time())
            payload = {"id": str(uuid.uuid4()), "type": "note", "from": "node-a",
                       "to": "node-b", "iat": now, "exp": now + 3600, "case": None,
                       "body": {"text": f"message {i}", "n": i}, "attachments": []}
            with transaction.atomic():
                Message.objects.create(message_id=payload["id"], direction=Direction.OUT,
                                       type="note", peer_node_id="node-b", body=payload,
                                       status=MessageStatus.QUEUED)
            req = urllib.request.Request(b.url + "/api/cooperation/node/plain",
                                         data=json.dumps(payload).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(req, timeout=20) as r:
                answer = json.loads(r.read())
            assert answer["status"] in ("accepted", "delivered"), answer
            Message.objects.filter(message_id=payload["id"], direction=Direction.OUT).update(
                status=MessageStatus.DELIVERED)
            return time.perf_counter() - t0

        for i in range(WARMUP):
            secure_one(i)
            plain_one(i)
        # Interleaved rounds, so that both see the same machine load.
        secure, plain = [], []
        for _round in range(4):
            secure += [secure_one(i) for i in range(N // 4)]
            plain += [plain_one(i) for i in range(N // 4)]
    finally:
        b.stop()
    secure_mps = len(secure) / sum(secure)
    plain_mps = len(plain) / sum(plain)
    p95 = sorted(secure)[max(0, int(round(0.95 * len(secure))) - 1)] * 1000
    print(f"secure: {len(secure)} messages, {secure_mps:.1f}/s, p95 {p95:.1f} ms")
    print(f"plain:  {len(plain)} messages, {plain_mps:.1f}/s")
    print(f"directory refresh, {STATES} States: {refresh_seconds:.2f} s")
    print(json.dumps({
        "secure_messages_per_second": round(secure_mps, 1),
        "plain_messages_per_second": round(plain_mps, 1),
        "secure_over_plain": round(secure_mps / plain_mps, 3),
        "secure_p95_ms": round(p95, 1),
        "directory_refresh_193_seconds": round(refresh_seconds, 3),
    }))


if __name__ == "__main__":
    main()
