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
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import JobKind, JobStatus
from .models import Job, OrgUnit, OrgUnitClosure, OrgUnitStat, Person

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


def _fail_stale_jobs(kind: str) -> int:
    """An active job with no sign of life for JOB_STALE_AFTER_SECONDS is marked failed (its worker died).

    A queued job counts from when it was queued, a running one from its last heartbeat (every step
    boundary). If the worker was only slow, ``job_run`` notices the job is no longer running at its
    next heartbeat and stops, so the job is never reported twice or resurrected.
    """
    seconds = settings.JOB_STALE_AFTER_SECONDS
    cutoff = timezone.now() - timedelta(seconds=seconds)
    stale = Job.objects.filter(kind=kind, status__in=ACTIVE_STATUSES, created_at__lt=cutoff).exclude(
        heartbeat_at__gte=cutoff
    )
    return stale.update(
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error=gettext("Abandoned: no sign of progress for %(seconds)d seconds.") % {"seconds": seconds},
    )


def job_start_recompute(*, user=None, trigger: str = "api") -> tuple[Job, bool]:
    """Queue a recompute job and return it with True, or return the one already queued or running with False.

    The partial unique index on Job is the lock: of two concurrent calls one creates the job,
    the other gets the IntegrityError and answers with the active job.
    """
    _fail_stale_jobs(JobKind.RECOMPUTE)
    for _attempt in range(3):
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
            active = Job.objects.filter(kind=JobKind.RECOMPUTE, status__in=ACTIVE_STATUSES).first()
            if active is not None:
                return active, False
            continue  # the active job finished in between: try again
        from .tasks import recompute_task

        transaction.on_commit(partial(recompute_task.delay, job.pk))
        return job, True
    raise RuntimeError("could not queue a recompute job")  # pragma: no cover - needs three lost races in a row


def _save_progress(job: Job, **fields) -> bool:
    """Record progress as a heartbeat; False when the job is no longer running (marked abandoned meanwhile)."""
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    return bool(Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**fields))


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
        if not _save_progress(job, steps=report, current_step=step.name):
            logger.warning("job %s is no longer running (marked abandoned?); stopping before %s", job_id, step.name)
            return job
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
    # Filter people first: an exclude() across the closure's people would drop a whole unit
    # as soon as one of its people has left.
    active = Person.objects.filter(hire_date__lte=today).filter(Q(exit_date__isnull=True) | Q(exit_date__gt=today))
    ancestor = "org_unit__ancestor_links__ancestor_id"
    subtree = dict(active.values(ancestor).annotate(n=Count("pk")).values_list(ancestor, "n"))
    direct = dict(active.values("org_unit_id").annotate(n=Count("pk")).values_list("org_unit_id", "n"))
    units = dict(
        OrgUnitClosure.objects.values("ancestor_id").annotate(n=Count("descendant_id")).values_list("ancestor_id", "n")
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
