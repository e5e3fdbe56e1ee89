"""`convene tasks recover`: which RUNNING tasks are queued again, and which are left alone."""

import io
import subprocess
import sys
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from convene.core import task_recovery


def running_task(worker: str, started_minutes_ago: int = 1) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [1], "kwargs": {}}, backend_name="default",
        task_path="convene.bilaterals.tasks.run_scheduler", run_after=timezone.now(),
        worker_ids=[worker], started_at=timezone.now() - timedelta(minutes=started_minutes_ago))


@pytest.fixture
def dead_worker_id():
    """The id a worker had, whose process has since exited."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(0.2)"])
    wid = task_recovery.worker_id(proc.pid)
    proc.wait()
    return wid


@pytest.mark.django_db
def test_only_tasks_of_dead_workers_are_queued_again(dead_worker_id):
    dead = running_task(dead_worker_id)
    alive = running_task(task_recovery.worker_id())  # this very process
    elsewhere = running_task("other-host/1234/99", started_minutes_ago=90)
    plain = running_task("aZ3kq9Xw0plainDjangoTasksWorkerId")  # `convene db_worker`
    recovered = task_recovery.recover()
    assert [r.task_id for r in recovered] == [str(dead.pk)]
    dead.refresh_from_db()
    assert dead.status == "READY" and dead.started_at is None
    assert dead.worker_ids == [dead_worker_id]  # the history of who tried stays
    for task in (alive, elsewhere, plain):
        task.refresh_from_db()
        assert task.status == "RUNNING"

    # Workers on other hosts cannot be asked: past --stale-after, whatever the worker.
    out = io.StringIO()
    call_command("tasks", "recover", "--stale-after", "3600", stdout=out)
    elsewhere.refresh_from_db()
    assert elsewhere.status == "READY"
    assert f"queued again task {elsewhere.pk}" in out.getvalue()
    assert "running for more than 1:00:00" in out.getvalue()
    alive.refresh_from_db()
    assert alive.status == "RUNNING"
    # After a restore (no worker of this installation running yet): everything RUNNING.
    call_command("tasks", "recover", "--stale-after", "0", stdout=io.StringIO())
    alive.refresh_from_db()
    assert alive.status == "READY"


@pytest.mark.django_db
def test_a_dry_run_lists_and_changes_nothing(dead_worker_id):
    task = running_task(dead_worker_id)
    out = io.StringIO()
    call_command("tasks", "recover", "--dry-run", stdout=out)
    assert "would queue again" in out.getvalue()
    task.refresh_from_db()
    assert task.status == "RUNNING"


def test_a_reused_pid_is_not_taken_for_the_dead_worker(dead_worker_id):
    host, pid, _started = dead_worker_id.split("/")
    # Same pid, another start time: another process, so the worker is gone.
    me = task_recovery.worker_id().split("/")
    assert not task_recovery.worker_state(f"{host}/{me[1]}/1").alive
    assert task_recovery.worker_state("/".join(me)).alive
