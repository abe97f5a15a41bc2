"""Background jobs: the registry of nightly recompute steps and the job lifecycle.

Every app registers its recompute steps here (``@nightly_step``); the recompute job
runs them in order, each in its own transaction, recording progress and timings.
A partial unique index on Job makes sure one recompute at most is queued or running.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import JobKind, JobStatus
from .models import Job, OrgUnit, OrgUnitClosure, OrgUnitStat

logger = logging.getLogger(__name__)

ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


@dataclass(frozen=True)
class NightlyStep:
    """One step of the recompute pipeline: a function of the running job."""

    name: str
    label: str
    order: int
    func: Callable[[Job], object]


_NIGHTLY_STEPS: dict[str, NightlyStep] = {}


def nightly_step(name: str, *, label, order: int):
    """Register a function as a step of the nightly recompute (lower ``order`` runs first)."""

    def decorate(func):
        _NIGHTLY_STEPS[name] = NightlyStep(name=name, label=label, order=order, func=func)
        return func

    return decorate


def nightly_steps() -> list[NightlyStep]:
    """The registered steps in the order they run."""
    return sorted(_NIGHTLY_STEPS.values(), key=lambda step: (step.order, step.name))


def _fail_stale_jobs(kind: str) -> None:
    """An active job with no sign of life for JOB_STALE_AFTER_SECONDS is marked failed (its worker died)."""
    cutoff = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    stale = Job.objects.filter(kind=kind, status__in=ACTIVE_STATUSES, created_at__lt=cutoff).exclude(
        heartbeat_at__gte=cutoff
    )
    stale.update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error=f"Abandoned: no progress for {settings.JOB_STALE_AFTER_SECONDS} seconds.",
    )


def job_start_recompute(*, user=None, trigger: str = "api") -> tuple[Job, bool]:
    """Queue a recompute job, or return the one already queued or running (and False)."""
    _fail_stale_jobs(JobKind.RECOMPUTE)
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=JobKind.RECOMPUTE,
                status=JobStatus.QUEUED,
                started_by=user if getattr(user, "is_authenticated", False) else None,
                trigger=trigger,
                steps=[{"name": step.name, "status": "pending"} for step in nightly_steps()],
            )
    except IntegrityError:
        return Job.objects.get(kind=JobKind.RECOMPUTE, status__in=ACTIVE_STATUSES), False
    from .tasks import recompute_task

    transaction.on_commit(lambda: recompute_task.delay(job.pk))
    return job, True


def _save_progress(job: Job, **fields) -> None:
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


def job_run(job_id: int) -> Job | None:
    """Run a queued recompute job: claim it, run every nightly step, record the outcome.

    The claim is a conditional update, so a duplicate delivery of the same task is a no-op.
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        logger.info("job %s is not queued any more; nothing to do", job_id)
        return None
    job = Job.objects.get(pk=job_id)
    steps = nightly_steps()
    report = [{"name": step.name, "status": "pending"} for step in steps]
    _save_progress(job, steps=report, progress=0.0)
    for index, step in enumerate(steps):
        report[index].update(status="running", started_at=timezone.now().isoformat())
        _save_progress(job, steps=report, current_step=step.name)
        began = time.perf_counter()
        try:
            with transaction.atomic():
                outcome = step.func(job)
        except Exception as exc:  # noqa: BLE001 - any failure ends the job as failed, with its text
            logger.exception("job %s failed in step %s", job_id, step.name)
            report[index].update(status="failed", seconds=round(time.perf_counter() - began, 3))
            _save_progress(
                job,
                steps=report,
                status=JobStatus.FAILED,
                finished_at=timezone.now(),
                error=f"{step.name}: {exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=5)}"[:10000],
            )
            return job
        report[index].update(status="succeeded", seconds=round(time.perf_counter() - began, 3))
        if outcome is not None:
            report[index]["result"] = outcome
        _save_progress(job, steps=report, progress=round((index + 1) / len(steps), 4))
    _save_progress(job, status=JobStatus.SUCCEEDED, finished_at=timezone.now(), current_step="", progress=1.0)
    return job


# --- the org app's own nightly step ----------------------------------------------


@nightly_step("org_unit_stats", label=_("Head counts per org unit"), order=10)
def org_unit_stats_compute(job: Job | None = None) -> dict:
    """Head count of each unit's whole subtree (one join through the closure), bulk upserted."""
    today = timezone.localdate()
    active = OrgUnitClosure.objects.filter(descendant__people__hire_date__lte=today).exclude(
        descendant__people__exit_date__lte=today
    )
    subtree = dict(active.values("ancestor_id").annotate(n=Count("descendant__people")).values_list("ancestor_id", "n"))
    units = dict(
        OrgUnitClosure.objects.values("ancestor_id").annotate(n=Count("descendant_id")).values_list("ancestor_id", "n")
    )
    direct = dict(
        OrgUnit.objects.filter(people__hire_date__lte=today)
        .exclude(people__exit_date__lte=today)
        .values("pk")
        .annotate(n=Count("people"))
        .values_list("pk", "n")
    )
    now = timezone.now()
    rows = [
        OrgUnitStat(
            org_unit_id=unit_id,
            headcount=subtree.get(unit_id, 0),
            direct_headcount=direct.get(unit_id, 0),
            unit_count=units.get(unit_id, 1),
            computed_at=now,
        )
        for unit_id in OrgUnit.objects.values_list("pk", flat=True)
    ]
    OrgUnitStat.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["org_unit"],
        update_fields=["headcount", "direct_headcount", "unit_count", "computed_at"],
        batch_size=2000,
    )
    OrgUnitStat.objects.exclude(org_unit_id__in=[row.org_unit_id for row in rows]).delete()
    return {"units": len(rows)}
