"""Celery tasks of the rollout app: thin wrappers that load by id and call a service."""

from celery import shared_task

from .pilots import pilot_results_refresh


@shared_task(name="rollout.tasks.pilot_results_refresh_task", acks_late=True, ignore_result=True)
def pilot_results_refresh_task(pilot_id: int) -> None:
    """Recompute one pilot's results snapshot (idempotent: a rerun replaces the same rows)."""
    pilot_results_refresh(pilot_id=pilot_id)
