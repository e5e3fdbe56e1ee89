"""A task worker killed mid-task (SIGKILL: no chance to clean up), then a new worker: the
interrupted work is recovered and completes once, with nothing duplicated. And a nomination
import (done in the request, not a task) killed half-way leaves nothing, so that sending the
file again nominates everyone exactly once.

Real processes on a database of their own (a file for SQLite, a new database on the test's
PostgreSQL server under scripts/with-postgres.sh), loaded with the demo."""

import json
import signal
import subprocess
import time

import pytest

from tests.field._processes import (
    convene_cmd,
    convene_env,
    empty_database,
    python_process,
    run_python,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup, django_db_blocker):
    tmp = tmp_path_factory.mktemp("site")
    with django_db_blocker.unblock():
        database = empty_database(tmp)
    env = convene_env(database.url, tmp / "var")
    for args in (("migrate", "-v0"), ("demo_data",)):
        done = subprocess.run(convene_cmd(*args), env=env, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stderr
    yield database, env, tmp
    with django_db_blocker.unblock():
        database.drop()


def wait_for(predicate, timeout=120, every=0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := predicate():
            return value
        time.sleep(every)
    raise AssertionError("timed out")


def test_a_scheduler_run_whose_worker_is_killed_is_recovered_and_applied_once(site):
    database, env, tmp = site
    started = run_python(env, """
        from convene.accounts.models import User
        from convene.bilaterals.services import start_run
        from convene.core.models import current_event
        run = start_run(User.objects.get(username="organiser"), current_event(), time_limit=8)
        print(run.pk)
    """)
    assert started.returncode == 0, started.stderr
    run_id = int(started.stdout.split()[-1])
    status = "SELECT status FROM bilaterals_schedulerun WHERE id = %s"
    flag = tmp / "solved"
    with open(tmp / "worker-1.log", "w") as log:
        # The real worker (`convene tasks worker`), held after the solver has answered and
        # before the schedule is written, so that the kill lands at a known point mid-task.
        worker = python_process(env, f"""
            import time
            from pathlib import Path
            from django.core.management import call_command
            from convene.bilaterals import solver
            real = solver.solve
            def solve(*args, **kwargs):
                result = real(*args, **kwargs)
                Path({str(flag)!r}).write_text("solved")
                time.sleep(600)
                return result
            solver.solve = solve
            call_command("tasks", "worker", "--interval", "0.1")
        """, log)
        try:
            wait_for(flag.exists, timeout=180, every=0.05)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
    task = ("SELECT status, worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE %s")
    [(task_status, workers)] = database.query(task, "%run_scheduler")
    # What django-tasks leaves behind a killed worker: the task RUNNING for ever.
    assert task_status == "RUNNING" and database.scalar(status, run_id) == "running"

    with open(tmp / "worker-2.log", "w+") as log:
        subprocess.run(convene_cmd("tasks", "worker", "--batch", "--interval", "0.1"), env=env,
                       stdout=log, stderr=log, timeout=300, check=True)
        log.seek(0)
        assert "queued again task" in log.read()
    assert database.scalar(status, run_id) == "done"
    [(task_status, workers)] = database.query(task, "%run_scheduler")
    assert task_status == "SUCCESSFUL" and len(json.loads(workers)
                                               if isinstance(workers, str) else workers) == 2
    finished = database.scalar("SELECT COUNT(*) FROM audit_auditevent WHERE action = %s AND "
                               "object_id = %s", "bilateral.run_finished", str(run_id))
    assert finished == 1
    meetings, requests = database.query(
        "SELECT COUNT(*), COUNT(DISTINCT request_id) FROM bilaterals_meeting")[0]
    assert meetings == requests > 0
    verify = subprocess.run(convene_cmd("audit", "verify"), env=env, capture_output=True,
                            text=True, timeout=120)
    assert verify.returncode == 0, verify.stderr


PEOPLE = 200
SETUP_DELEGATION = """
    from datetime import timedelta
    from django.utils import timezone
    from convene.core.models import current_event
    from convene.delegations.models import Delegation
    from convene.directory.models import Entity
    entity, _ = Entity.objects.get_or_create(code="ZZK", defaults={
        "kind": "member_state", "name_en": "Killtest", "names": {"en": "Killtest"}})
    d, _ = Delegation.objects.get_or_create(event=current_event(), entity=entity, defaults={
        "quota": 500, "nomination_deadline": timezone.now() + timedelta(days=5)})
    print(d.pk)
"""
IMPORT = """
    import sys, time
    from pathlib import Path
    from convene.accounts.models import User
    from convene.delegations import services
    from convene.delegations.models import Delegation
    pause_at = {pause!r}
    if pause_at:
        # Holds the import's transaction open after its first audit event, so that the test
        # can kill the process at a known point in the middle of the batch.
        real = services.record
        def record(*args, **kwargs):
            event = real(*args, **kwargs)
            Path(pause_at).write_text("in the middle")
            time.sleep(600)
            return event
        services.record = record
    rows = "\\n".join(f"Person{{n}},Given{{n}}" for n in range({people}))
    result = services.import_members(User.objects.get(username="organiser"),
                                     Delegation.objects.get(pk={pk}), "people.csv",
                                     ("family_name,given_name\\n" + rows).encode())
    print(len(result.created), result.errors)
"""


def test_a_nomination_import_killed_half_way_leaves_nothing_and_runs_again_once(site):
    database, env, tmp = site
    made = run_python(env, SETUP_DELEGATION)
    assert made.returncode == 0, made.stderr
    pk = int(made.stdout.split()[-1])
    flag = tmp / "import-paused"
    members = "SELECT COUNT(*) FROM delegations_member WHERE delegation_id = %s"
    with open(tmp / "import.log", "w") as log:
        proc = python_process(env, IMPORT.format(pause=str(flag), people=PEOPLE, pk=pk), log)
        try:
            wait_for(flag.exists, timeout=180, every=0.05)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
    assert database.scalar(members, pk) == 0
    again = run_python(env, IMPORT.format(pause="", people=PEOPLE, pk=pk))
    assert again.returncode == 0, again.stderr
    assert again.stdout.split()[0] == str(PEOPLE)
    assert database.scalar(members, pk) == PEOPLE
    nominated = database.scalar(
        "SELECT COUNT(*) FROM audit_auditevent WHERE action = %s AND summary LIKE %s",
        "member.nominated", "%Killtest%")
    assert nominated == PEOPLE
    verify = subprocess.run(convene_cmd("audit", "verify"), env=env, capture_output=True,
                            text=True, timeout=120)
    assert verify.returncode == 0, verify.stderr
