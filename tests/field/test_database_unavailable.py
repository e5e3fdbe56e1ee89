"""The database unreachable (a stopped PostgreSQL server, an SQLite file that cannot be opened):
a real app server answers 503 with a clear page, or a JSON error under /api/, never a
traceback; the error itself goes to the server's log."""

import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from tests.field._processes import REPO, convene_env

DOWN = {
    # No server listens on this socket: what a stopped PostgreSQL looks like to psycopg.
    "stopped PostgreSQL": "postgres://convene@/convene?host=/nonexistent/convene-pg&port=5999",
    # A file in a directory that does not exist cannot be opened, even by root.
    "unreadable SQLite file": "sqlite:////nonexistent/convene/convene.sqlite3",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


@pytest.fixture(params=sorted(DOWN))
def server(request, tmp_path):
    port = free_port()
    log = open(tmp_path / "server.log", "w+")
    proc = subprocess.Popen(
        [str(REPO / ".venv/bin/gunicorn"), "--workers=1", f"--bind=127.0.0.1:{port}",
         "convene.wsgi:application"],
        env=convene_env(DOWN[request.param], tmp_path / "var"), stdout=log, stderr=log,
        cwd=REPO)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    break
                time.sleep(0.1)
        assert proc.poll() is None, (tmp_path / "server.log").read_text()
        yield base, tmp_path / "server.log"
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_pages_answer_503_with_a_clear_page_and_no_traceback(server):
    base, log = server
    status, headers, body = get(f"{base}/")
    assert status == 503
    assert headers["Content-Type"].startswith("text/html")
    assert headers["Retry-After"] == "30"
    assert "Convene is temporarily unavailable" in body
    assert "nothing you saved has been lost" in body
    assert "Traceback" not in body and "OperationalError" not in body
    # Signed in (a session cookie): the session is read by a middleware, before any view.
    status, headers, body = get(f"{base}/delegations/", Cookie="sessionid=abcdefghijklmnop")
    assert status == 503 and "temporarily unavailable" in body
    assert "database unavailable while serving GET /" in log.read_text()


def test_the_api_answers_503_in_json(server):
    base, _log = server
    status, headers, body = get(f"{base}/api/delegations/",
                                Cookie="sessionid=abcdefghijklmnop")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert headers["Retry-After"] == "30"
    assert '"code": "database_unavailable"' in body
    assert "Traceback" not in body


def test_other_errors_stay_a_500_without_details(rf):
    from django.db import OperationalError

    from convene.core.unavailable import server_error

    def answer(path, exc):
        try:
            raise exc
        except Exception:
            return server_error(rf.get(path))

    api = answer("/api/delegations/", ValueError("a bug, not an outage"))
    assert api.status_code == 500 and b'"code": "server_error"' in api.content
    page = answer("/delegations/", ValueError("a bug"))
    assert page.status_code == 500 and b"a bug" not in page.content
    # Wrapped or not, a database error is the outage.
    try:
        try:
            raise OperationalError("connection refused")
        except OperationalError as inner:
            raise RuntimeError("while rendering") from inner
    except RuntimeError:
        assert server_error(rf.get("/")).status_code == 503
