"""Nightly steps of the rollout app: baselines that had no data yet, pilot results, radar snapshots and
milestone reminders to owners."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.jobs import nightly_step
from org.platform import RADAR_LISTENERS

from .choices import StepStatus
from .models import DUE_SOON_DAYS, Pilot, Program, ProgramIndicator, ProgramRadarSnapshot, RadarKind
from .pilots import pilot_results_refresh
from .selectors import milestones_open_for_reminder
from .services import program_baselines_capture, program_radar_snapshot


@nightly_step("rollout_baselines", label=gettext_lazy("Program baselines"), order=50, needs=["indicator_values"])
def program_baselines_fill(job=None) -> dict:
    """Take the baselines still missing (the data of the baseline period arrived after the start)."""
    ids = ProgramIndicator.objects.filter(baseline_value__isnull=True).values("program_id")
    taken = sum(program_baselines_capture(program=program) for program in Program.objects.filter(pk__in=ids))
    return {"baselines": taken}


@nightly_step("rollout_pilot_results", label=gettext_lazy("Pilot results"), order=52, needs=["indicator_values"])
def pilot_results_nightly(job=None, *, today: dt.date | None = None) -> dict:
    """After the indicator values: recompute every pilot's results snapshot (a rerun replaces its rows)."""
    pilot_ids = list(Pilot.objects.order_by("pk").values_list("pk", flat=True))
    written = sum(pilot_results_refresh(pilot_id=pilot_id, today=today) for pilot_id in pilot_ids)
    return {"pilots": len(pilot_ids), "results": written}


@nightly_step(
    "rollout_radar_snapshots", label=gettext_lazy("Program radar snapshots"), order=55, needs=["capability_radars"]
)
def program_radar_snapshots(job=None, *, today: dt.date | None = None) -> dict:
    """After the capability radars: a snapshot per running program (and a missing baseline once step 1 closed)."""
    running = Program.objects.filter(steps__status=StepStatus.ACTIVE).distinct()
    written = 0
    for program in running:
        if program.steps.filter(number=1, status=StepStatus.CLOSED).exists() and not (
            ProgramRadarSnapshot.objects.filter(program=program, kind=RadarKind.BASELINE).exists()
        ):
            written += program_radar_snapshot(program=program, kind=RadarKind.BASELINE, today=today)
        written += program_radar_snapshot(program=program, kind=RadarKind.NIGHTLY, today=today)
    return {"snapshots": written}


def program_radars_follow(*, unit_ids: list[int]) -> int:
    """A program unit's radar changed outside the nightly run (a round closed): running programs over it take
    today's snapshot again, and a baseline missing after step 1 closed is taken now."""
    running = Program.objects.filter(org_units__in=unit_ids, steps__status=StepStatus.ACTIVE).distinct()
    written = 0
    for program in running:
        if program.steps.filter(number=1, status=StepStatus.CLOSED).exists():
            written += program_radar_snapshot(program=program, kind=RadarKind.BASELINE)
        written += program_radar_snapshot(program=program, kind=RadarKind.NIGHTLY)
    return written


RADAR_LISTENERS.add(f"{__name__}.program_radars_follow", program_radars_follow, replace=True)


def milestone_reminders_send(*, today: dt.date | None = None) -> dict:
    """E-mail each owner one list of their open milestones due within DUE_SOON_DAYS days or late.

    A milestone is reminded at most once a day (``reminded_on``), so a second run the same night sends nothing.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    sent = 0
    reminded = []
    for _owner_id, group in groupby(
        milestones_open_for_reminder(today=today, horizon=horizon), key=lambda m: m.owner_id
    ):
        milestones = list(group)
        owner = milestones[0].owner
        with translation.override(settings.LANGUAGE_CODE):
            lines = []
            for milestone in milestones:
                state = _("overdue") if milestone.is_overdue(today) else _("due soon")
                program, title = milestone.program.display_name, milestone.display_title
                lines.append(f"- {program}: {title} ({milestone.due_date:%Y-%m-%d}, {state})")
            subject = _("Milestones due soon or late: %(count)d") % {"count": len(milestones)}
            body = _("These milestones you own are due within %(days)d days or late:") % {"days": DUE_SOON_DAYS}
        send_mail(subject, body + "\n\n" + "\n".join(lines), None, [owner.email])
        sent += 1
        reminded.extend(milestone.pk for milestone in milestones)
    if reminded:
        from .models import Milestone

        Milestone.objects.filter(pk__in=reminded).update(reminded_on=today)
    return {"emails": sent, "milestones": len(reminded)}


@nightly_step("rollout_milestone_reminders", label=gettext_lazy("Milestone reminders"), order=60)
def milestone_reminders_step(job=None) -> dict:
    """Nightly: remind milestone owners (not while seeding demo data, which is no night)."""
    if job is not None and getattr(job, "trigger", "") == "seed_demo":
        return {"emails": 0, "skipped": "seed_demo"}
    return milestone_reminders_send()
