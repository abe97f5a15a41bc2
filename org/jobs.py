"""Background jobs: the registry of nightly recompute steps and the job lifecycle.

Every app registers its recompute steps here (``@nightly_step``); the recompute job
runs them in order, each in its own transaction, recording progress and timings.
A partial unique index on Job makes sure one recompute at most is queued or running.

A step names the earlier steps whose output it reads (``needs``). When a step fails (its data or its code),
its transaction is rolled back, the steps that need it, directly or through others, are skipped, and every
other step still runs; the job ends failed, and each step's report says whether it succeeded, failed (with a
short message; the traceback goes to the server log) or was skipped and for which failed step. One odd row
therefore costs the steps that read its result, never the whole night. An unreachable database or job queue
is not a step's failure: the job stops there (the steps after it would fail alike).

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

from . import platform
from .choices import JobKind, JobStatus
from .models import Job, JobTask, OrgUnit, OrgUnitClosure, OrgUnitStat, Person
from .unavailable import unavailable_service

logger = logging.getLogger(__name__)

ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
# What a step's report says of it (``Job.steps``): not run yet, running, succeeded, failed, or skipped because a
# step it needs failed or was skipped (``blocked_by`` names those).
STEP_PENDING, STEP_RUNNING, STEP_SUCCEEDED, STEP_FAILED, STEP_SKIPPED = (
    "pending",
    "running",
    "succeeded",
    "failed",
    "skipped",
)
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
    needs: tuple[str, ...] = ()

    @property
    def fans_out(self) -> bool:
        return self.parts is not None and self.run_part is not None


_NIGHTLY_STEPS = platform.NIGHTLY_STEPS  # name -> NightlyStep


def nightly_step(name: str, *, label, order: int, needs=(), parts=None, run_part=None, finish=None):
    """Register a function as a step of the nightly recompute (lower ``order`` runs first).

    ``needs``: the names of earlier steps whose output this one reads; it is skipped when one of them failed
    or was skipped. With ``parts``/``run_part``/``finish`` the recompute job fans the step out over the
    workers; the function itself stays the one-process way to run the whole step (tests, benchmarks, scripts).
    """

    def decorate(func):
        step = NightlyStep(
            name=name,
            label=label,
            order=order,
            func=func,
            parts=parts,
            run_part=run_part,
            finish=finish,
            needs=tuple(needs),
        )
        _NIGHTLY_STEPS.add(name, step, replace=True)  # a module imported again (tests) registers anew
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
        text = f"{reason}\n{_exception_line(exc)}"
        _write_through_outage(
            lambda: Job.objects.filter(pk=job_id, status__in=ACTIVE_STATUSES).update(
                status=JobStatus.FAILED, finished_at=now, heartbeat_at=now, error=text[:10000]
            )
        )
        raise JobNotQueued(job_id) from exc


# A failure text keeps the first line of the exception's message, cut here: enough to tell what went wrong, never
# the traceback or the rows a database error quotes on its later lines (those go to the server log).
FAILURE_MESSAGE_CHARS = 300


def _exception_line(exc: BaseException) -> str:
    """An exception's kind and its message's first line (cut to FAILURE_MESSAGE_CHARS)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    message = lines[0] if lines else ""
    if len(message) > FAILURE_MESSAGE_CHARS:
        message = message[: FAILURE_MESSAGE_CHARS - 1] + "…"
    return f"{exc.__class__.__name__}: {message}" if message else exc.__class__.__name__


def _failure_text(prefix: str, exc: BaseException) -> str:
    """The short failure text a job, step or part keeps: where, then the exception's kind and first line."""
    return f"{prefix}: {_exception_line(exc)}"


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
    """The job stops here, failed (the database or the queue went away): this step failed, the rest stay pending."""
    logger.exception("job %s failed in step %s", job.pk, step_name)
    report[index].update(
        status=STEP_FAILED, seconds=round(time.perf_counter() - began, 3), error=_failure_text(step_name, exc)
    )
    _save_progress(
        job,
        steps=report,
        status=JobStatus.FAILED,
        finished_at=timezone.now(),
        error=_failure_text(step_name, exc),
    )
    return job


def _stops_the_job(exc: BaseException) -> bool:
    """An unreachable database or job queue ends the job: every later step would fail the same way."""
    return unavailable_service(exc) is not None


def _step_failed(job: Job, report: list, index: int, began: float, step_name: str, exc: Exception) -> None:
    """The step failed on its own (its data or code): its transaction is rolled back, the job goes on."""
    logger.exception("job %s: step %s failed; the steps that need it are skipped", job.pk, step_name)
    report[index].update(
        status=STEP_FAILED, seconds=round(time.perf_counter() - began, 3), error=_failure_text(step_name, exc)
    )
    _save_progress(job, steps=report)


def _blocked_by(step: NightlyStep, report: list) -> list[str]:
    """The steps ``step`` needs that failed or were skipped in this run (so it cannot run on their output)."""
    outcome = {entry.get("name"): entry.get("status") for entry in report if isinstance(entry, dict)}
    return [name for name in step.needs if outcome.get(name) in (STEP_FAILED, STEP_SKIPPED)]


def _complete(job: Job, report: list) -> Job:
    """The last step is done: the job succeeded, or failed naming each failed step (skipped ones are in the report)."""
    failures = [entry.get("error") or entry.get("name", "") for entry in report if entry.get("status") == STEP_FAILED]
    skipped = [entry for entry in report if entry.get("status") == STEP_SKIPPED]
    finished = {"finished_at": timezone.now(), "current_step": "", "progress": 1.0, "steps": report}
    if failures or skipped:
        _save_progress(job, status=JobStatus.FAILED, error="\n".join(failures)[:10000], **finished)
    else:
        _save_progress(job, status=JobStatus.SUCCEEDED, **finished)
    return job


def _fan_out_enabled() -> bool:
    """Parts go to the queue only with a real broker; eager Celery runs them in this process."""
    from acquisition_hr.celery import app

    return not app.conf.task_always_eager


def _parts_failure_text(tasks: list) -> str:
    """A fanned-out step's failure: the first failed part's text, and how many more failed."""
    failed = sorted((task for task in tasks if task.status == JobStatus.FAILED), key=lambda task: task.key)
    if not failed:
        return ""
    text = failed[0].error
    if len(failed) > 1:
        text += " " + gettext("(and %(count)d more parts)") % {"count": len(failed) - 1}
    return text


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
        blocked = _blocked_by(step, report)
        if blocked:
            report[index].update(status=STEP_SKIPPED, blocked_by=blocked)
            if not _save_progress(job, steps=report, progress=round((index + 1) / len(steps), 4)):
                return job
            continue
        report[index].update(status="running", started_at=timezone.now().isoformat())
        if not _save_progress(job, steps=report, current_step=step.name):
            logger.warning("job %s is no longer running (marked abandoned?); stopping before %s", job_id, step.name)
            return job
        began = time.perf_counter()
        try:
            if step.fans_out:
                outcome = _fan_out(job, step, report, index, fan_out=fan_out)
                if outcome is _HANDED_OVER:
                    return job  # the worker that finishes the last part continues with the next step
                if outcome is _STOPPED:
                    return Job.objects.get(pk=job.pk)
            else:
                with transaction.atomic():
                    outcome = step.func(job)
        except Exception as exc:  # noqa: BLE001 - a failure fails the step (or, for an outage, the job), with its text
            if _stops_the_job(exc):
                return _fail(job, report, index, began, step.name, exc)
            _step_failed(job, report, index, began, step.name, exc)
            continue
        if isinstance(outcome, _PartsFailed):
            report[index].update(status=STEP_FAILED, seconds=round(time.perf_counter() - began, 3), error=outcome.text)
            _save_progress(job, steps=report, progress=round((index + 1) / len(steps), 4))
            continue
        report[index].update(status=STEP_SUCCEEDED, seconds=round(time.perf_counter() - began, 3))
        if outcome is not None:
            report[index]["result"] = outcome
        _save_progress(job, steps=report, progress=round((index + 1) / len(steps), 4))
    return _complete(job, report)


_HANDED_OVER = object()  # the parts went to the queue
_STOPPED = object()  # the job stopped while its parts ran (an outage, or marked abandoned)


@dataclass(frozen=True)
class _PartsFailed:
    text: str


def _fan_out(job: Job, step: NightlyStep, report: list, index: int, *, fan_out: bool):
    """Create a fanned-out step's parts, then queue them (returns _HANDED_OVER) or run them all here.

    Run here, a failed part leaves the others to run and the step fails (``_PartsFailed``); its ``finish``
    runs only when every part succeeded.
    """
    with transaction.atomic():
        keys = list(step.parts(job))
        JobTask.objects.bulk_create([JobTask(job=job, step=step.name, key=key) for key in keys], ignore_conflicts=True)
    report[index]["parts"] = len(keys)
    _save_progress(job, steps=report)
    if keys and fan_out and _fan_out_enabled():
        from .tasks import job_part_task

        # The queue down raises here and stops the job; the parts already sent find it stopped.
        for key in keys:
            job_part_task.delay(job.pk, step.name, key)
        return _HANDED_OVER
    for key in keys:
        if not job_part_run(job.pk, step.name, key, worker="inline", continue_after=False) and not (
            Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists()
        ):
            return _STOPPED
    tasks = list(JobTask.objects.filter(job=job, step=step.name))
    if any(task.status == JobStatus.FAILED for task in tasks):
        return _PartsFailed(_parts_failure_text(tasks))
    with transaction.atomic():
        return step.finish(job, tasks) if step.finish else None


def job_part_run(job_id: int, step_name: str, key: str, *, worker: str = "", continue_after: bool = True) -> bool:
    """Run one part of a fanned-out step; False when it failed.

    A part that fails on its own fails its step once the other parts are done (the job goes on with the steps
    that do not need it); one that meets an unreachable database fails the job at once. With
    ``continue_after`` the worker that completes the last part finishes the step and queues the rest of the job.
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
    except Exception as exc:  # noqa: BLE001 - the part fails with the text (and the job, for an outage)
        logger.exception("job %s failed in part %s/%s", job_id, step_name, key)
        seconds = round(time.perf_counter() - began, 3)
        text = _failure_text(f"{step_name}/{key}", exc)
        if _stops_the_job(exc):
            _write_through_outage(partial(_record_part_failure, job_id, step_name, key, text, seconds))
            return False
        _write_through_outage(
            lambda: part.update(status=JobStatus.FAILED, finished_at=timezone.now(), error=text, seconds=seconds)
        )
        if continue_after:
            _after_part(job_id, step_name)
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
    """The part and its job failed with ``text`` (an outage); the job's report shows the step failed."""
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
                entry.update(status=STEP_FAILED, error=text)
        Job.objects.filter(pk=job_id).update(
            status=JobStatus.FAILED, finished_at=now, error=text, heartbeat_at=now, steps=report
        )


def _after_part(job_id: int, step_name: str) -> None:
    """Under a lock on the job row: record progress; after the last part, finish the step and move on.

    The step fails when a part failed (its ``finish`` is not run); the job still goes on with the next step.
    """
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
            ended = sum(task.status in (JobStatus.SUCCEEDED, JobStatus.FAILED) for task in tasks)
            report = job.steps
            report[index]["parts_done"] = done
            fraction = ended / len(tasks) if tasks else 1.0
            if ended < len(tasks):
                _save_progress(job, steps=report, progress=round((index + fraction) / len(steps), 4))
                return
            if done < len(tasks):
                report[index].update(status=STEP_FAILED, error=_parts_failure_text(tasks))
                _move_on(job, report, index)
                return
            try:
                with transaction.atomic():
                    outcome = step.finish(job, tasks) if step.finish else None
            except Exception as exc:  # noqa: BLE001
                if _stops_the_job(exc):
                    failure = exc
                else:
                    logger.exception("job %s: finishing step %s failed", job_id, step_name)
                    report[index].update(status=STEP_FAILED, error=_failure_text(step_name, exc))
                    _move_on(job, report, index)
            else:
                report[index].update(status=STEP_SUCCEEDED)
                if outcome is not None:
                    report[index]["result"] = outcome
                _move_on(job, report, index)
    except (OperationalError, InterfaceError) as exc:
        if job is None:
            raise
        failure = failure or exc  # the database went away: the lock's transaction, and what it wrote, is lost
    if failure is not None and job is not None:
        # Recorded outside the lock's transaction, which a lost database connection spoils.
        _fail(job, job.steps, index, time.perf_counter(), step_name, failure)


def _move_on(job: Job, report: list, index: int) -> None:
    """Under the job's lock, after a fanned-out step's last part: queue the next step, or end the job."""
    steps = nightly_steps()
    started = report[index].get("started_at")
    seconds = (timezone.now() - dt.datetime.fromisoformat(started)).total_seconds() if started else None
    report[index]["seconds"] = round(seconds, 3) if seconds is not None else None
    next_step = steps[index + 1].name if index + 1 < len(steps) else ""
    # Moving current_step on inside the lock makes this the only worker that continues the job.
    _save_progress(job, steps=report, current_step=next_step, progress=round((index + 1) / len(steps), 4))
    if not next_step:
        _complete(job, report)
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
