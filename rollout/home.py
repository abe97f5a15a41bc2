"""The rollout part of the home page: gates waiting for the viewer's signature, overdue milestones they own,
and the programs they co-lead with each one's next step."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from org.home import Suggestion, Task
from org.ui.dates import day_text

from .choices import OPEN_MILESTONE_STATUSES, StepNumber, StepStatus
from .models import ChecklistItem, Milestone, Program, ProgramStep

SHOWN = 10


def _program_url(program_id: int, anchor: str = "") -> str:
    return reverse("rollout:program", args=[program_id]) + (f"#{anchor}" if anchor else "")


def _next_step(program: Program, user) -> tuple[str, str, bool]:
    """(what comes next, the link's anchor, whether the viewer's signature is what it waits for)."""
    if program.active_number is None:
        if program.closed_steps == len(StepNumber):
            return _("All five steps are closed."), "", False
        return _("No step is active yet."), "", False
    step = _("Step %(number)s, %(name)s") % {
        "number": program.active_number,
        "name": StepNumber(program.active_number).label,
    }
    if program.open_criteria:
        return (
            ngettext(
                "%(step)s: %(count)s exit criterion is not checked yet.",
                "%(step)s: %(count)s exit criteria are not checked yet.",
                program.open_criteria,
            )
            % {"step": step, "count": program.open_criteria},
            "checklist",
            False,
        )
    mine = (
        program.sponsor_id == user.pk
        and not program.business_signed
        or (program.hr_co_lead_id == user.pk and not program.hr_signed)
    )
    if mine:
        return (
            _("%(step)s: every exit criterion is checked; the gate waits for your signature.") % {"step": step},
            "gate",
            True,
        )
    return _("%(step)s: the gate waits for the other co-lead's signature.") % {"step": step}, "gate", False


def home_tasks(user, today: dt.date) -> list[Task]:
    """Co-led programs (a gate to sign comes first) and open milestones past their due date that the user owns."""
    active = ProgramStep.objects.filter(program=OuterRef("pk"), status=StepStatus.ACTIVE)
    open_criteria = (
        ChecklistItem.objects.filter(
            step__program=OuterRef("pk"), step__status=StepStatus.ACTIVE, is_exit_criterion=True, done=False
        )
        .order_by()
        .values("step__program")
        .annotate(n=Count("pk"))
        .values("n")
    )
    programs = (
        Program.objects.filter(Q(sponsor_id=user.pk) | Q(hr_co_lead_id=user.pk))
        .annotate(
            active_number=Subquery(active.values("number")[:1]),
            business_signed=Subquery(active.values("business_signed_at")[:1]),
            hr_signed=Subquery(active.values("hr_signed_at")[:1]),
            open_criteria=Subquery(open_criteria[:1]),
            closed_steps=Count("steps", filter=Q(steps__status=StepStatus.CLOSED), distinct=True),
        )
        .order_by("name", "pk")[:SHOWN]
    )
    tasks = []
    for program in programs:
        program.open_criteria = program.open_criteria or 0
        detail, anchor, sign = _next_step(program, user)
        tasks.append(
            Task(
                kind="sign" if sign else "program",
                label=_("Gate to sign") if sign else _("Program you co-lead"),
                title=program.display_name,
                detail=detail,
                url=_program_url(program.pk, anchor),
                action=_("Sign the gate") if sign else _("Open the program"),
                urgent=sign,
                order=20 if sign else 70,
            )
        )
    overdue = (
        Milestone.objects.filter(owner_id=user.pk, status__in=OPEN_MILESTONE_STATUSES, due_date__lt=today)
        .select_related("program")
        .order_by("due_date", "pk")[:SHOWN]
    )
    tasks += [
        Task(
            kind="overdue",
            label=_("Overdue milestone"),
            title=milestone.display_title,
            detail=ngettext(
                "%(program)s: due %(day)s, %(count)s day ago.",
                "%(program)s: due %(day)s, %(count)s days ago.",
                (today - milestone.due_date).days,
            )
            % {
                "program": milestone.program.display_name,
                "day": day_text(milestone.due_date),
                "count": (today - milestone.due_date).days,
            },
            url=_program_url(milestone.program_id, "milestones"),
            action=_("Update the milestone"),
            urgent=True,
            order=30,
        )
        for milestone in overdue
    ]
    return tasks


def home_suggestions(user, today: dt.date) -> list[Suggestion]:
    if not user.has_perm("rollout.add_program"):
        return []
    return [
        Suggestion(
            title=_("Start a change program"),
            text=_("Name a business sponsor and an HR co-lead, pick the units and three to five key indicators."),
            url=reverse("rollout:program-new"),
        )
    ]
