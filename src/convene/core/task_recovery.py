"""Tasks whose worker died: found and queued again (`convene tasks recover`).

django-tasks' database backend marks a task RUNNING when a worker claims it and SUCCESSFUL or
FAILED when the worker finishes it. A worker that is killed (SIGKILL, the machine lost, out of
memory) finishes nothing: its task stays RUNNING for ever and is never tried again. The backend
keeps no heartbeat, so Convene's workers (`convene tasks worker`) take an id that says where
they run — `<host>/<pid>/<process start time>` — and recovery asks the machine whether that
process still exists. A worker on another host cannot be asked; `--stale-after` requeues any
task running for longer than that (longer than the longest task may take).

Requeueing is safe because every Convene task is written to be run again: a scheduler run
solves its saved instance afresh and replaces the working schedule in one transaction; a
badge part replaces its file; a notification is sent once per row.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

HOST = socket.gethostname()[:40]


def _start_time(pid: int) -> str | None:
    """The start time of a process (clock ticks since boot, /proc/<pid>/stat field 22): a pid
    reused by a new process has another one."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces.
    return stat.rsplit(")", 1)[1].split()[19]


def worker_id(pid: int | None = None) -> str:
    pid = pid or os.getpid()
    return f"{HOST}/{pid}/{_start_time(pid) or 0}"


@dataclass(frozen=True)
class WorkerState:
    known: bool   # a Convene worker id on this host: we can tell whether it lives
    alive: bool


def worker_state(wid: str) -> WorkerState:
    parts = wid.split("/")
    if len(parts) != 3 or parts[0] != HOST or not parts[1].isdigit():
        return WorkerState(known=False, alive=True)
    pid, started = int(parts[1]), parts[2]
    now_started = _start_time(pid)
    if now_started is None:
        if Path("/proc/self/stat").exists():
            return WorkerState(known=True, alive=False)
        try:  # no /proc (not Linux): the pid alone
            os.kill(pid, 0)
        except ProcessLookupError:
            return WorkerState(known=True, alive=False)
        except PermissionError:
            pass
        return WorkerState(known=True, alive=True)
    return WorkerState(known=True, alive=started in ("0", now_started))


@dataclass
class Recovered:
    task_id: str
    task_path: str
    worker: str
    reason: str


def orphaned(stale_after: timedelta | None = None) -> list[Recovered]:
    """RUNNING tasks whose worker is gone (or, with stale_after, that ran too long)."""
    found = []
    now = timezone.now()
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by(
            "started_at"):
        wid = (row.worker_ids or [""])[-1]
        state = worker_state(wid)
        if state.known and not state.alive:
            found.append(Recovered(str(row.pk), row.task_path, wid,
                                   "its worker process is no longer running"))
        elif stale_after is not None and row.started_at and now - row.started_at > stale_after:
            found.append(Recovered(str(row.pk), row.task_path, wid,
                                   f"running for more than {stale_after}"))
    return found


def recover(stale_after: timedelta | None = None, *, dry_run: bool = False) -> list[Recovered]:
    """Queue again each orphaned task (conditionally: a task that finished meanwhile stays)."""
    found = orphaned(stale_after)
    if dry_run:
        return found
    requeued = []
    for item in found:
        with transaction.atomic():
            updated = DBTaskResult.objects.filter(
                pk=item.task_id, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None)
        if updated:
            requeued.append(item)
    return requeued
