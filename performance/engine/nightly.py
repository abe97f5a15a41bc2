"""The nightly ``indicator_values`` step: a full rebuild or only the years marked stale, fanned out per indicator."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.jobs import nightly_step
from org.marks import PendingMarks, marks_consume, pending_marks
from org.models import Job

from ..choices import IndicatorSource
from ..models import Indicator
from .pipeline import values_recompute


def recompute_plan(job: Job | None = None) -> tuple[str, PendingMarks]:
    """Whether this run rebuilds everything ("full"), only the marked years ("incremental") or only the
    non-additive indicators ("none": nothing marked).

    Full when asked for (the job's ``full`` parameter), on the weekly full-rebuild day (settings
    NIGHTLY_FULL_WEEKDAY, a safety net for edits made past the services, e.g. in the admin), when a mark
    covers every year, or when some computed indicator was never computed.
    """
    marks = pending_marks()
    params = getattr(job, "params", None) or {}
    weekly = getattr(settings, "NIGHTLY_FULL_WEEKDAY", None)
    weekly_due = getattr(job, "trigger", "") == "nightly" and timezone.localdate().weekday() == weekly
    if (
        params.get("full")
        or weekly_due
        or marks.years is None
        or Indicator.objects.filter(source=IndicatorSource.BUILTIN, last_computed_at__isnull=True).exists()
    ):
        return "full", marks
    return ("incremental" if marks.years else "none"), marks


def _indicator_parts(job: Job) -> list[str]:
    """Fan-out: decide the plan once for the whole run (stored on the job), one part per indicator."""
    mode, marks = recompute_plan(job)
    plan = {
        "mode": mode,
        "years": None if mode == "full" else sorted(marks.years or ()),
        "tables": None if mode == "full" or marks.tables is None else sorted(marks.tables),
        "last_mark": marks.last_id,
    }
    job.params = {**(job.params or {}), "indicator_plan": plan}
    Job.objects.filter(pk=job.pk).update(params=job.params)
    return list(Indicator.objects.order_by("sort_order", "code").values_list("code", flat=True))


def _indicator_part(job: Job, code: str) -> dict:
    """One indicator's values under the run's plan, in the part's own transaction."""
    plan = job.params["indicator_plan"]
    years = None if plan["years"] is None else frozenset(plan["years"])
    tables = None if plan.get("tables") is None else frozenset(plan["tables"])
    report = values_recompute(indicators=list(Indicator.objects.filter(code=code)), years=years, tables=tables)
    outcome = report["indicators"].get(code, {})
    return {
        "rows": report.get("rows", 0),
        "written": report.get("written", 0),
        "deleted": report.get("deleted", 0),
        "skipped": outcome.get("skipped", ""),
    }


def _indicator_finish(job: Job, tasks: list) -> dict:
    """After every indicator: consume the marks the plan read; sum up the parts."""
    plan = job.params["indicator_plan"]
    marks_consume(PendingMarks(plan["last_mark"], None))
    return {
        "mode": plan["mode"],
        "years": plan["years"],
        "tables": plan.get("tables"),
        "indicators": len(tasks),
        "skipped": sorted(task.key for task in tasks if task.result.get("skipped")),
        "rows": sum(task.result.get("rows", 0) for task in tasks),
        "written": sum(task.result.get("written", 0) for task in tasks),
        "deleted": sum(task.result.get("deleted", 0) for task in tasks),
        "workers": sorted({task.worker for task in tasks}),
    }


@nightly_step(
    "indicator_values",
    label=_("Indicator values"),
    order=20,
    parts=_indicator_parts,
    run_part=_indicator_part,
    finish=_indicator_finish,
)
def indicator_values_step(job: Job | None = None) -> dict:
    """Nightly step: indicator values from the facts; only the years marked stale unless a full rebuild is due.

    The marks read at the start are deleted in the step's transaction: a failed or killed run keeps them.
    """
    mode, marks = recompute_plan(job)
    years = None if mode == "full" else (marks.years or frozenset())
    tables = None if mode == "full" else marks.tables
    report = values_recompute(indicators=list(Indicator.objects.all()), years=years, tables=tables)
    marks_consume(marks)
    return {
        "mode": mode,
        "years": report["years"],
        "tables": None if tables is None else sorted(tables),
        "skipped": sorted(code for code, outcome in report["indicators"].items() if "skipped" in outcome),
        "indicators": len(report["indicators"]),
        "rows": report["rows"],
        "written": report["written"],
        "deleted": report["deleted"],
        "analyzed": report["analyzed"],
        "phases": report["phases"],
    }
