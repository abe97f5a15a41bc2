"""Celery tasks of the enablement app: thin wrappers over its services."""

from celery import shared_task


@shared_task(name="enablement.tasks.readiness_refresh_task", ignore_result=True)
def readiness_refresh_task() -> None:
    """Recompute every active person's readiness snapshot (after a map, activity or scenario changed)."""
    from .readiness import readiness_refresh

    readiness_refresh()
