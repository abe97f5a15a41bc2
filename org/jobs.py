"""Background jobs: the registry of nightly recompute steps and the job lifecycle.

Every app registers its recompute steps here (``@nightly_step``); the recompute job
runs them in order, each in its own transaction, recording progress and timings.
A partial unique index on Job makes sure one recompute at most is queued or running.

A step may fan out: it names its parts (``parts(job) -> keys``, e.g. one per indicator), each part runs
as its own task on whichever worker takes it (``run_part(job, key)``, its own transaction), and when the
last part has succeeded ``finish(job, tasks)`` runs and the job moves on to the next step. Parts are
JobTask rows keyed by (job, step, key): a part is claimed by a conditional update, so a duplicate
delivery is a no-op, and the job row is locked while deciding who continues, so exactly one worker does.
With eager Celery (the embedded mode) the parts run one after the other in the same process.

Outages: a step or part that fails (the database went away mid-way) rolls back its own transaction, so it
leaves nothing half written, and the job is marked failed with the error; that bookkeeping waits out a short
database outage (``_write_through_outage``). A task the queue cannot take marks its job failed at once
(``JobNotQueued``) instead of leaving it queued, holding the one-active-job lock, until it counts as abandoned.
A rerun recomputes the same rows (every step upserts and removes what is no longer there).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from typing import TypeVar

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .choices import JobKind, JobStatus
from .models import Job, JobTask, OrgUnit, OrgUnitClosure, OrgUnitStat, Person

logger = logging.getLogger(__name__)

ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
T = TypeVar("T")
CONTINUE = "_continue"  # JobTask step name of the claims that keep a job's continuation from running twice


@dataclass(frozen=True)
class NightlyStep:
    """One step of the recompute pipeline: a function of the running job, or parts fanned out to workers."""

    name: str
    label: str
    order: int
    func: Callable[[Job], object]
    parts: Callable[[Job], list[str]] | None = None
    run_part: Callable[[Job, str], object] | None = None
    finish: Callable[[Job, list], object] | None = None

    @property
    def fans_out(self) -> bool:
        return self.parts is not None and self.run_part is not None


_NIGHTLY_STEPS: dict[str, NightlyStep] = {}


def nightly_step(name: str, *, label, order: int, parts=None, run_part=None, finish=None):
    """Register a function as a step of the nightly recompute (lower ``order`` runs first).

    With ``parts``/``run_part``/``finish`` the recompute job fans the step out over the workers; the
    function itself stays the one-process way to run the whole step (tests, benchmarks, scripts).
    """

    def decorate(func):
        _NIGHTLY_STEPS[name] = NightlyStep(
            name=name, label=label, order=order, func=func, parts=parts, run_part=run_part, finish=finish
        )
        return func

    return decorate


class JobNotQueued(Exception):
    """The job queue (the broker) did not take a job's task; the job has been marked failed."""

    def __init__(self, job_id: int):
        super().__init__(f"job {job_id} could not be queued")
        self.job_id = job_id


def _write_through_outage(write: Callable[[], T]) -> T:
    """Run one bookkeeping write (progress, a failure); while the database cannot be reached, try again with a
    fresh connection for up to JOB_RECORD_RETRY_SECONDS, so that a job the database failed under is still
    recorded as failed once it is back. Inside a transaction it runs once (that transaction is lost anyway).
    """
    deadline = time.monotonic() + getattr(settings, "JOB_RECORD_RETRY_SECONDS", 60)
    pause = 0.25
    while True:
        try:
            return write()
        except (OperationalError, InterfaceError) as exc:
            connection = transaction.get_connection()
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                raise
            logger.warning("database unavailable while recording a job (%s); trying again in %ss", exc, pause)
            connection.close()
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def _send_or_fail(job_id: int, send: Callable[[], object]) -> None:
    """Hand a job's task to the queue; when the queue cannot take it, mark the job failed and raise JobNotQueued."""
    try:
        send()
    except Exception as exc:
        logger.exception("job %s: the queue did not take its task", job_id)
        now = timezone.now()
        # Translated outside the f-string: makemessages skips gettext calls inside f-strings.
        reason = gettext("The job queue is unavailable: the job could not be queued.")
        text = f"{reason}\n{exc.__class__.__name__}: {exc}"
        _write_through_outage(
            lambda: Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).update(
                status=JobStatus.FAILED, finished_at=now, heartbeat_at=now, error=text[:10000]
            )
        )
        raise JobNotQueued(job_id) from exc


def _failure_text(prefix: str, exc: BaseException) -> str:
    """The failure text a job or part keeps: where, the exception and its message, then the traceback's end."""
    trace = "".join(traceback.format_exception(exc, limit=5))
    return f"{prefix}: {exc.__class__.__name__}: {exc}\n{trace}"[:10000]


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


def job_start_recompute(*, user=None, trigger: str = "api", full: bool = False) -> tuple[Job, bool]:
    """Queue a recompute job and return it with True, or return the one already queued or running with False.

    ``full``: rebuild everything instead of the years marked stale (the job's ``params["full"]``).

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
                    params={"full": True} if full else {},
                    steps=[{"name": step.name, "status": "pending"} for step in nightly_steps()],
                )
        except IntegrityError:
            active = Job.objects.filter(kind=JobKind.RECOMPUTE, status__in=ACTIVE_STATUSES).first()
            if active is not None:
                return active, False
            continue  # the active job finished in between: try again
        from .tasks import recompute_task

        # Raises JobNotQueued (the job marked failed) when the queue cannot take the task.
        transaction.on_commit(partial(_send_or_fail, job.pk, partial(recompute_task.delay, job.pk)))
        return job, True
    raise RuntimeError("could not queue a recompute job")  # pragma: no cover - needs three lost races in a row


def _save_progress(job: Job, **fields) -> bool:
    """Record progress as a heartbeat; False when the job is no longer running (marked abandoned meanwhile)."""
    fields["heartbeat_at"] = timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    return bool(_write_through_outage(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**fields)))


def job_run(job_id: int, *, fan_out: bool = False) -> Job | None:
    """Run a queued recompute job: claim it, then run its steps from the first.

    The claim is a conditional update, so a duplicate delivery of the same task is a no-op. ``fan_out``
    (the worker task asks for it): fanned-out steps go to the queue for any worker, unless Celery is eager;
    otherwise (the demo seed, scripts) every part runs here.
    """
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        logger.info("job %s is not queued any more; nothing to do", job_id)
        return None
    job = Job.objects.get(pk=job_id)
    _save_progress(job, steps=[{"name": step.name, "status": "pending"} for step in nightly_steps()], progress=0.0)
    return job_continue(job_id, 0, fan_out=fan_out)


def _fail(job: Job, report: list, index: int, began: float, step_name: str, exc: Exception) -> Job:
    logger.exception("job %s failed in step %s", job.pk, step_name)
    report[index].update(status="failed", seconds=round(time.perf_counter() - began, 3))
    _save_progress(
        job,
        steps=report,
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error=_failure_text(step_name, exc),
    )
    return job


def _fan_out_enabled() -> bool:
    """Parts go to the queue only with a real broker; eager Celery runs them in this process."""
    from acquisition_hr.celery import app

    return not app.conf.task_always_eager


def job_continue(job_id: int, start: int, *, fan_out: bool = False) -> Job | None:
    """Run the steps of a running job from index ``start``; stop at a fanned-out step (its last part goes on)."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.RUNNING:
        return job
    if start > 0:
        # A redelivered continuation must not run the rest twice: the first delivery leaves this row.
        _claim, fresh = JobTask.objects.get_or_create(
            job=job, step=CONTINUE, key=str(start), defaults={"status": JobStatus.SUCCEEDED, "worker": "continue"}
        )
        if not fresh:
            return job
    steps = nightly_steps()
    report = job.steps if len(job.steps) == len(steps) else [{"name": s.name, "status": "pending"} for s in steps]
    for index in range(start, len(steps)):
        step = steps[index]
        report[index].update(status="running", started_at=timezone.now().isoformat())
        if not _save_progress(job, steps=report, current_step=step.name):
            logger.warning("job %s is no longer running (marked abandoned?); stopping before %s", job_id, step.name)
            return job
        began = time.perf_counter()
        if step.fans_out:
            try:
                with transaction.atomic():
                    keys = list(step.parts(job))
                    JobTask.objects.bulk_create(
                        [JobTask(job=job, step=step.name, key=key) for key in keys], ignore_conflicts=True
                    )
            except Exception as exc:  # noqa: BLE001 - any failure ends the job as failed, with its text
                return _fail(job, report, index, began, step.name, exc)
            report[index]["parts"] = len(keys)
            _save_progress(job, steps=report)
            if keys and fan_out and _fan_out_enabled():
                from .tasks import job_part_task

                try:
                    for key in keys:
                        job_part_task.delay(job.pk, step.name, key)
                except Exception as exc:  # noqa: BLE001 - the queue is down: parts already sent find the job stopped
                    return _fail(job, report, index, began, step.name, exc)
                return job  # the worker that finishes the last part continues with the next step
            for key in keys:
                if not job_part_run(job.pk, step.name, key, worker="inline", continue_after=False):
                    return Job.objects.get(pk=job.pk)
            try:
                with transaction.atomic():
                    outcome = (
                        step.finish(job, list(JobTask.objects.filter(job=job, step=step.name))) if step.finish else None
                    )
            except Exception as exc:  # noqa: BLE001
                return _fail(job, report, index, began, step.name, exc)
        else:
            try:
                with transaction.atomic():
                    outcome = step.func(job)
            except Exception as exc:  # noqa: BLE001 - any failure ends the job as failed, with its text
                return _fail(job, report, index, began, step.name, exc)
        report[index].update(status="succeeded", seconds=round(time.perf_counter() - began, 3))
        if outcome is not None:
            report[index]["result"] = outcome
        _save_progress(job, steps=report, progress=round((index + 1) / len(steps), 4))
    _save_progress(job, status=JobStatus.SUCCEEDED, finished_at=timezone.now(), current_step="", progress=1.0)
    return job


def job_part_run(job_id: int, step_name: str, key: str, *, worker: str = "", continue_after: bool = True) -> bool:
    """Run one part of a fanned-out step; False when it failed (the job then fails with its error).

    With ``continue_after`` the worker that completes the last part finishes the step and queues the rest
    of the job.
    """
    now = timezone.now()
    claimed = JobTask.objects.filter(job_id=job_id, step=step_name, key=key, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, worker=worker[:200]
    )
    if not claimed:
        logger.info("part %s/%s of job %s was taken already", step_name, key, job_id)
        return True
    job = Job.objects.get(pk=job_id)
    part = JobTask.objects.filter(job_id=job_id, step=step_name, key=key)
    if job.status != JobStatus.RUNNING:
        part.update(status=JobStatus.FAILED, finished_at=timezone.now(), error=gettext("The job had stopped."))
        return False
    step = _NIGHTLY_STEPS[step_name]
    began = time.perf_counter()
    try:
        with transaction.atomic():
            outcome = step.run_part(job, key)
    except Exception as exc:  # noqa: BLE001 - the part and its job fail with the text
        logger.exception("job %s failed in part %s/%s", job_id, step_name, key)
        seconds = round(time.perf_counter() - began, 3)
        _write_through_outage(
            partial(_record_part_failure, job_id, step_name, key, _failure_text(f"{step_name}/{key}", exc), seconds)
        )
        return False
    _write_through_outage(
        lambda: part.update(
            status=JobStatus.SUCCEEDED,
            finished_at=timezone.now(),
            seconds=round(time.perf_counter() - began, 3),
            result=outcome if isinstance(outcome, dict) else {},
        )
    )
    if continue_after:
        _after_part(job_id, step_name)
    return True


def _record_part_failure(job_id: int, step_name: str, key: str, text: str, seconds: float) -> None:
    """The part and its job failed with ``text``; the job's report shows the step failed."""
    now = timezone.now()
    JobTask.objects.filter(job_id=job_id, step=step_name, key=key).update(
        status=JobStatus.FAILED, finished_at=now, error=text, seconds=seconds
    )
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status=JobStatus.RUNNING).first()
        if job is None:
            return
        report = job.steps if isinstance(job.steps, list) else []
        for entry in report:
            if isinstance(entry, dict) and entry.get("name") == step_name:
                entry["status"] = "failed"
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, finished_at=now, error=text, heartbeat_at=now, steps=report
        )


def _after_part(job_id: int, step_name: str) -> None:
    """Under a lock on the job row: record progress; after the last part, finish the step and move on."""
    steps = nightly_steps()
    index = next(i for i, step in enumerate(steps) if step.name == step_name)
    step = steps[index]
    job = None
    failure: Exception | None = None
    try:
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job_id)
            if job.status != JobStatus.RUNNING or job.current_step != step_name:
                return
            tasks = list(JobTask.objects.filter(job=job, step=step_name))
            done = sum(task.status == JobStatus.SUCCEEDED for task in tasks)
            report = job.steps
            report[index]["parts_done"] = done
            fraction = done / len(tasks) if tasks else 1.0
            if done < len(tasks):
                _save_progress(job, steps=report, progress=round((index + fraction) / len(steps), 4))
                return
            try:
                with transaction.atomic():
                    outcome = step.finish(job, tasks) if step.finish else None
            except Exception as exc:  # noqa: BLE001
                failure = exc
            else:
                _finish_step(job, report, index, outcome)
    except (OperationalError, InterfaceError) as exc:
        if job is None:
            raise
        failure = failure or exc  # the database went away: the lock's transaction, and what it wrote, is lost
    if failure is not None and job is not None:
        # Recorded outside the lock's transaction, which a lost database connection spoils.
        _fail(job, job.steps, index, time.perf_counter(), step_name, failure)


def _finish_step(job: Job, report: list, index: int, outcome) -> None:
    """Under the job's lock, after the last part: the step succeeded; queue the next one or end the job."""
    steps = nightly_steps()
    started = report[index].get("started_at")
    seconds = (timezone.now() - dt.datetime.fromisoformat(started)).total_seconds() if started else None
    report[index].update(status="succeeded", seconds=round(seconds, 3) if seconds is not None else None)
    if outcome is not None:
        report[index]["result"] = outcome
    next_step = steps[index + 1].name if index + 1 < len(steps) else ""
    # Moving current_step on inside the lock makes this the only worker that continues the job.
    _save_progress(job, steps=report, current_step=next_step, progress=round((index + 1) / len(steps), 4))
    if not next_step:
        _save_progress(job, status=JobStatus.SUCCEEDED, finished_at=timezone.now(), progress=1.0)
        return
    from .tasks import job_continue_task

    transaction.on_commit(partial(_send_or_fail, job.pk, partial(job_continue_task.delay, job.pk, index + 1)))


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
