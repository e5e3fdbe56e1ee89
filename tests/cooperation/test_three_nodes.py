"""Three nodes as separate processes on loopback — State A, State B and the depositary — each
with its own SQLite database and var dir; the "Done when" scenario of issue 15, end to end.

The cluster starts once for the module (it is the slow part); the steps run in order.
"""

import hashlib
import json
import os
import time
import urllib.request
import uuid

import pytest

from convene.cooperation import crypto
from convene.cooperation.nodes import LocalNode, federate

PRE = """
import json, time
from django.contrib.auth import get_user_model
from convene.accounts.models import Role, RoleAssignment
from convene.cooperation import services
from convene.cooperation.models import Case, Message, Attachment, CustodyEvent
def officer():
    u, _ = get_user_model().objects.get_or_create(username="officer",
                                                  defaults={"email": "officer@example.org"})
    RoleAssignment.objects.get_or_create(user=u, role=Role.CASE_OFFICER)
    return u
def wait(fn, timeout=90):
    end = time.time() + timeout
    while time.time() < end:
        v = fn()
        if v:
            return v
        time.sleep(0.2)
    raise SystemExit("timed out waiting")
def out(x):
    print(json.dumps(x, default=str))
"""

PRESERVATION = {
    "kind": "preservation", "requested_state": "BBB", "language": "en", "offence": "art7",
    "elements": {"requesting_authority": "Cybercrime Unit, State A",
                 "facts_summary": "Intrusion into the health ministry's network on 1 Nov.",
                 "data_description": "Traffic data of the account used for the intrusion.",
                 "custodian": "Hosting provider HostCo", "necessity": "Logs rotate in 7 days.",
                 "intends_mla": True}}
MLA = {
    "kind": "mla", "requested_state": "BBB", "language": "en", "offence": "art7",
    "elements": {"requesting_authority": "Office of the Prosecutor, State A",
                 "subject_matter": "Illegal access to a protected system",
                 "conducting_authority": "Office of the Prosecutor, State A",
                 "facts_summary": "Intrusion into the health ministry's network on 1 Nov.",
                 "assistance_sought": "Production of the preserved logs.",
                 "purpose": "Evidence at trial."}}


def run(node, code):
    return node.python(PRE + code)


def post(node, token: bytes) -> dict:
    req = urllib.request.Request(node.url + "/api/cooperation/node/inbox", data=token,
                                 method="POST", headers={"Content-Type": "application/jose"})
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.loads(r.read())


def verify_receipt(token: str, node) -> dict:
    pub = json.loads((node.root / "public-keys.json").read_text())["keys"]["sign"]
    keys = {j["kid"]: crypto.import_public({k: v for k, v in j.items() if k != "status"})
            for j in pub}
    payload, _ = crypto.verify(token, keys, crypto.RECEIPT_TYP)
    return payload


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    root = tmp_path_factory.mktemp("nodes")
    retry = {"CONVENE_COOPERATION_RETRY_SECONDS": "0.5",
             "CONVENE_COOPERATION_RETRY_CAP_SECONDS": "1"}
    dep = LocalNode("depositary", "", root / "depositary", depositary=True)
    a = LocalNode("node-a", "AAA", root / "a", extra_env=dict(retry))
    b = LocalNode("node-b", "BBB", root / "b", extra_env=dict(retry))
    try:
        federate(dep, [a, b], languages={"AAA": "en,fr", "BBB": "en,es"})
        yield a, b, dep
    finally:
        for n in (a, b, dep):
            n.stop()


def test_the_whole_exchange_across_three_nodes(cluster, tmp_path):
    a, b, dep = cluster
    # The directory each State holds came from the depositary, verified under its pinned key.
    assert run(a, "from convene.cooperation import directory as d\n"
                  "out(sorted(e['state'] for e in d.entries()))") == ["AAA", "BBB"]

    # 1. A sends B a preservation request; B acknowledges.
    sent = run(a, f"""
u = officer()
c = services.save_draft(u, {PRESERVATION!r})
services.send_request(u, c)
wait(lambda: Message.objects.filter(case=c, type="request", status="accepted").exists())
out({{"ref": str(c.ref), "pk": c.pk}})
""")
    ref = sent["ref"]
    held = run(b, f"""
c = wait(lambda: Case.objects.filter(ref="{ref}", side="requested").first())
services.act(officer(), c, services.Action("acknowledge"))
out({{"until": c.preservation_until, "created": c.created_at.date()}})
""")
    days = (time.strptime(held["until"], "%Y-%m-%d"), time.strptime(held["created"], "%Y-%m-%d"))
    assert (time.mktime(days[0]) - time.mktime(days[1])) / 86400 >= 60  # art. 42: 60 days
    assert run(a, f"""
c = Case.objects.get(pk={sent["pk"]})
wait(lambda: Case.objects.get(pk=c.pk).status == "acknowledged")
out(True)""")

    # 2. B's node is stopped; A sends the follow-up MLA request: it waits in A's outbox.
    b.stop()
    mla = run(a, f"""
u = officer()
data = {MLA!r}
data["follow_up_of"] = Case.objects.get(pk={sent["pk"]})
c = services.save_draft(u, data)
m = services.send_request(u, c)
wait(lambda: Message.objects.get(pk=m.pk).attempts >= 2)
m.refresh_from_db()
out({{"ref": str(c.ref), "pk": c.pk, "status": m.status, "attempts": m.attempts,
      "error": m.last_error}})
""")
    assert mla["status"] == "retrying" and mla["attempts"] >= 2

    # 3. B comes back: the request arrives, once; the preservation is extended.
    b.start()
    assert run(a, f"""
wait(lambda: Message.objects.filter(case_id={mla["pk"]}, type="request",
                                    status="accepted").exists())
out(True)""")
    b_state = run(b, f"""
c = wait(lambda: Case.objects.filter(ref="{mla["ref"]}", side="requested").first())
p = Case.objects.get(ref="{ref}", side="requested")
out({{"mla_copies": Message.objects.filter(direction="in", type="request",
                                           case__ref="{mla["ref"]}").count(),
      "pending": str(p.preserved_pending_ref), "follows": c.follow_up_of_id == p.pk}})
""")
    assert b_state == {"mla_copies": 1, "pending": mla["ref"], "follows": True}
    assert run(a, f"""
p = Case.objects.get(pk={sent["pk"]})
wait(lambda: Case.objects.get(pk=p.pk).preserved_pending_ref is not None)
out(str(Case.objects.get(pk=p.pk).preserved_pending_ref))""") == mla["ref"]

    # 4. B asks for more information; A replies.
    run(b, f"""
c = Case.objects.get(ref="{mla["ref"]}", side="requested")
services.act(officer(), c, services.Action("request_information",
             text="Which account identifiers?"))
out(True)""")
    run(a, f"""
c = wait(lambda: Case.objects.filter(pk={mla["pk"]},
                                     status="more_information_requested").first())
services.act(officer(), c, services.Action("reply", text="Account user4711 at HostCo."))
out(True)""")

    # 5. B executes with an evidence file (several chunks); A verifies it.
    evidence = b.root / "logs.bin"
    evidence.write_bytes(os.urandom(600_000))
    digest = hashlib.sha256(evidence.read_bytes()).hexdigest()
    run(b, f"""
from pathlib import Path
c = wait(lambda: Case.objects.filter(ref="{mla["ref"]}", side="requested",
                                     status="in_execution").first())
services.act(officer(), c, services.Action("execute", text="Logs produced.",
             files=(("logs.bin", Path("{evidence}")),)))
out(True)""")
    got = run(a, f"""
import hashlib
c = wait(lambda: Case.objects.filter(pk={mla["pk"]}, status="executed").first())
att = Attachment.objects.get(message__case=c, message__direction="in")
out({{"sha": hashlib.sha256(open(att.path, "rb").read()).hexdigest(), "signed": att.sha256,
      "verified": att.verified, "custody": list(att.custody.values_list("action", flat=True))}})
""")
    assert got["sha"] == got["signed"] == digest and got["verified"]
    assert "received and verified" in got["custody"]

    # 6. Tampered, replayed and unknown-key messages: each refused with a signed receipt.
    token = run(a, f"""
out(Message.objects.get(case_id={mla["pk"]}, type="request", direction="out").jwe)""")
    parts = token.split(".")
    parts[3] = ("A" if parts[3][0] != "A" else "B") + parts[3][1:]
    tampered = verify_receipt(post(b, ".".join(parts).encode())["receipt"], b)
    assert (tampered["status"], tampered["reason"]) == ("rejected", "bad_signature")
    replay = verify_receipt(post(b, token.encode())["receipt"], b)
    assert (replay["status"], replay["reason"]) == ("rejected", "replayed")
    b_pub = json.loads((b.root / "public-keys.json").read_text())["keys"]["enc"][0]
    now = int(time.time())
    forged, _ = crypto.seal(
        {"id": str(uuid.uuid4()), "type": "request", "from": "node-a", "to": "node-b",
         "iat": now, "exp": now + 600, "case": None, "body": {}, "attachments": []},
        crypto.new_signing_key(),
        crypto.import_public({k: v for k, v in b_pub.items() if k != "status"}))
    unknown = verify_receipt(post(b, forged.encode())["receipt"], b)
    assert (unknown["status"], unknown["reason"]) == ("rejected", "unknown_key")
    for receipt, sent_token in ((tampered, ".".join(parts)), (replay, token)):
        assert receipt["message_sha256"] == hashlib.sha256(sent_token.encode()).hexdigest()
    # None of them changed anything on B.
    assert run(b, f"""
out([Case.objects.count(), Case.objects.get(ref="{mla["ref"]}", side="requested").status])
""") == [2, "executed"]

    # 7. Both audit trails are intact and hold the exchange.
    for node in (a, b, dep):
        assert "intact" in node.manage("audit", "verify")
