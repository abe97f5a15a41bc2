"""Writes of the rollout app: programs, joint team, checklists, gates, milestones and pilots."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diagnosis.choices import Dimension
from org.marks import recompute_mark
from org.ui.dates import day_text
from performance.dashboards import shift_period
from performance.models import Indicator
from performance.services import period_floor

from .builtin import STEP_CHECKLISTS
from .choices import MilestoneStatus, StepNumber, StepStatus, TeamRole
from .models import (
    ActionItem,
    ChecklistItem,
    Milestone,
    Program,
    ProgramIndicator,
    ProgramMember,
    ProgramRadarSnapshot,
    ProgramStep,
    RadarKind,
    ReviewMeeting,
    RolloutWave,
    Story,
    Workshop,
)
from .selectors import can_untick, combined_value, outermost_units

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MIN_KEY_INDICATORS = 3
MAX_KEY_INDICATORS = 5
MAX_FOCUS_DIMENSIONS = 2


@dataclass(frozen=True)
class KeyIndicatorInput:
    """One key indicator as chosen when a program starts."""

    indicator: Indicator
    timing: str
    target: Decimal | None = None


def baseline_period_start(start_date: dt.date, period: str) -> dt.date:
    """The last complete period before the program starts (its baseline period)."""
    return shift_period(period_floor(start_date, period), period, -1)


# --- programs --------------------------------------------------------------------------------


@transaction.atomic
def program_create(
    *,
    name: str,
    sponsor,
    hr_co_lead,
    org_units: list,
    focus_dimensions: list[str],
    key_indicators: list[KeyIndicatorInput],
    start_date: dt.date,
    description: str = "",
    baseline_period: str = "quarter",
    created_by=None,
    name_en: str = "",
) -> Program:
    """Start a program: co-leads join the team, the steps get their checklists, step 1 opens, baselines are taken."""
    errors: dict[str, list[str]] = {}
    if not org_units:
        errors.setdefault("org_units", []).append(_("Choose at least one org unit in scope."))
    dimensions = list(dict.fromkeys(focus_dimensions))
    if not 1 <= len(dimensions) <= MAX_FOCUS_DIMENSIONS or not set(dimensions) <= set(Dimension.values):
        errors.setdefault("focus_dimensions", []).append(_("Choose one or two dimensions of the method matrix."))
    codes = [item.indicator.pk for item in key_indicators]
    if len(set(codes)) != len(codes):
        errors.setdefault("key_indicators", []).append(_("Each key indicator may be chosen once."))
    if not MIN_KEY_INDICATORS <= len(key_indicators) <= MAX_KEY_INDICATORS:
        errors.setdefault("key_indicators", []).append(_("Agree on 3 to 5 key indicators."))
    if sponsor is not None and hr_co_lead is not None and sponsor.pk == hr_co_lead.pk:
        errors.setdefault("hr_co_lead", []).append(_("The business sponsor and the HR co-lead must be two people."))
    if errors:
        raise ValidationError(errors)
    program = Program(
        name=name,
        name_en=name_en,
        description=description,
        sponsor=sponsor,
        hr_co_lead=hr_co_lead,
        focus_dimensions=dimensions,
        start_date=start_date,
        baseline_period=baseline_period,
        created_by=created_by,
    )
    program.full_clean()
    program.save()
    program.org_units.set(org_units)
    for position, item in enumerate(key_indicators):
        key = ProgramIndicator(
            program=program, indicator=item.indicator, timing=item.timing, target=item.target, position=position
        )
        key.full_clean(exclude=["program"])
        key.save()
    ProgramMember.objects.create(program=program, user=sponsor, role=TeamRole.BUSINESS_CO_LEAD)
    ProgramMember.objects.create(program=program, user=hr_co_lead, role=TeamRole.HR_CO_LEAD)
    for number in StepNumber.values:
        step = ProgramStep.objects.create(
            program=program,
            number=number,
            status=StepStatus.ACTIVE if number == 1 else StepStatus.PENDING,
            started_on=start_date if number == 1 else None,
        )
        ChecklistItem.objects.bulk_create(
            ChecklistItem(step=step, position=index, text_zh=zh, text_en=en, is_builtin=True)
            for index, (zh, en) in enumerate(STEP_CHECKLISTS[number], start=1)
        )
    program_baselines_capture(program=program)
    return program


@transaction.atomic
def program_baselines_capture(*, program: Program, only_missing: bool = True) -> int:
    """Take each key indicator's baseline from the indicator values of the last complete period before the start.

    The value covers the program's units together (denominator-weighted, nested units counted once).
    A baseline with no data yet stays empty and is taken by the nightly run once values exist.
    """
    units = outermost_units(program.org_units.all())
    unit_ids = [unit.pk for unit in units]
    period_start = baseline_period_start(program.start_date, program.baseline_period)
    keys = program.key_indicators.all()
    if only_missing:
        keys = keys.filter(baseline_value__isnull=True)
    taken = 0
    now = timezone.now()
    for key in keys:
        value = combined_value(
            indicator_id=key.indicator_id, unit_ids=unit_ids, period=program.baseline_period, period_start=period_start
        )
        if value is None:
            continue
        key.baseline_value = value
        key.baseline_period_start = period_start
        key.baseline_taken_at = now
        key.save(update_fields=["baseline_value", "baseline_period_start", "baseline_taken_at"])
        taken += 1
    return taken


@transaction.atomic
def member_add(*, program: Program, user, role: str) -> ProgramMember:
    """Add a login to the joint team (or change their role); the co-lead roles belong to the two co-leads."""
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Unknown role.")})
    co_lead_roles = {program.sponsor_id: TeamRole.BUSINESS_CO_LEAD, program.hr_co_lead_id: TeamRole.HR_CO_LEAD}
    if user.pk in co_lead_roles and role != co_lead_roles[user.pk]:
        raise ValidationError({"role": _("The co-leads keep their co-lead roles.")})
    if role in (TeamRole.BUSINESS_CO_LEAD, TeamRole.HR_CO_LEAD) and co_lead_roles.get(user.pk) != role:
        raise ValidationError({"role": _("The co-lead roles belong to the program's business sponsor and HR co-lead.")})
    member, _created = ProgramMember.objects.update_or_create(program=program, user=user, defaults={"role": role})
    return member


@transaction.atomic
def member_remove(*, member: ProgramMember) -> None:
    """Remove a member; the two co-leads stay on the team."""
    program = member.program
    if member.user_id in (program.sponsor_id, program.hr_co_lead_id):
        raise ValidationError(_("The co-leads cannot leave the joint team."))
    member.delete()


# --- steps, checklists, gates ------------------------------------------------------------------


def _lock_step(step: ProgramStep) -> ProgramStep:
    return ProgramStep.objects.select_for_update().select_related("program").get(pk=step.pk)


def _clear_signatures(step: ProgramStep) -> None:
    step.business_signed_by = step.hr_signed_by = None
    step.business_signed_at = step.hr_signed_at = None


@transaction.atomic
def checklist_item_set_done(*, item: ChecklistItem, done: bool, user) -> ChecklistItem:
    """Check or uncheck a line of the active step; unchecking an exit criterion withdraws the gate signatures.

    Any member ticks a line; taking a tick back is for the co-leads, or for whoever ticked it while the gate is
    not signed yet (``can_untick``); anyone else gets PermissionDenied.
    """
    step = _lock_step(item.step)
    if step.status != StepStatus.ACTIVE:
        raise ValidationError(_("Only the checklist of the active step can be ticked."))
    item = ChecklistItem.objects.get(pk=item.pk)
    if item.done == done:
        return item
    if not done and not can_untick(user, step.program, item, step):
        raise PermissionDenied(
            _("Only the co-leads may take back a tick that someone else made or that a gate signature rests on.")
        )
    item.done = done
    item.done_by = user if done else None
    item.done_at = timezone.now() if done else None
    item.save(update_fields=["done", "done_by", "done_at"])
    if not done and item.is_exit_criterion and (step.business_signed_at or step.hr_signed_at):
        _clear_signatures(step)
        step.save(update_fields=["business_signed_by", "business_signed_at", "hr_signed_by", "hr_signed_at"])
    return item


@transaction.atomic
def checklist_item_add(
    *, step: ProgramStep, text_zh: str = "", text_en: str = "", is_exit_criterion: bool = True
) -> ChecklistItem:
    """Add a line to a step that is not closed yet (a program's own checklist)."""
    step = _lock_step(step)
    if step.status == StepStatus.CLOSED:
        raise ValidationError(_("A closed step's checklist can no longer change."))
    last = step.checklist.order_by("-position").values_list("position", flat=True).first() or 0
    item = ChecklistItem(
        step=step,
        position=last + 1,
        text_zh=text_zh.strip(),
        text_en=text_en.strip(),
        is_exit_criterion=is_exit_criterion,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def checklist_item_update(
    *, item: ChecklistItem, text_zh: str, text_en: str, is_exit_criterion: bool | None = None
) -> ChecklistItem:
    """Reword a line (both languages) of a step that is not closed yet."""
    step = _lock_step(item.step)
    if step.status == StepStatus.CLOSED:
        raise ValidationError(_("A closed step's checklist can no longer change."))
    item.text_zh, item.text_en = text_zh.strip(), text_en.strip()
    if is_exit_criterion is not None:
        item.is_exit_criterion = is_exit_criterion
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def checklist_item_delete(*, item: ChecklistItem) -> None:
    step = _lock_step(item.step)
    if step.status == StepStatus.CLOSED:
        raise ValidationError(_("A closed step's checklist can no longer change."))
    item.delete()


def gate_blockers(step: ProgramStep) -> list[str]:
    """Why the step's gate cannot close yet (empty when it can)."""
    blockers = []
    if step.started_on is not None and timezone.localdate() < step.started_on:
        blockers.append(_("The step starts on %(date)s.") % {"date": day_text(step.started_on)})
    open_criteria = [item for item in step.checklist.all() if item.is_exit_criterion and not item.done]
    if open_criteria:
        blockers.append(
            _("%(count)d exit criteria are not checked yet.") % {"count": len(open_criteria)}
            if len(open_criteria) > 1
            else _("One exit criterion is not checked yet.")
        )
    if step.business_signed_at is None:
        blockers.append(_("The business co-lead has not signed."))
    if step.hr_signed_at is None:
        blockers.append(_("The HR co-lead has not signed."))
    return blockers


@transaction.atomic
def gate_sign(*, step: ProgramStep, user) -> ProgramStep:
    """A co-lead signs the step's gate; with every exit criterion checked and both signatures the step
    closes and the next one starts."""
    step = _lock_step(step)
    program = step.program
    if step.status != StepStatus.ACTIVE:
        raise ValidationError(_("Only the active step's gate can be signed."))
    today = timezone.localdate()
    if step.started_on is not None and today < step.started_on:
        # A gate closes a step that has run; a program starting later cannot pass its gates ahead of time.
        raise ValidationError(
            _("This step starts on %(date)s; its gate can be signed from that day on.")
            % {"date": day_text(step.started_on)}
        )
    unchecked = step.checklist.filter(is_exit_criterion=True, done=False).count()
    if unchecked:
        raise ValidationError(_("Check every exit criterion before signing the gate."))
    now = timezone.now()
    if user.pk == program.sponsor_id:
        step.business_signed_by, step.business_signed_at = user, now
    elif user.pk == program.hr_co_lead_id:
        step.hr_signed_by, step.hr_signed_at = user, now
    else:
        raise ValidationError(_("Only the two co-leads sign a gate."))
    if step.business_signed_at and step.hr_signed_at:
        step.status = StepStatus.CLOSED
        step.closed_on = today
    step.full_clean()
    step.save()
    if step.status == StepStatus.CLOSED and step.number == StepNumber.ALIGN_ASSESS:
        program_radar_snapshot(program=program, kind=RadarKind.BASELINE)
    if step.status == StepStatus.CLOSED and step.number < StepNumber.REVIEW_EMBED:
        step_start(step=ProgramStep.objects.get(program=program, number=step.number + 1))
    return step


@transaction.atomic
def step_start(*, step: ProgramStep, on: dt.date | None = None) -> ProgramStep:
    """Start a step: only once the step before it has closed its gate."""
    step = _lock_step(step)
    if step.status != StepStatus.PENDING:
        raise ValidationError(_("This step has already started."))
    if step.number > 1:
        previous = ProgramStep.objects.get(program_id=step.program_id, number=step.number - 1)
        if previous.status != StepStatus.CLOSED:
            raise ValidationError(_("A step starts only after the gate of the step before it has closed."))
    started_on = on or timezone.localdate()
    earliest = previous.closed_on if step.number > 1 else step.program.start_date
    if earliest is not None and started_on < earliest:
        # Step dates stay in order: a step never starts before the one before it closed (or the program began).
        raise ValidationError(_("This step cannot start before %(date)s.") % {"date": day_text(earliest)})
    step.status = StepStatus.ACTIVE
    step.started_on = started_on
    step.save(update_fields=["status", "started_on"])
    return step


# --- milestones --------------------------------------------------------------------------------


@transaction.atomic
def milestone_create(
    *,
    program: Program,
    step: int,
    title: str,
    due_date: dt.date,
    owner=None,
    status: str = MilestoneStatus.PLANNED,
    evidence_url: str = "",
    title_en: str = "",
) -> Milestone:
    """Add a milestone to a step of the program."""
    milestone = Milestone(
        program=program,
        step=step,
        title=title.strip(),
        title_en=title_en.strip(),
        owner=owner,
        due_date=due_date,
        status=status,
        evidence_url=evidence_url,
        completed_on=timezone.localdate() if status == MilestoneStatus.DONE else None,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


MILESTONE_FIELDS = {"step", "title", "owner", "due_date", "status", "evidence_url"}


@transaction.atomic
def milestone_update(*, milestone: Milestone, **changes) -> Milestone:
    """Change a milestone; marking it done records the completion day, reopening it clears that."""
    unknown = set(changes) - MILESTONE_FIELDS
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    for name, value in changes.items():
        setattr(milestone, name, value)
    if milestone.status == MilestoneStatus.DONE and milestone.completed_on is None:
        milestone.completed_on = timezone.localdate()
    elif milestone.status != MilestoneStatus.DONE:
        milestone.completed_on = None
    milestone.full_clean()
    milestone.save()
    return milestone


# --- radar snapshots ---------------------------------------------------------------------------


@transaction.atomic
def program_radar_snapshot(*, program: Program, kind: str, today: dt.date | None = None) -> int:
    """Copy the capability radar of each program unit: the baseline (once) or today's nightly snapshot (rerun-safe)."""
    from diagnosis.radar import unit_radar

    today = today or timezone.localdate()
    now = timezone.now()
    written = 0
    for unit in outermost_units(program.org_units.all()):
        if (
            kind == RadarKind.BASELINE
            and ProgramRadarSnapshot.objects.filter(program=program, org_unit=unit, kind=RadarKind.BASELINE).exists()
        ):
            continue
        radar = unit_radar(unit)
        ProgramRadarSnapshot.objects.update_or_create(
            program=program,
            org_unit=unit,
            kind=kind,
            taken_on=today,
            defaults={
                "self_assessed": {axis.axis: axis.value for axis in radar.self_assessed.axes},
                "data_derived": {axis.axis: axis.value for axis in radar.data_derived.axes},
                "computed_at": now,
            },
        )
        written += 1
    return written


# --- reviews and stories -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    text: str
    owner: User | None = None
    due_date: dt.date | None = None


@transaction.atomic
def review_record(
    *,
    program: Program,
    held_on: dt.date,
    attendees: list,
    notes: str = "",
    decisions: str = "",
    actions: list[ActionInput] | None = None,
) -> ReviewMeeting:
    """Record a joint review with its attendees, notes, decisions and action items."""
    review = ReviewMeeting(program=program, held_on=held_on, notes=notes, decisions=decisions)
    review.full_clean()
    review.save()
    review.attendees.set(attendees)
    items: list[ActionItem] = []
    problems: list[str] = []
    for position, action in enumerate(actions or [], start=1):
        item = ActionItem(review=review, text=action.text.strip(), owner=action.owner, due_date=action.due_date)
        try:
            item.full_clean()
        except ValidationError as exc:
            problems.extend(
                _("Action item %(n)d: %(message)s") % {"n": position, "message": message} for message in exc.messages
            )
        items.append(item)
    if problems:
        raise ValidationError({"action_items": problems})
    ActionItem.objects.bulk_create(items)
    return review


@transaction.atomic
def story_record(
    *,
    program: Program,
    org_unit,
    title: str,
    text: str,
    recorded_on: dt.date | None = None,
    owner=None,
    indicator=None,
    evidence_url: str = "",
) -> Story:
    """Record a story from the field; it counts for ``playbooks_captured`` at the next recompute."""
    story = Story(
        program=program,
        org_unit=org_unit,
        owner=owner,
        title=title.strip(),
        text=text.strip(),
        indicator=indicator,
        evidence_url=evidence_url,
        recorded_on=recorded_on or timezone.localdate(),
    )
    story.full_clean()
    story.save()
    recompute_mark(years=[story.recorded_on.year], reason="story_record")  # playbooks_captured
    return story


# --- scale: waves and workshops ----------------------------------------------------------------


@transaction.atomic
def wave_plan(*, program: Program, name: str, org_units: list, starts_on: dt.date, ends_on: dt.date) -> RolloutWave:
    """Plan a rollout wave: the units that take the program up and when."""
    errors: dict[str, list[str]] = {}
    if not org_units:
        errors["org_units"] = [_("Choose at least one org unit.")]
    if ends_on < starts_on:
        errors["ends_on"] = [_("The wave ends before it starts.")]
    if errors:
        raise ValidationError(errors)
    wave = RolloutWave(program=program, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    wave.full_clean()
    wave.save()
    wave.org_units.set(org_units)
    return wave


@transaction.atomic
def workshop_record(*, program: Program, title: str, held_on: dt.date, invited: list, attended: list) -> Workshop:
    """Record a manager workshop; whoever attended counts as invited too."""
    if not invited and not attended:
        raise ValidationError({"invited": [_("Invite at least one person.")]})
    workshop = Workshop(program=program, title=title.strip(), held_on=held_on)
    workshop.full_clean()
    workshop.save()
    workshop.invited.set({*invited, *attended})
    workshop.attended.set(attended)
    return workshop


def workshop_attendance(workshop: Workshop) -> tuple[int, int]:
    """(attended, invited) of a workshop loaded with both relations prefetched."""
    return len(workshop.attended.all()), len(workshop.invited.all())


def workshop_attendance_rate(workshop: Workshop) -> float | None:
    """Attended as a percentage (0-100) of invited; None when nobody was invited."""
    attended, invited = workshop_attendance(workshop)
    return attended * 100 / invited if invited else None
