"""Celery tasks of the org app: thin wrappers that call the job services.

A task that meets an unreachable database is retried with a growing pause (up to about six minutes in all):
work is claimed by a conditional update, so a retry after the claim is a no-op and one before it does the work.
"""

from celery import shared_task
from django.db import InterfaceError, OperationalError

from .jobs import job_continue, job_part_run, job_run, job_start_recompute

DATABASE_DOWN_RETRY = {
    "autoretry_for": (OperationalError, InterfaceError),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(name="org.tasks.recompute_task", acks_late=True, **DATABASE_DOWN_RETRY)
def recompute_task(job_id: int) -> None:
    """Run a queued recompute job (idempotent: a job that is no longer queued is skipped)."""
    job_run(job_id, fan_out=True)


@shared_task(name="org.tasks.nightly_recompute_task", ignore_result=True, **DATABASE_DOWN_RETRY)
def nightly_recompute_task() -> None:
    """Beat entry point at NIGHTLY_AT: queue the recompute pipeline unless one is active."""
    job_start_recompute(trigger="nightly")


@shared_task(name="org.tasks.job_part_task", bind=True, acks_late=True, **DATABASE_DOWN_RETRY)
def job_part_task(self, job_id: int, step: str, key: str) -> None:
    """Run one part of a fanned-out step of a job (idempotent: a part already taken is skipped)."""
    job_part_run(job_id, step, key, worker=self.request.hostname or "")


@shared_task(name="org.tasks.job_continue_task", acks_late=True, **DATABASE_DOWN_RETRY)
def job_continue_task(job_id: int, start: int) -> None:
    """Go on with a running job from step ``start`` (queued by the worker that finished the step before)."""
    job_continue(job_id, start, fan_out=True)
