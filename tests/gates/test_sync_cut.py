"""Fault test (issue 16): a gate's sync upload cut mid-way. The device keeps its queue until the
server answers, so it sends the same scans again; each scan UUID is counted once.

A raw socket plays the gate on a bad network against the real server (pytest-django's live
server): it sends the headers and half the JSON body, then the connection drops. Then a full
upload whose answer is lost (the connection drops before the response is read). Then the
device's retry, which reaches the server and reads the answer.
"""

import http.client
import json
import socket
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

from django.test import Client
from django.utils import timezone

from convene.audit.models import AuditEvent
from convene.gates.models import Presence, Scan


def _session(user):
    client = Client()
    client.force_login(user)
    client.get("/gates/")  # sets the CSRF cookie, as the gate page does
    return client.cookies["sessionid"].value, client.cookies["csrftoken"].value


def _request(path, body: bytes, session, csrf, host) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nCookie: sessionid={session}; csrftoken={csrf}\r\n"
            f"X-CSRFToken: {csrf}\r\nReferer: http://{host}/gates/\r\nConnection: close\r\n"
            f"\r\n").encode() + body


def _wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_a_sync_cut_mid_upload_is_sent_again_and_counted_once(
        live_server, issue, viet_nam, security, checkpoints, now_valid):
    from convene.delegations.models import Member

    badges = [issue(Member.objects.create(delegation=viet_nam, given_name="Delegate",
                                          family_name=f"N{i}")) for i in range(3)]
    checkpoint = checkpoints["plenary_in"]
    start = timezone.now() - timedelta(minutes=10)
    scans = [{"uuid": str(uuid.uuid4()), "token": b.token,
              "scanned_at": (start + timedelta(seconds=i)).isoformat(), "accepted": True,
              "reason": "accepted"} for i, b in enumerate(badges)]
    body = json.dumps({"scans": scans}).encode()
    path = f"/api/gates/checkpoints/{checkpoint.pk}/sync"
    session, csrf = _session(security)
    where = urlsplit(live_server.url)
    host = where.netloc

    # 1. The network drops half-way through the body: the server stores nothing.
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        raw = _request(path, body, session, csrf, host)
        sock.sendall(raw[: len(raw) - len(body) // 2])
        sock.shutdown(socket.SHUT_RDWR)
    time.sleep(0.5)  # let the server thread notice
    assert Scan.objects.count() == 0

    # 2. The whole upload arrives, but the answer is lost: the scans are stored once.
    with socket.create_connection((where.hostname, where.port), timeout=10) as sock:
        sock.sendall(_request(path, body, session, csrf, host))
        sock.shutdown(socket.SHUT_WR)  # the device gives up before reading the answer
    assert _wait_for(lambda: Scan.objects.count() == 3)

    # 3. The device still has them queued and sends them again: counted once.
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    connection.request("POST", path, body=body, headers={
        "Content-Type": "application/json", "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf, "Referer": f"{live_server.url}/gates/"})
    response = connection.getresponse()
    assert response.status == 200
    assert json.loads(response.read()) == {"received": 3, "stored": 0, "duplicates": 3,
                                           "conflicts": []}
    connection.close()

    assert Scan.objects.count() == 3
    assert sorted(str(u) for u in Scan.objects.values_list("uuid", flat=True)) == sorted(
        s["uuid"] for s in scans)
    assert Presence.objects.filter(zone=checkpoint.zone, inside=True).count() == 3
    synced = AuditEvent.objects.filter(action="gate.scans_synced")
    assert [e.after["stored"] for e in synced] == [3]  # one upload stored them, once
