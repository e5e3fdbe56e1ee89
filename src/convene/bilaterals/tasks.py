"""Background tasks of bilaterals: a scheduler run (the request never waits for the solver)."""

from django_tasks import task


@task()
def run_scheduler(run_id: int) -> None:
    from convene.bilaterals.services import execute_run

    execute_run(run_id)
