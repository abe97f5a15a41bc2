"""Learning impact from the database and over the API: planted effects, exact small cases, scope, errors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from enablement.models import BehaviourMetric, BehaviourObservation, Enrolment
from org.models import Person
from tests.conftest import make_user

URL = "/api/v1/enablement/activities/{code}/impact/"


def _month(index: int) -> dt.date:
    return dt.date(2025 + index // 12, index % 12 + 1, 1)


@pytest.fixture
def interviews(db):
    return BehaviourMetric.objects.create(code="needs-interviews", name="Needs interviews", unit="interviews")


def _plant(org_tree, activity, metric, *, effect: float, seed: int = 7):
    """60 participants (higher level, staggered completions) and 90 comparable people over 18 months,
    everyone on a common upward trend of 0.3 a month; participants gain ``effect`` after completing."""
    rng = np.random.default_rng(seed)
    units = [org_tree["T1"], org_tree["T2"], org_tree["T3"]]
    people = Person.objects.bulk_create(
        Person(
            external_id=f"X{i:03d}",
            name=f"X{i}",
            org_unit=units[i % 3],
            role="sales_rep",
            hire_date=dt.date(2020, 1, 1),
        )
        for i in range(150)
    )
    treated = people[:60]
    completion = {p.pk: 5 + (i % 7) for i, p in enumerate(treated)}
    Enrolment.objects.bulk_create(
        Enrolment(
            person=p,
            activity=activity,
            enrolled_on=_month(completion[p.pk]),
            completed_on=_month(completion[p.pk]) + dt.timedelta(days=14),
        )
        for p in treated
    )
    rows = []
    for person in people:
        level = rng.normal(6.0 if person.pk in completion else 3.0, 1.0)
        for month in range(18):
            after = person.pk in completion and month > completion[person.pk]
            value = level + 0.3 * month + effect * after + rng.normal(0, 0.7)
            rows.append(
                BehaviourObservation(person=person, metric=metric, month=_month(month), value=Decimal(f"{value:.4f}"))
            )
    BehaviourObservation.objects.bulk_create(rows)


@pytest.mark.parametrize("effect", [2.0, 0.0])
def test_planted_effect_is_recovered_over_the_api(write_client, org_tree, activities, interviews, effect):
    _plant(org_tree, activities["a1"], interviews, effect=effect)
    response = write_client.get(URL.format(code="a1"), {"metric": "needs-interviews", "pre": 3, "post": 3})
    assert response.status_code == 200
    body = response.json()
    assert {"estimate", "ci_low", "ci_high", "naive", "n_treated", "n_control"} <= set(body)
    assert (body["n_treated"], body["n_control"]) == (60, 90)
    assert body["ci_low"] <= effect <= body["ci_high"]
    if effect:
        assert abs(body["estimate"] - effect) <= 0.2 * effect
    # the trend alone adds about 0.3 × 4 months to the naive change
    assert body["naive"] - effect > 0.8
    assert [point["offset"] for point in body["series"]] == [-3, -2, -1, 1, 2, 3]


def test_small_case_worked_out_by_hand(write_client, people, activities, interviews):
    # P1 completes in March 2026; P2 (same role) does not. Values: P1 pre 4, 6; post 10, 12; P2 pre 3, 3; post 4, 4.
    Enrolment.objects.create(
        person=people["P1"],
        activity=activities["a1"],
        enrolled_on=dt.date(2026, 3, 1),
        completed_on=dt.date(2026, 3, 15),
    )
    values = {"P1": [4, 6, None, 10, 12], "P2": [3, 3, 50, 4, 4]}
    for ext, series in values.items():
        for offset, value in enumerate(series):
            if value is not None:
                BehaviourObservation.objects.create(
                    person=people[ext], metric=interviews, month=dt.date(2026, 1 + offset, 1), value=value
                )
    # P3 and P4 (same role) have no observations: they do not count as comparable people with data
    body = write_client.get(URL.format(code="a1"), {"metric": "needs-interviews", "pre": 2, "post": 2}).json()
    # naive = mean(10, 12) - mean(4, 6) = 6; DiD = 6 - (4 - 3) = 5
    assert body["naive"] == pytest.approx(6)
    assert body["estimate"] == pytest.approx(5)
    assert (body["n_treated"], body["n_control"]) == (1, 1)


def test_person_level_indicator_is_a_result_metric(write_client, people, activities):
    from django.utils import timezone

    from performance.models import Indicator, IndicatorValue

    win_rate = Indicator.objects.get(code="win_rate")
    Enrolment.objects.create(
        person=people["P1"],
        activity=activities["a1"],
        enrolled_on=dt.date(2026, 3, 1),
        completed_on=dt.date(2026, 3, 9),
    )
    for ext, series in {"P1": [40, 40, None, 60, 60], "P2": [30, 30, None, 35, 35]}.items():
        for offset, value in enumerate(series):
            if value is not None:
                IndicatorValue.objects.create(
                    indicator=win_rate,
                    person=people[ext],
                    period="month",
                    period_start=dt.date(2026, 1 + offset, 1),
                    numerator=value,
                    denominator=100,
                    value=value,
                    computed_at=timezone.now(),
                )
    body = write_client.get(URL.format(code="a1"), {"metric": "win_rate", "pre": 2, "post": 2}).json()
    assert body["layer"] == "result"
    assert body["estimate"] == pytest.approx(15)  # (60 - 40) - (35 - 30)


def test_bad_parameters_name_the_field(write_client, activities, db):
    response = write_client.get(URL.format(code="a1"), {"metric": "cold-calls"})
    assert response.status_code == 400
    assert response.json() == {
        "errors": [{"field": "metric", "message": "“cold-calls” is neither a behaviour metric nor an indicator."}]
    }
    response = write_client.get(URL.format(code="a1"), {"metric": "win_rate", "pre": 0})
    assert response.status_code == 400
    assert "pre" in response.json()
    assert write_client.get(URL.format(code="nope"), {"metric": "win_rate"}).status_code == 404


def test_a_manager_only_counts_people_in_their_subtree(client, org_tree, activities, interviews):
    _plant(org_tree, activities["a1"], interviews, effect=2.0)
    manager = make_user("east", "manager", unit=org_tree["EAST"])  # T1 and T2: two thirds of the people
    client.force_login(manager)
    body = client.get(URL.format(code="a1"), {"metric": "needs-interviews"}).json()
    assert (body["n_treated"], body["n_control"]) == (40, 60)


def test_activity_page_shows_the_three_layers(client, org_tree, activities, interviews):
    _plant(org_tree, activities["a1"], interviews, effect=2.0)
    client.force_login(make_user("hrlead", "hr_lead"))
    response = client.get("/enablement/activities/a1/?metric=needs-interviews&pre=3&post=3")
    assert response.status_code == 200
    layers = response.context["layers"]
    assert (layers.enrolled, layers.completed, layers.hours) == (60, 60, 480.0)
    [row] = layers.behaviour
    assert row.metric.code == "needs-interviews"
    assert row.result.ci_low <= 2.0 <= row.result.ci_high
    text = response.content.decode()
    assert "Learning → behaviour → results" in text
    assert 'id="impact-estimate"' in text
