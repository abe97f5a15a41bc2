"""The built-in map, editing and copying maps, and the coverage gaps on the map page."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enablement.models import CapabilityItem, JourneyMap
from enablement.selectors import coverage_gaps, journey_map_with_details
from enablement.services import capability_item_delete, capability_item_save, journey_map_copy
from tests.conftest import make_user


def test_builtin_map_has_the_four_stages_in_both_languages(default_map):
    stages = list(default_map.stages.order_by("position"))
    assert [s.code for s in stages] == ["awareness", "consideration", "decision", "adoption"]
    assert [s.name_zh for s in stages] == ["客户认知", "客户考虑", "决策", "使用与价值实现"]
    assert all(s.high_performers_en and s.high_performers_zh and s.pitfalls_en and s.pitfalls_zh for s in stages)
    assert list(stages[2].indicators.order_by("code").values_list("code", flat=True)) == [
        "key_account_win_rate",
        "sales_cycle_days",
        "win_rate",
    ]
    items = CapabilityItem.objects.filter(stage__journey_map=default_map)
    assert items.count() == 8
    assert all(len(item.levels) == 4 and all(item.levels) for item in items)


def test_coverage_gaps_are_items_without_an_activity(default_map, activities):
    gaps = coverage_gaps(journey_map_with_details(default_map.pk))
    assert "needs-discovery" not in {item.code for item in gaps}
    assert "solution-storyline" not in {item.code for item in gaps}
    assert len(gaps) == 6


def test_map_page_lists_coverage_gaps(client, default_map, activities):
    client.force_login(make_user("hrlead", "hr_lead"))
    response = client.get(reverse("enablement:map", args=[default_map.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "6 capability items have no learning activity that builds them:" in text
    gaps_section = text.split('id="coverage-gaps"')[1].split("</section>")[0]
    assert "Target account selection" in gaps_section
    assert "Needs-discovery interviews" not in gaps_section
    assert "Needs workshop" in text  # the activity shown under its item


def test_a_map_without_gaps_says_so(client, default_map, items):
    from enablement.services import learning_activity_save

    learning_activity_save(code="all", name="Everything", kind="course", capability_items=list(items.values()))
    client.force_login(make_user("hrlead", "hr_lead"))
    response = client.get(reverse("enablement:map", args=[default_map.pk]))
    assert "Every capability item is built by at least one learning activity." in response.content.decode()


def test_map_page_query_count_does_not_grow_with_items(client, default_map, activities, django_assert_max_num_queries):
    client.force_login(make_user("hrlead", "hr_lead"))
    with django_assert_max_num_queries(14):
        assert client.get(reverse("enablement:map", args=[default_map.pk])).status_code == 200


def test_copy_for_a_role_keeps_items_and_refuses_a_second_map_for_the_same_role(default_map):
    copy = journey_map_copy(source=default_map, role="customer_success", segment="", name_en="CS map")
    assert copy.stages.count() == 4
    assert CapabilityItem.objects.filter(stage__journey_map=copy).count() == 8
    with pytest.raises(ValidationError) as caught:
        journey_map_copy(source=default_map, role="customer_success", segment="", name_en="Again")
    assert "A journey map for this role and customer segment exists already; edit that one." in caught.value.messages
    assert JourneyMap.objects.count() == 2


def test_item_codes_are_unique_within_a_map(default_map):
    stage = default_map.stages.get(code="decision")
    with pytest.raises(ValidationError) as caught:
        capability_item_save(stage=stage, code="needs-discovery", name_en="Duplicate")
    assert "This map already has a capability item with the code “needs-discovery”." in caught.value.messages
    added = capability_item_save(stage=stage, code="pricing", name_en="Value pricing", levels_en="a\nb\nc\nd")
    assert added.position == 3


def test_an_item_a_scenario_certifies_cannot_be_deleted(scenario, items):
    with pytest.raises(ValidationError):
        capability_item_delete(item=items["needs-discovery"])
    assert CapabilityItem.objects.filter(code="needs-discovery").exists()


def test_hr_lead_edits_a_stage_and_managers_may_not(client, default_map):
    stage = default_map.stages.get(code="awareness")
    url = reverse("enablement:stage-edit", args=[stage.pk])
    manager = make_user("m", "manager")
    client.force_login(manager)
    assert client.get(url).status_code == 403
    client.force_login(make_user("hrlead", "hr_lead"))
    response = client.post(
        url,
        {
            "name_zh": "客户认知",
            "name_en": "Awareness",
            "high_performers_en": "Call the right people\nAgree a next step",
            "pitfalls_en": "Spray and pray",
            "indicators": [],
        },
    )
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.lines("high_performers_en") == ["Call the right people", "Agree a next step"]
    assert stage.indicators.count() == 0
