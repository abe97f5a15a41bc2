"""Enablement pages and API: who may see and do what, the drill scoring sheet, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from enablement.models import Certification, DrillSession, Enrolment
from tests.conftest import make_user


@pytest.fixture
def hr(db):
    return make_user("hrlead", "hr_lead")


def test_every_page_opens_for_an_hr_lead(client, hr, default_map, activities, scenario, people, org_tree):
    client.force_login(hr)
    stage = default_map.stages.first()
    item = stage.capability_items.first()
    urls = [
        reverse("enablement:index"),
        reverse("enablement:map", args=[default_map.pk]),
        reverse("enablement:stage-edit", args=[stage.pk]),
        reverse("enablement:item-add", args=[stage.pk]),
        reverse("enablement:item-edit", args=[item.pk]),
        reverse("enablement:activities"),
        reverse("enablement:activity", args=["a1"]),
        reverse("enablement:activity-edit", args=["a1"]),
        reverse("enablement:scenarios"),
        reverse("enablement:scenario-new"),
        reverse("enablement:scenario", args=["s1"]),
        reverse("enablement:drill-new", args=["s1"]),
        reverse("enablement:readiness"),
        reverse("enablement:person", args=["P1"]),
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("enablement:index"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] or "login" in response["Location"]


def test_manager_sees_only_their_subtree(client, org_tree, people, scenario):
    manager = make_user("east", "manager", unit=org_tree["EAST"])
    client.force_login(manager)
    assert client.get(reverse("enablement:person", args=["P1"])).status_code == 200
    assert client.get(reverse("enablement:person", args=["P3"])).status_code == 404  # West
    assert client.get(reverse("enablement:readiness"), {"unit": "WEST"}).status_code == 404  # never a silent swap
    assert client.get("/api/v1/enablement/people/P3/readiness/").status_code == 404
    assert client.get("/api/v1/enablement/org-units/WEST/readiness/").status_code == 404
    # and cannot score a drill for someone outside
    response = client.post(
        reverse("enablement:drill-new", args=["s1"]),
        {"person": "P3", "held_on": "2026-03-01", **{f"criterion_{c.pk}": "5" for c in scenario.criteria.all()}},
    )
    assert response.status_code == 200
    assert "Choose a person from the part of the organization you can see." in response.content.decode()
    assert not DrillSession.objects.exists()


def test_program_member_reads_but_cannot_score_or_design(client, scenario, people):
    member = make_user("member", "program_member")
    client.force_login(member)
    assert client.get(reverse("enablement:scenario", args=["s1"])).status_code == 200
    assert client.get(reverse("enablement:drill-new", args=["s1"])).status_code == 403
    assert client.get(reverse("enablement:scenario-new")).status_code == 403


def test_evaluator_scores_a_drill_in_the_browser_form(client, org_tree, people, scenario):
    manager = make_user("east", "manager", unit=org_tree["EAST"])
    client.force_login(manager)
    criteria = list(scenario.criteria.all())
    response = client.post(
        reverse("enablement:drill-new", args=["s1"]),
        {
            "person": "P1",
            "held_on": "2026-03-20",
            "notes": "Good discovery",
            "recording_url": "https://recordings.example.com/1",
            f"criterion_{criteria[0].pk}": "4",
            f"criterion_{criteria[1].pk}": "3",
            f"criterion_{criteria[2].pk}": "4",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("enablement:person", args=["P1"])
    assert "Passed: weighted score 3.75 (threshold 3.50); certified." in response.content.decode()
    session = DrillSession.objects.get()
    assert (session.evaluator, session.notes, session.passed) == (manager, "Good discovery", True)
    assert Certification.objects.filter(person=people["P1"]).count() == 1


def test_missing_criterion_is_shown_on_the_form(client, people, scenario, hr):
    client.force_login(hr)
    first = scenario.criteria.first()
    response = client.post(
        reverse("enablement:drill-new", args=["s1"]),
        {"person": "P1", "held_on": "2026-03-20", f"criterion_{first.pk}": "4"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {f"criterion_{c.pk}" for c in scenario.criteria.all()[1:]}
    assert not DrillSession.objects.exists()


def test_scenario_form_creates_a_rubric(client, hr, items):
    client.force_login(hr)
    data = {
        "code": "objections",
        "title": "Price objection",
        "capability_item": items["objection-handling"].pk,
        "level": 3,
        "customer_case": "Procurement wants 15% off.",
        "pass_threshold": "3.5",
        "is_active": "on",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-MIN_NUM_FORMS": "1",
        "criteria-MAX_NUM_FORMS": "12",
        "criteria-0-name": "Evidence",
        "criteria-0-weight": "2",
        "criteria-1-name": "Trade, never give",
        "criteria-1-weight": "1",
        "criteria-2-name": "",
        "criteria-2-weight": "1",
    }
    response = client.post(reverse("enablement:scenario-new"), data)
    assert response.status_code == 302
    from enablement.models import Scenario

    scenario = Scenario.objects.get(code="objections")
    assert [(c.name, c.weight) for c in scenario.criteria.all()] == [("Evidence", 2), ("Trade, never give", 1)]


def test_enrol_form_and_activity_create(client, hr, people, items):
    client.force_login(hr)
    response = client.post(
        reverse("enablement:activities"),
        {
            "code": "visit",
            "name": "Joint visit",
            "kind": "joint_visit",
            "journey_stage": "decision",
            "hours": "4",
            "capability_items": [items["stakeholder-navigation"].pk],
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("enablement:activity", args=["visit"]),
        {"person": "P2", "enrolled_on": "2026-02-01", "completed_on": "2026-02-20", "score": "80"},
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.person, enrolment.completed_on) == (people["P2"], dt.date(2026, 2, 20))


def test_drill_api_scores_and_certifies(write_client, people, scenario):
    criteria = list(scenario.criteria.all())
    payload = {
        "scenario": "s1",
        "person": "P1",
        "held_on": "2026-03-20",
        "scores": [{"criterion": c.pk, "score": s} for c, s in zip(criteria, (4, 4, 4), strict=True)],
    }
    # the integrator role may read but not score drills
    assert write_client.post("/api/v1/enablement/drills/", payload, format="json").status_code == 403


def test_drill_api_for_an_hr_lead(client, hr, people, scenario):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(hr)
    criteria = list(scenario.criteria.all())
    payload = {
        "scenario": "s1",
        "person": "P1",
        "held_on": "2026-03-20",
        "scores": [{"criterion": c.pk, "score": s} for c, s in zip(criteria, (4, 3, 4), strict=True)],
    }
    response = api.post("/api/v1/enablement/drills/", payload, format="json")
    assert response.status_code == 201
    assert response.json() | {"id": 0} == {
        "id": 0,
        "scenario": "s1",
        "person": "P1",
        "held_on": "2026-03-20",
        "weighted_score": "3.75",
        "passed": True,
        "certified": True,
    }
    payload["scores"] = payload["scores"][:2]
    response = api.post("/api/v1/enablement/drills/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Score “Next step” from 1 to 5."


def test_readiness_page_query_count_is_fixed(client, hr, org_tree, people, scenario, django_assert_max_num_queries):
    from org.models import Person

    Person.objects.bulk_create(
        Person(
            external_id=f"Y{i}", name=f"Y{i}", org_unit=org_tree["T1"], role="sales_rep", hire_date=dt.date(2024, 1, 1)
        )
        for i in range(40)
    )
    client.force_login(hr)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("enablement:readiness"), {"unit": "ACME"})
    assert response.status_code == 200
    assert len(response.context["people"]) == 44
