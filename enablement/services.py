"""Writes of the enablement app: maps and capability items, activities, enrolments, scenarios and drills."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from org.marks import recompute_mark, years_of
from org.models import Person

from .choices import SCORE_MAX, SCORE_MIN
from .models import (
    CapabilityItem,
    Certification,
    DrillScore,
    DrillSession,
    Enrolment,
    JourneyMap,
    JourneyStage,
    LearningActivity,
    RubricCriterion,
    Scenario,
)
from .readiness import readiness_refresh

TWO_PLACES = Decimal("0.01")


def _refresh_everyone_after_commit() -> None:
    """A map, activity or scenario changed: everyone's readiness may change; refreshed after the commit."""
    from .tasks import readiness_refresh_task

    # robust: a queue that is down must not fail the saved edit; the nightly recompute refreshes readiness too.
    transaction.on_commit(readiness_refresh_task.delay, robust=True)


# --- journey maps ---------------------------------------------------------------------


@transaction.atomic
def journey_map_copy(
    *, source: JourneyMap, role: str, segment: str, name_en: str, name_zh: str = "", user=None
) -> JourneyMap:
    """A copy of ``source`` for a role and segment, with its stages, indicators and capability items."""
    if JourneyMap.objects.filter(role=role, segment=segment).exists():
        raise ValidationError(
            {"role": _("A journey map for this role and customer segment exists already; edit that one.")}
        )
    copy = JourneyMap(
        name_en=name_en,
        name_zh=name_zh,
        description_en=source.description_en,
        description_zh=source.description_zh,
        role=role,
        segment=segment,
        based_on=source,
        created_by=user,
    )
    copy.full_clean()
    copy.save()
    for stage in source.stages.prefetch_related("indicators", "capability_items"):
        indicators = list(stage.indicators.all())
        items = list(stage.capability_items.all())
        stage.pk = None
        stage.journey_map = copy
        stage.save()
        stage.indicators.set(indicators)
        for item in items:
            item.pk = None
            item.stage = stage
        CapabilityItem.objects.bulk_create(items)
    _refresh_everyone_after_commit()
    return copy


@transaction.atomic
def journey_stage_update(*, stage: JourneyStage, indicators=None, **fields) -> JourneyStage:
    """Edit a stage's texts and, when given, the indicators that measure it."""
    for name, value in fields.items():
        setattr(stage, name, value)
    stage.full_clean()
    stage.save()
    if indicators is not None:
        stage.indicators.set(indicators)
    return stage


def _code_free_in_map(*, stage: JourneyStage, code: str, exclude: int | None = None) -> None:
    taken = CapabilityItem.objects.filter(stage__journey_map_id=stage.journey_map_id, code=code)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"code": _("This map already has a capability item with the code “%s”.") % code})


@transaction.atomic
def capability_item_save(*, item: CapabilityItem | None = None, stage: JourneyStage, **fields) -> CapabilityItem:
    """Create or edit a capability item of ``stage``; codes are unique within the map."""
    item = item or CapabilityItem(stage=stage)
    item.stage = stage
    for name, value in fields.items():
        setattr(item, name, value)
    if item.pk is None and "position" not in fields:
        item.position = (stage.capability_items.aggregate(m=Max("position"))["m"] or 0) + 1
    _code_free_in_map(stage=stage, code=item.code, exclude=item.pk)
    item.full_clean()
    item.save()
    _refresh_everyone_after_commit()
    return item


@transaction.atomic
def capability_item_delete(*, item: CapabilityItem) -> None:
    """Delete an item that no scenario certifies (drills and certifications refer to it)."""
    if item.scenarios.exists():
        raise ValidationError(_("Scenarios certify this capability item; change or retire them first."))
    item.delete()
    _refresh_everyone_after_commit()


# --- learning activities and enrolments -----------------------------------------------


@transaction.atomic
def learning_activity_save(
    *, activity: LearningActivity | None = None, capability_items=None, **fields
) -> LearningActivity:
    """Create or edit an activity and the capability items it is designed to build."""
    activity = activity or LearningActivity()
    hours_before = activity.hours if activity.pk else None
    for name, value in fields.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    if hours_before is not None and hours_before != activity.hours:
        recompute_mark(years=None, reason="learning_activity_hours")  # enablement_hours of every completion
    if capability_items is not None:
        activity.capability_items.set(capability_items)
    _refresh_everyone_after_commit()
    return activity


@transaction.atomic
def enrolment_record(
    *,
    person: Person,
    activity: LearningActivity,
    enrolled_on: dt.date,
    completed_on: dt.date | None = None,
    score: Decimal | None = None,
) -> Enrolment:
    """Enrol a person (or update their enrolment): one enrolment per person and activity."""
    enrolment = Enrolment.objects.filter(person=person, activity=activity).first() or Enrolment(
        person=person, activity=activity
    )
    previous = enrolment.completed_on
    enrolment.enrolled_on = enrolled_on
    enrolment.completed_on = completed_on
    enrolment.score = score
    if completed_on is not None and completed_on < enrolled_on:
        raise ValidationError({"completed_on": _("The completion date cannot be before the enrolment date.")})
    enrolment.full_clean(validate_unique=False)
    enrolment.save()
    recompute_mark(years=years_of([previous, completed_on]), reason="enrolment_record")
    readiness_refresh(person_ids=[person.pk])
    return enrolment


# --- scenarios and drills -------------------------------------------------------------


@transaction.atomic
def scenario_save(*, scenario: Scenario | None = None, criteria: list[dict] | None = None, **fields) -> Scenario:
    """Create or edit a scenario; ``criteria`` (name, weight, guidance) replace the rubric while no drill used it."""
    scenario = scenario or Scenario()
    for name, value in fields.items():
        setattr(scenario, name, value)
    scenario.full_clean()
    scenario.save()
    if criteria is not None:
        rows = [c for c in criteria if (c.get("name") or "").strip()]
        if not rows:
            raise ValidationError({"criteria": _("A rubric needs at least one criterion.")})
        if scenario.sessions.exists():
            raise ValidationError(
                {"criteria": _("Drills were scored with this rubric; create a new scenario to change it.")}
            )
        scenario.criteria.all().delete()
        for position, row in enumerate(rows, start=1):
            criterion = RubricCriterion(
                scenario=scenario,
                position=position,
                name=row["name"].strip(),
                guidance=row.get("guidance", "") or "",
                weight=Decimal(str(row.get("weight") or 1)),
            )
            criterion.full_clean()
            criterion.save()
    _refresh_everyone_after_commit()
    return scenario


def weighted_score(scores: list[tuple[Decimal, int]]) -> Decimal:
    """Σ weight × score / Σ weight over (weight, score) pairs, rounded half up to two places."""
    total_weight = sum((Decimal(weight) for weight, _score in scores), Decimal(0))
    total = sum((Decimal(weight) * score for weight, score in scores), Decimal(0))
    return (total / total_weight).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@transaction.atomic
def drill_session_score(
    *,
    scenario: Scenario,
    person: Person,
    scores: dict[int, int],
    held_on: dt.date | None = None,
    evaluator=None,
    notes: str = "",
    recording_url: str = "",
) -> DrillSession:
    """Record an evaluator's scoring of a drill; certify the capability item when the weighted score passes.

    Every criterion of the rubric must be scored 1-5. The session passes when the weighted score (two places)
    is at least the scenario's threshold; the first pass at a level creates the certification.
    """
    held_on = held_on or timezone.localdate()
    criteria = list(scenario.criteria.all())
    if not criteria:
        raise ValidationError(_("This scenario has no rubric criteria yet."))
    errors = {}
    pairs = []
    for criterion in criteria:
        value = scores.get(criterion.pk)
        if value is None:
            errors[f"criterion_{criterion.pk}"] = _("Score “%s” from 1 to 5.") % criterion.name
            continue
        if not SCORE_MIN <= int(value) <= SCORE_MAX:
            errors[f"criterion_{criterion.pk}"] = _("“%(name)s”: a score runs from 1 to 5, not %(value)s.") % {
                "name": criterion.name,
                "value": value,
            }
            continue
        pairs.append((criterion, int(value)))
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        errors["scores"] = _("Scores were given for criteria that are not in this scenario's rubric.")
    if held_on > timezone.localdate():
        errors["held_on"] = _("A drill cannot be scored before it was held.")
    if errors:
        raise ValidationError(errors)
    score = weighted_score([(criterion.weight, value) for criterion, value in pairs])
    session = DrillSession(
        scenario=scenario,
        person=person,
        org_unit_id=person.org_unit_id,
        evaluator=evaluator,
        held_on=held_on,
        notes=notes,
        recording_url=recording_url,
        weighted_score=score,
        passed=score >= scenario.pass_threshold,
    )
    session.full_clean()
    session.save()
    DrillScore.objects.bulk_create(
        DrillScore(session=session, criterion=criterion, score=value) for criterion, value in pairs
    )
    if session.passed:
        _certify(session)
    recompute_mark(years=[held_on.year], reason="drill_session_score")
    readiness_refresh(person_ids=[person.pk])
    return session


def _certify(session: DrillSession) -> None:
    """The first passed session at a level certifies the person; later passes keep the first certificate."""
    scenario = session.scenario
    exists = Certification.objects.filter(
        person_id=session.person_id, capability_item_id=scenario.capability_item_id, level=scenario.level
    )
    if exists.exists():
        return
    try:
        with transaction.atomic():
            Certification.objects.create(
                person_id=session.person_id,
                capability_item_id=scenario.capability_item_id,
                level=scenario.level,
                session=session,
                certified_on=session.held_on,
            )
    except IntegrityError:  # a concurrent pass certified first: keep theirs
        pass
