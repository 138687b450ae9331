"""Background work of forensics. Tasks take ids; the result is numbers (no texts), so no
language needs switching here: the pages translate the notes when they show them."""

from django_tasks import task


@task()
def run_forensics(*, run_id: int) -> str:
    """Run the whole forensic suite for one queued ForensicsRun; returns its final status."""
    from forensics.services import execute_run

    run = execute_run(run_id)
    return run.status if run is not None else "missing"
