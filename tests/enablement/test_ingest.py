"""The four enablement datasets over the ingest API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from enablement.models import BehaviourObservation, Enrolment, LearningActivity


def test_activities_enrolments_and_observations_load(write_client, people):
    activities = [{"code": "w1", "name": "Workshop", "kind": "role_play", "journey_stage": "consideration", "hours": 8}]
    answer = write_client.post("/api/v1/ingest/learning-activities/", activities, format="json").json()
    assert (answer["created"], answer["updated"]) == (1, 0)
    enrolments = [
        {"person": "P1", "activity": "w1", "enrolled_on": "2026-03-01", "completed_on": "2026-03-08", "score": 88},
        {"person": "P2", "activity": "w1", "enrolled_on": "2026-03-01"},
    ]
    assert write_client.post("/api/v1/ingest/enrolments/", enrolments, format="json").status_code == 200
    metrics = [{"code": "needs-interviews", "name": "Needs interviews", "unit": "interviews"}]
    assert write_client.post("/api/v1/ingest/behaviour-metrics/", metrics, format="json").status_code == 200
    observations = [
        {"person": "P1", "metric": "needs-interviews", "month": "2026-03", "value": 4},
        {"person": "P1", "metric": "needs-interviews", "month": "2026-04", "value": 6},
    ]
    answer = write_client.post("/api/v1/ingest/behaviour-observations/", observations, format="json").json()
    assert (answer["created"], answer["updated"]) == (2, 0)
    # the same upload again changes nothing
    answer = write_client.post("/api/v1/ingest/behaviour-observations/", observations, format="json").json()
    assert (answer["created"], answer["updated"], answer["unchanged"]) == (0, 0, 2)
    assert LearningActivity.objects.get().hours == Decimal(8)
    assert Enrolment.objects.get(person=people["P1"]).completed_on == dt.date(2026, 3, 8)
    assert list(BehaviourObservation.objects.order_by("month").values_list("month", "value")) == [
        (dt.date(2026, 3, 1), Decimal(4)),
        (dt.date(2026, 4, 1), Decimal(6)),
    ]


def test_an_observation_of_an_unknown_metric_is_a_row_error_and_nothing_is_written(write_client, people):
    write_client.post(
        "/api/v1/ingest/behaviour-metrics/", [{"code": "needs-interviews", "name": "Needs"}], format="json"
    )
    rows = [
        {"person": "P1", "metric": "needs-interviews", "month": "2026-03", "value": 4},
        {"person": "P2", "metric": "cold-calls", "month": "2026-03", "value": 9},
    ]
    response = write_client.post("/api/v1/ingest/behaviour-observations/", rows, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(2, "metric")]
    assert "cold-calls" in errors[0]["message"]
    assert not BehaviourObservation.objects.exists()


def test_completion_before_enrolment_is_a_row_error(write_client, people):
    write_client.post(
        "/api/v1/ingest/learning-activities/", [{"code": "w1", "name": "W", "kind": "course"}], format="json"
    )
    rows = [{"person": "P1", "activity": "w1", "enrolled_on": "2026-03-10", "completed_on": "2026-03-01"}]
    response = write_client.post("/api/v1/ingest/enrolments/", rows, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "completed_on"
    assert not Enrolment.objects.exists()


def test_unknown_activity_kind_is_a_row_error(write_client, db):
    response = write_client.post(
        "/api/v1/ingest/learning-activities/", [{"code": "w1", "name": "W", "kind": "webinar"}], format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "kind"
