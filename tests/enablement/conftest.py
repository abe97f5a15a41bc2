"""Fixtures of the enablement tests: the built-in map, two activities and a scenario on needs discovery."""

from __future__ import annotations

from decimal import Decimal

import pytest

from enablement.models import CapabilityItem, JourneyMap
from enablement.services import learning_activity_save, scenario_save


@pytest.fixture
def default_map(db):
    """The built-in map (created after migrate): four stages, two capability items each, level 3 required."""
    return JourneyMap.objects.get(is_builtin=True)


@pytest.fixture
def items(default_map):
    return {item.code: item for item in CapabilityItem.objects.filter(stage__journey_map=default_map)}


@pytest.fixture
def activities(items):
    """A1 (8 h) builds needs discovery, A2 (2.5 h) builds the solution storyline; both in consideration."""
    a1 = learning_activity_save(
        code="a1",
        name="Needs workshop",
        kind="role_play",
        hours=Decimal(8),
        capability_items=[items["needs-discovery"]],
    )
    a2 = learning_activity_save(
        code="a2",
        name="Storyline course",
        kind="course",
        hours=Decimal("2.5"),
        capability_items=[items["solution-storyline"]],
    )
    return {"a1": a1, "a2": a2}


@pytest.fixture
def scenario(items):
    """Certifies needs discovery at level 3 when Σ w·s / Σ w ≥ 3.5; weights 2, 1, 1."""
    return scenario_save(
        code="s1",
        title="Needs interview",
        capability_item=items["needs-discovery"],
        level=3,
        customer_case="A manufacturer wants faster delivery.",
        pass_threshold=Decimal("3.5"),
        criteria=[
            {"name": "Questions", "weight": 2},
            {"name": "Impact", "weight": 1},
            {"name": "Next step", "weight": 1},
        ],
    )


def scores_for(scenario, *values) -> dict[int, int]:
    """Scores by criterion id, in rubric order."""
    return {criterion.pk: value for criterion, value in zip(scenario.criteria.all(), values, strict=True)}
