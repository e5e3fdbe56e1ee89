"""Fault test (issue 16, "Load and faults"): a task worker killed mid-batch.

A real `convene db_worker` process issues a batch of badges; it is killed (SIGKILL, no chance to
clean up) half-way through issuing, and again half-way through rendering the PDF parts. After
each kill `convene accreditation resume` queues the batch again and a new worker finishes it:
every accreditation ends with exactly one badge, one audit event each, every part rendered once.

The worker is a separate process, so this test runs on a database of its own (an SQLite file in
a temporary directory, migrated here), set up and inspected by tests/accreditation/batch_world.py.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORLD = [sys.executable, str(ROOT / "tests" / "accreditation" / "batch_world.py")]
CONVENE = [sys.executable, "-m", "convene"]
WORKER = [*CONVENE, "db_worker", "--no-startup-delay", "--interval", "0.1", "--skip-checks",
          "-v", "0"]
N, CHUNK, PART = 120, 10, 30  # 12 issuing transactions, 4 PDF parts


def _env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "DJANGO_"))}
    return {**env, "DJANGO_SETTINGS_MODULE": "convene.settings", "CONVENE_VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'convene.sqlite3'}",
            "CONVENE_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "CONVENE_BADGE_ISSUE_CHUNK": str(CHUNK)}


def _run(cmd, env, timeout=180) -> str:
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _progress(db: Path, batch_id: int) -> dict:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=20) as con:
        row = con.execute("SELECT status, issued, parts_done, parts FROM "
                          "accreditation_badgebatch WHERE id = ?", (batch_id,)).fetchone()
    return dict(zip(["status", "issued", "parts_done", "parts"], row, strict=True))


def _kill_when(worker, db, batch_id, condition, timeout=120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = _progress(db, batch_id)
        if condition(state):
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
            return _progress(db, batch_id)
        assert worker.poll() is None, "the worker stopped by itself"
        time.sleep(0.01)
    worker.kill()
    raise AssertionError(f"the batch never reached the moment to kill: {state}")


def test_a_worker_killed_mid_batch_is_resumed_and_nothing_is_issued_twice(tmp_path):
    env = _env(tmp_path)
    db = tmp_path / "convene.sqlite3"
    _run([*CONVENE, "migrate", "--skip-checks", "-v", "0"], env, timeout=300)
    batch_id = int(_run([*WORLD, "populate", str(N), str(PART)], env).split()[-1])
    assert _progress(db, batch_id)["status"] == "issuing"  # the request returned at once

    # Killed while issuing: some chunks committed, the rest still pending.
    worker = subprocess.Popen(WORKER, env=env, cwd=ROOT)
    at_kill = _kill_when(worker, db, batch_id, lambda s: 0 < s["issued"] < N // 2)
    assert at_kill["status"] == "issuing" and 0 < at_kill["issued"] < N
    assert at_kill["issued"] % CHUNK == 0  # whole chunks or nothing

    # A new worker alone does not pick it up again (the dead task looks "running" for ever):
    # resuming does, and the new worker issues the rest and starts rendering; killed again.
    out = _run([*CONVENE, "accreditation", "resume", "--stalled-for", "0"], env)
    assert f"Badge batch {batch_id}: queued again" in out
    worker = subprocess.Popen(WORKER, env=env, cwd=ROOT)
    at_kill = _kill_when(worker, db, batch_id,
                         lambda s: s["status"] == "running" and 1 <= s["parts_done"] < s["parts"],
                         timeout=240)
    assert at_kill["issued"] == N and 1 <= at_kill["parts_done"] < at_kill["parts"]

    _run([*CONVENE, "accreditation", "resume", "--stalled-for", "0"], env)
    _run([*WORKER, "--batch"], env, timeout=300)  # runs until the queue is empty, then exits

    report = json.loads(_run([*WORLD, "report", str(batch_id)], env))
    assert report == {
        "status": "done", "total": N, "issued": N, "done": N, "parts": N // PART,
        "parts_done": N // PART, "badges": N, "max_badges_per_accreditation": 1,
        "accreditations_with_a_badge": N, "issued_items": N, "rendered_parts": N // PART,
        "part_files": N // PART, "issued_audit_events": N, "audit_chain_problems": 0,
        "still_approved": 0,
    }
