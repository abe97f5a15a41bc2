"""Celery tasks of the org app: thin wrappers that call the job services."""

from celery import shared_task

from .jobs import job_run, job_start_recompute


@shared_task(name="org.tasks.recompute_task", acks_late=True)
def recompute_task(job_id: int) -> None:
    """Run a queued recompute job (idempotent: a job that is no longer queued is skipped)."""
    job_run(job_id)


@shared_task(name="org.tasks.nightly_recompute_task", ignore_result=True)
def nightly_recompute_task() -> None:
    """Beat entry point at NIGHTLY_AT: queue the recompute pipeline unless one is active."""
    job_start_recompute(trigger="nightly")
