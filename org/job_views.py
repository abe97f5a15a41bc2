"""Browser pages for HR leads and admins: the recompute runs, one run's steps, and "Recompute now".

The list shows the last runs with their timings and, over the last successful runs, the average
and last seconds of every step so that a step that became slower stands out. A run's page shows
each step's seconds as a table with plain HTML bars and, while the run is queued or running,
``static/js/jobs.js`` polls ``GET /api/v1/jobs/<id>/`` and updates it in place.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from .choices import JobKind, JobStatus
from .jobs import (
    ACTIVE_STATUSES,
    STEP_PENDING,
    STEP_SKIPPED,
    JobNotQueued,
    job_start_recompute,
    nightly_steps,
)
from .models import Job
from .ui.formatting import format_number

RUNS_PER_PAGE = 30
# Step timings are averaged over this many of the latest successful runs.
STATS_RUNS = 10
# A step's last run is flagged "slower" when it took at least this factor times the average of the
# runs before it, and at least SLOWER_MIN_SECONDS more (steps of a few milliseconds jitter a lot).
SLOWER_FACTOR = 1.5
SLOWER_MIN_SECONDS = 0.5
POLL_MILLISECONDS = 2000

TRIGGER_LABELS = {
    "api": gettext_lazy("API"),
    "manual": gettext_lazy("Recompute now (page)"),
    "nightly": gettext_lazy("Nightly schedule"),
    "seed_demo": gettext_lazy("Demo seeding"),
}
STEP_STATUS_LABELS = {
    STEP_PENDING: gettext_lazy("Pending"),
    JobStatus.RUNNING.value: JobStatus.RUNNING.label,
    JobStatus.SUCCEEDED.value: JobStatus.SUCCEEDED.label,
    JobStatus.FAILED.value: JobStatus.FAILED.label,
    STEP_SKIPPED: gettext_lazy("Skipped"),
}
# The badge class of app.css for each job or step status.
STATUS_BADGES = {
    STEP_PENDING: "",
    JobStatus.QUEUED.value: "soon",
    JobStatus.RUNNING.value: "info",
    JobStatus.SUCCEEDED.value: "ok",
    JobStatus.FAILED.value: "bad",
    STEP_SKIPPED: "soon",
}
# Why a step did not run (shared with jobs.js): the steps it needs, by their labels.
BLOCKED_FORMAT = gettext_lazy("Not run: it needs %(steps)s, which did not succeed.")
# The duration formats, shared with jobs.js (python-format placeholders, also used there).
SECONDS_FORMAT = gettext_lazy("%(seconds)s s")
MINUTES_FORMAT = gettext_lazy("%(minutes)d min %(seconds)02d s")
HOURS_FORMAT = gettext_lazy("%(hours)d h %(minutes)02d min")
# How a step's result reads: how the indicator values were recomputed, then its counts. Keys a step reports
# that are not listed here (lists, timings, internal ids) are left out, so no code reaches the page.
RESULT_MODES = {
    "full": pgettext_lazy("recompute mode", "Full rebuild"),
    "incremental": pgettext_lazy("recompute mode", "Incremental"),
    "none": pgettext_lazy("recompute mode", "Nothing to recompute"),
}
RESULT_COUNTS = {
    "rows": ngettext_lazy("%(count)s row", "%(count)s rows", "n"),
    "indicators": ngettext_lazy("%(count)s indicator", "%(count)s indicators", "n"),
    "units": ngettext_lazy("%(count)s org unit", "%(count)s org units", "n"),
    "people": ngettext_lazy("%(count)s person", "%(count)s people", "n"),
    "scores": ngettext_lazy("%(count)s match score", "%(count)s match scores", "n"),
    "baselines": ngettext_lazy("%(count)s baseline", "%(count)s baselines", "n"),
    "pilots": ngettext_lazy("%(count)s pilot", "%(count)s pilots", "n"),
    "results": ngettext_lazy("%(count)s pilot result", "%(count)s pilot results", "n"),
    "snapshots": ngettext_lazy("%(count)s radar snapshot", "%(count)s radar snapshots", "n"),
    "milestones": ngettext_lazy("%(count)s milestone", "%(count)s milestones", "n"),
    "emails": ngettext_lazy("%(count)s email", "%(count)s emails", "n"),
    "customers": ngettext_lazy("%(count)s customer", "%(count)s customers", "n"),
}


# --- reading and shaping job records for the pages ---------------------------------


def duration_text(seconds: float | None) -> str:
    """Seconds as people read them: "0.42 s", "12.5 s", "1 min 15 s", "2 h 05 min"; "—" when unknown."""
    if seconds is None:
        return "—"
    if seconds < 10:
        return SECONDS_FORMAT % {"seconds": f"{seconds:.2f}"}
    if seconds < 60:
        return SECONDS_FORMAT % {"seconds": f"{seconds:.1f}"}
    whole = round(seconds)
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return MINUTES_FORMAT % {"minutes": minutes, "seconds": rest}
    hours, rest = divmod(whole, 3600)
    return HOURS_FORMAT % {"hours": hours, "minutes": rest // 60}


def _between(start: dt.datetime | None, end: dt.datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


def job_seconds(job: Job) -> float | None:
    """The run's total duration: from the moment a worker claimed it to its end (None while unfinished)."""
    return _between(job.started_at, job.finished_at)


def error_first_line(error: str) -> str:
    """The first non-blank line of a failure text (the step, the exception and its message)."""
    for line in (error or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


def _step_labels() -> dict[str, str]:
    return {step.name: str(step.label) for step in nightly_steps()}


def _step_order() -> dict[str, int]:
    return {step.name: index for index, step in enumerate(nightly_steps())}


def _result_words() -> dict:
    """The translated pieces of a result sentence, for the page and for jobs.js."""
    # The singular and plural templates, "%(count)s" left in for jobs.js to fill.
    counts = {key: [text % {"n": n, "count": "%(count)s"} for n in (1, 2)] for key, text in RESULT_COUNTS.items()}
    return {
        "modes": {key: str(label) for key, label in RESULT_MODES.items()},
        "counts": counts,
        "separator": pgettext("between the parts of a sentence", ", "),
    }


def result_text(result, words: dict | None = None) -> str:
    """A step's outcome in words: ``{"mode": "incremental", "rows": 15094}`` reads "Incremental, 15,094 rows"."""
    if not isinstance(result, dict):
        return ""
    words = words or _result_words()
    parts = []
    if result.get("mode") in words["modes"]:
        parts.append(words["modes"][result["mode"]])
    for key in words["counts"]:
        value = result.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            parts.append(RESULT_COUNTS[key] % {"n": value, "count": format_number(value, decimals=0)})
    return words["separator"].join(parts)


def _named_steps(steps) -> list[dict]:
    """The step reports of a job's ``steps`` JSON (hand-edited rows may hold anything)."""
    return [step for step in (steps or []) if isinstance(step, dict) and step.get("name")]


def _seconds_of(step: dict) -> float | None:
    value = step.get("seconds")
    return float(value) if isinstance(value, int | float) else None


@dataclass(frozen=True)
class StepTiming:
    """One step's seconds over the latest successful runs: average, last, and the change of the last."""

    name: str
    label: str
    runs: int
    average: float | None
    last: float | None
    earlier_average: float | None
    change_percent: float | None
    slower: bool

    @property
    def average_text(self) -> str:
        return duration_text(self.average)

    @property
    def last_text(self) -> str:
        return duration_text(self.last)

    @property
    def earlier_average_text(self) -> str:
        return duration_text(self.earlier_average)

    @property
    def change_text(self) -> str:
        """The last run against the average before it: "+12 %", "-5 %", "0 %"; "—" without earlier runs."""
        if self.change_percent is None:
            return "—"
        return f"{round(self.change_percent):+d} %" if round(self.change_percent) else "0 %"


def _timing(name: str, label: str, series: list[float | None]) -> StepTiming:
    """``series`` is newest first, one entry per run (None where the run has no seconds for the step)."""
    known = [value for value in series if value is not None]
    last = series[0] if series else None
    earlier = [value for value in series[1:] if value is not None]
    earlier_average = statistics.fmean(earlier) if earlier else None
    change = None
    slower = False
    if last is not None and earlier_average:
        change = (last - earlier_average) / earlier_average * 100
        slower = last >= SLOWER_FACTOR * earlier_average and last - earlier_average >= SLOWER_MIN_SECONDS
    return StepTiming(
        name=name,
        label=label,
        runs=len(known),
        average=statistics.fmean(known) if known else None,
        last=last,
        earlier_average=earlier_average,
        change_percent=change,
        slower=slower,
    )


@dataclass(frozen=True)
class RunTimings:
    """Seconds over the latest successful runs: per step (pipeline order), for whole runs, and how many runs."""

    steps: list[StepTiming]
    total: StepTiming | None
    runs: int
    last_finished_at: dt.datetime | None


def step_timings(*, runs: int = STATS_RUNS) -> RunTimings:
    """Per-step and total seconds over the latest ``runs`` successful recomputes (one query).

    Steps that are no longer registered still show (by name) while recent runs have them.
    """
    recent = list(
        Job.objects.filter(kind=JobKind.RECOMPUTE, status=JobStatus.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .values("steps", "started_at", "finished_at")[:runs]
    )
    if not recent:
        return RunTimings(steps=[], total=None, runs=0, last_finished_at=None)
    labels, order = _step_labels(), _step_order()
    per_run = [{step["name"]: _seconds_of(step) for step in _named_steps(run["steps"])} for run in recent]
    names = sorted({name for seconds in per_run for name in seconds}, key=lambda n: (order.get(n, len(order)), n))
    timings = [_timing(name, labels.get(name, name), [seconds.get(name) for seconds in per_run]) for name in names]
    total = _timing("", _("Whole run"), [_between(run["started_at"], run["finished_at"]) for run in recent])
    return RunTimings(steps=timings, total=total, runs=len(recent), last_finished_at=recent[0]["finished_at"])


def _run_row(job: Job) -> dict:
    return {
        "job": job,
        "trigger": TRIGGER_LABELS.get(job.trigger, job.trigger),
        "badge": STATUS_BADGES.get(job.status, ""),
        "seconds": job_seconds(job),
        "duration": duration_text(job_seconds(job)),
        "error_line": error_first_line(job.error),
    }


def _step_note(step: dict, labels: dict[str, str]) -> str:
    """What the Result column says of a step that failed (its short error) or was skipped (what it waited for)."""
    if step.get("status") == STEP_SKIPPED:
        names = [labels.get(name, name) for name in step.get("blocked_by") or [] if isinstance(name, str)]
        return BLOCKED_FORMAT % {"steps": _(", ").join(names)}
    error = step.get("error")
    return error if isinstance(error, str) else ""


def _step_rows(job: Job, averages: dict[str, StepTiming]) -> list[dict]:
    labels, words = _step_labels(), _result_words()
    steps = _named_steps(job.steps)
    longest = max((_seconds_of(step) or 0.0 for step in steps), default=0.0)
    rows = []
    for step in steps:
        name, status, seconds = step["name"], step.get("status") or "pending", _seconds_of(step)
        timing = averages.get(name)
        rows.append(
            {
                "name": name,
                "label": labels.get(name, name),
                "status": status,
                "status_label": STEP_STATUS_LABELS.get(status, status),
                "badge": STATUS_BADGES.get(status, ""),
                "seconds": seconds,
                "duration": duration_text(seconds) if seconds is not None else "",
                "width": round(seconds / longest * 100, 1) if seconds is not None and longest > 0 else 0,
                "result": result_text(step.get("result"), words),
                "note": _step_note(step, labels),
                "average": timing.average_text if timing else "—",
            }
        )
    return rows


def _page_config(job: Job) -> dict:
    """What jobs.js needs: where to poll, how often, and the translated labels it writes."""
    return {
        "url": reverse("api-job", args=[job.pk]),
        "active": job.status in ACTIVE_STATUSES,
        "interval": POLL_MILLISECONDS,
        "statuses": {value: str(label) for value, label in JobStatus.choices},
        "stepStatuses": {key: str(label) for key, label in STEP_STATUS_LABELS.items()},
        "badges": STATUS_BADGES,
        "stepLabels": _step_labels(),
        "formats": {
            "seconds": str(SECONDS_FORMAT),
            "minutes": str(MINUTES_FORMAT),
            "hours": str(HOURS_FORMAT),
            "blocked": str(BLOCKED_FORMAT),
            "listSeparator": _(", "),
        },
        "resultWords": _result_words(),
        "noStep": "—",
        "pollFailed": _("Could not read the job's status; trying again."),
    }


# --- the pages -----------------------------------------------------------------------


@login_required
@permission_required("org.view_job", raise_exception=True)
def jobs_list(request):
    """The last recompute runs with their timings, and step timings over the latest successful runs."""
    runs = Job.objects.filter(kind=JobKind.RECOMPUTE).select_related("started_by").order_by("-created_at", "-id")
    page = Paginator(runs, RUNS_PER_PAGE).get_page(request.GET.get("page"))
    timings = step_timings()
    active = next((job for job in page if job.status in ACTIVE_STATUSES), None)
    if active is None and page.number != 1:
        active = runs.filter(status__in=ACTIVE_STATUSES).first()
    context = {
        "page": page,
        "rows": [_run_row(job) for job in page],
        "timings": timings.steps,
        "total": timings.total,
        "stats_runs": timings.runs,
        "last_finished_at": timings.last_finished_at,
        "active": active,
        "step_labels": _step_labels(),
        "slower_factor": SLOWER_FACTOR,
    }
    return render(request, "org/jobs_list.html", context)


@login_required
@permission_required("org.view_job", raise_exception=True)
def job_detail(request, pk: int):
    """One run: status, progress, each step's seconds (table and bars), the failure text."""
    job = get_object_or_404(Job.objects.select_related("started_by"), pk=pk, kind__in=JobKind.values)
    timings = step_timings()
    labels = _step_labels()
    context = {
        "job": job,
        "run": _run_row(job),
        "steps": _step_rows(job, {timing.name: timing for timing in timings.steps}),
        "current_step": labels.get(job.current_step, job.current_step),
        "progress_percent": round((job.progress or 0) * 100),
        "active": job.status in ACTIVE_STATUSES,
        "stats_runs": timings.runs,
        "config": _page_config(job),
    }
    return render(request, "org/jobs_detail.html", context)


@login_required
@permission_required("org.start_job", raise_exception=True)
@require_POST
def job_start(request):
    """Recompute now: queue a run (or find the one already queued or running) and show it."""
    try:
        job, created = job_start_recompute(user=request.user, trigger="manual")
    except JobNotQueued as exc:
        messages.error(
            request,
            _("The job queue cannot be reached, so recompute job #%(id)s could not start; try again in a minute.")
            % {"id": exc.job_id},
        )
        return redirect("org:job-detail", pk=exc.job_id)
    if created:
        messages.success(request, _("Recompute job #%(id)s started.") % {"id": job.pk})
    else:
        messages.info(
            request, _("A recompute is already queued or running: job #%(id)s is shown instead.") % {"id": job.pk}
        )
    return redirect("org:job-detail", pk=job.pk)
