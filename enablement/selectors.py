"""Reads of the enablement app: maps with everything the map page shows, coverage gaps, scoped records."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from org.selectors import people_visible, visible_unit_ids

from .models import CapabilityItem, DrillSession, Enrolment, JourneyMap, JourneyStage, LearningActivity, Scenario


def journey_map_with_details(pk: int) -> JourneyMap | None:
    """A map with its stages, their indicators and capability items, each item's activities and scenarios."""
    items = CapabilityItem.objects.order_by("position", "pk").prefetch_related(
        Prefetch("activities", queryset=LearningActivity.objects.order_by("code")),
        Prefetch("scenarios", queryset=Scenario.objects.filter(is_active=True).order_by("code")),
    )
    stages = JourneyStage.objects.order_by("position").prefetch_related(
        "indicators", Prefetch("capability_items", queryset=items)
    )
    return JourneyMap.objects.prefetch_related(Prefetch("stages", queryset=stages)).filter(pk=pk).first()


def coverage_gaps(journey_map: JourneyMap) -> list[CapabilityItem]:
    """Capability items of the map that no learning activity builds (uses the prefetched map)."""
    return [
        item for stage in journey_map.stages.all() for item in stage.capability_items.all() if not item.activities.all()
    ]


def journey_maps_with_gaps() -> list[tuple[JourneyMap, int, int]]:
    """Every map with its number of capability items and of items that no activity builds (three queries)."""
    maps = JourneyMap.objects.prefetch_related(
        Prefetch("stages__capability_items", queryset=CapabilityItem.objects.annotate(n_activities=Count("activities")))
    )
    rows = []
    for journey_map in maps:
        items = [item for stage in journey_map.stages.all() for item in stage.capability_items.all()]
        # n_activities is the Count annotated in the Prefetch above: django-stubs knows the annotations of a
        # queryset, not those of the objects a Prefetch puts on a related manager.
        activity_counts: list[int] = [item.n_activities for item in items]  # type: ignore[attr-defined]
        rows.append((journey_map, len(items), sum(1 for count in activity_counts if not count)))
    return rows


def activities_with_counts(user) -> QuerySet[LearningActivity]:
    """Learning activities with their enrolments and completions counted over the people the user may see
    (another subtree's enrolments are not even counted)."""
    ids = visible_unit_ids(user)
    seen = Q() if ids is None else Q(enrolments__person__org_unit__in=ids)
    return LearningActivity.objects.annotate(
        enrolled=Count("enrolments", filter=seen, distinct=True),
        completed=Count("enrolments", filter=seen & Q(enrolments__completed_on__isnull=False), distinct=True),
    )


def enrolments_visible(user) -> QuerySet[Enrolment]:
    """Enrolments of the people the user may see."""
    return Enrolment.objects.filter(person__in=people_visible(user)).select_related("person", "activity")


def drill_sessions_visible(user) -> QuerySet[DrillSession]:
    """Drill sessions of the people the user may see, with the scenario, person and evaluator."""
    return DrillSession.objects.filter(person__in=people_visible(user)).select_related(
        "scenario", "person", "evaluator__profile__person"
    )
