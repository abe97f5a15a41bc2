"""A program's dashboard data: step progress, milestones, key indicators against target, pilot vs. control."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd
from django.utils import timezone

from performance.dashboards import shift_period

from .choices import MilestoneStatus, StepStatus
from .models import Pilot, Program, ProgramIndicator
from .selectors import combined_value, latest_value_start, monthly_unit_values, outermost_units
from .stats import DidResult, difference_in_differences


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


@dataclass
class PilotIndicatorResult:
    """One key indicator in a pilot: the monthly means of pilot and control units, and the estimate."""

    key: ProgramIndicator
    months: list[dt.date]
    pilot_means: list[float | None]
    control_means: list[float | None]
    did: DidResult


@dataclass
class PilotResults:
    """A pilot's results; ``computed_at`` is when the stored snapshot was computed (None: computed just now)."""

    pilot: Pilot
    pre_start: dt.date
    post_end: dt.date
    indicators: list[PilotIndicatorResult] = field(default_factory=list)
    computed_at: dt.datetime | None = None


def pilot_windows(pilot: Pilot, today: dt.date | None = None) -> tuple[dt.date, dt.date, dt.date]:
    """(first pre month, first post month, last post month): the post window stops at today's month."""
    today = today or timezone.localdate()
    first_post = _month(pilot.start)
    last_post = min(_month(pilot.end), _month(today))
    return shift_period(first_post, "month", -pilot.pre_months), first_post, last_post


def pilot_results(pilot: Pilot, keys: list[ProgramIndicator], today: dt.date | None = None) -> PilotResults:
    """Each key indicator month by month, pilot against control, with the DiD estimate (one query for all)."""
    pre_start, post_start, post_end = pilot_windows(pilot, today)
    pilot_ids = {unit.pk for unit in pilot.pilot_units.all()}
    control_ids = {unit.pk for unit in pilot.control_units.all()}
    rows = monthly_unit_values(
        indicator_ids=[key.indicator_id for key in keys],
        unit_ids=sorted(pilot_ids | control_ids),
        start=pre_start,
        end=post_end,
    )
    frame = pd.DataFrame(rows, columns=["indicator_id", "org_unit_id", "period_start", "value"])
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["pilot"] = frame["org_unit_id"].isin(pilot_ids)
    frame["post"] = frame["period_start"] >= post_start
    months = []
    month = pre_start
    while month <= post_end:
        months.append(month)
        month = shift_period(month, "month", 1)
    results = PilotResults(pilot=pilot, pre_start=pre_start, post_end=post_end)
    for key in keys:
        rows_of = frame[frame["indicator_id"] == key.indicator_id]
        means = rows_of.dropna(subset=["value"]).groupby(["pilot", "period_start"])["value"].mean()

        def series(is_pilot: bool, means=means) -> list[float | None]:
            return [float(means[(is_pilot, m)]) if (is_pilot, m) in means.index else None for m in months]

        results.indicators.append(
            PilotIndicatorResult(
                key=key,
                months=months,
                pilot_means=series(True),
                control_means=series(False),
                did=difference_in_differences(
                    rows_of.rename(columns={"org_unit_id": "unit", "period_start": "period"})[
                        ["pilot", "post", "value", "unit", "period"]
                    ]
                ),
            )
        )
    return results


def pilot_results_stored(pilot: Pilot, keys: list[ProgramIndicator]) -> PilotResults | None:
    """The pilot's results from its snapshot rows (``pilot.results``, prefetched), or None when the snapshot
    does not cover every key indicator yet."""
    rows = {row.indicator_id: row for row in pilot.results.all()}
    if not keys or any(key.indicator_id not in rows for key in keys):
        return None
    indicators = []
    for key in keys:
        row = rows[key.indicator_id]
        indicators.append(
            PilotIndicatorResult(
                key=key,
                months=[dt.date.fromisoformat(month) for month in row.months],
                pilot_means=list(row.pilot_means),
                control_means=list(row.control_means),
                did=DidResult(
                    estimate=row.estimate,
                    ci_low=row.ci_low,
                    ci_high=row.ci_high,
                    naive=row.naive,
                    pilot_pre=row.pilot_pre,
                    pilot_post=row.pilot_post,
                    control_pre=row.control_pre,
                    control_post=row.control_post,
                    observations=row.observations,
                ),
            )
        )
    months = indicators[0].months
    first_post = _month(pilot.start)
    return PilotResults(
        pilot=pilot,
        pre_start=months[0] if months else shift_period(first_post, "month", -pilot.pre_months),
        post_end=months[-1] if months else first_post,
        indicators=indicators,
        computed_at=min(row.computed_at for row in rows.values()),
    )


@dataclass
class KeyIndicatorRow:
    key: ProgramIndicator
    latest_value: object
    latest_period_start: dt.date | None

    @property
    def on_target(self) -> bool | None:
        """Whether the latest value meets the target in the indicator's direction."""
        if self.key.target is None or self.latest_value is None:
            return None
        if self.key.indicator.direction == "lower":
            return self.latest_value <= self.key.target
        return self.latest_value >= self.key.target


@dataclass
class RadarComparison:
    """A program unit's radar: the baseline taken when step 1 closed against the latest snapshot."""

    unit: object
    baseline: object  # ProgramRadarSnapshot | None
    now: object  # ProgramRadarSnapshot | None

    def rows(self) -> list[dict]:
        """Per axis: self-assessed and data-derived values at baseline and now (None: no data)."""
        from diagnosis.choices import RadarAxis

        def value(snapshot, series, axis):
            return None if snapshot is None else getattr(snapshot, series).get(axis)

        return [
            {
                "axis": axis,
                "label": label,
                "self_baseline": value(self.baseline, "self_assessed", axis),
                "self_now": value(self.now, "self_assessed", axis),
                "data_baseline": value(self.baseline, "data_derived", axis),
                "data_now": value(self.now, "data_derived", axis),
            }
            for axis, label in RadarAxis.choices
        ]


@dataclass
class ProgramDashboard:
    program: Program
    today: dt.date
    steps: list
    active_step: object
    milestone_counts: dict[str, int]
    key_indicators: list[KeyIndicatorRow]
    pilots: list[PilotResults]
    radars: list[RadarComparison] = field(default_factory=list)

    @property
    def closed_steps(self) -> int:
        return sum(1 for step in self.steps if step.status == StepStatus.CLOSED)


def program_dashboard(program: Program, today: dt.date | None = None) -> ProgramDashboard:
    """Build the dashboard of a program loaded with ``program_with_details``."""
    today = today or timezone.localdate()
    steps = list(program.steps.all())
    active = next((step for step in steps if step.status == StepStatus.ACTIVE), None)
    counts = Counter(
        "overdue" if milestone.is_overdue(today) else milestone.status for milestone in program.milestones.all()
    )
    milestone_counts = {status: counts.get(status, 0) for status in [*MilestoneStatus.values, "overdue"]}
    unit_ids = [unit.pk for unit in outermost_units(program.org_units.all())]
    keys = list(program.key_indicators.all())
    rows = []
    for key in keys:
        start = latest_value_start(indicator_id=key.indicator_id, unit_ids=unit_ids, period=program.baseline_period)
        value = (
            combined_value(
                indicator_id=key.indicator_id, unit_ids=unit_ids, period=program.baseline_period, period_start=start
            )
            if start
            else None
        )
        rows.append(KeyIndicatorRow(key=key, latest_value=value, latest_period_start=start))
    # The nightly snapshot when there is one; a pilot without one yet is computed now.
    pilots = [pilot_results_stored(pilot, keys) or pilot_results(pilot, keys, today) for pilot in program.pilots.all()]
    snapshots = list(program.radar_snapshots.all())
    radars = []
    for unit in outermost_units(program.org_units.all()):
        mine = [snapshot for snapshot in snapshots if snapshot.org_unit_id == unit.pk]
        baseline = next((snapshot for snapshot in mine if snapshot.kind == "baseline"), None)
        nightly = [snapshot for snapshot in mine if snapshot.kind == "nightly"]
        radars.append(RadarComparison(unit=unit, baseline=baseline, now=nightly[-1] if nightly else None))
    return ProgramDashboard(
        program=program,
        today=today,
        steps=steps,
        active_step=active,
        milestone_counts=milestone_counts,
        key_indicators=rows,
        pilots=pilots,
        radars=radars,
    )
