"""The success-profile API: build (201), read, matches; permissions and validation."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from rest_framework.test import APIClient

from talent.models import Candidate, SuccessProfile
from tests.conftest import make_user

from .conftest import CRITERION, SIGNAL_KINDS, make_factors, make_people, set_attributes, set_criterion, signal_data

BODY = {
    "name": "Sales reps 2025",
    "role": "sales_rep",
    "criterion": CRITERION,
    "period": "month",
    "from": "2025-01",
    "to": "2025-12",
    "top_share": 0.25,
}


@pytest.fixture
def reps(org_tree):
    columns, performance, _ = signal_data(seed=5, n=240)
    people = make_people(org_tree["T1"], 240)
    factors = make_factors(SIGNAL_KINDS)
    set_attributes(people, factors, columns)
    set_criterion(people, performance)
    candidates = []
    for i, unit in enumerate(["T1", "T2", "T3", "T1"]):
        candidates.append(
            Candidate.objects.create(
                external_id=f"C{i}",
                name=f"Candidate {i}",
                role="sales_rep",
                org_unit=org_tree[unit],
                applied_on=dt.date(2025, 3, 1),
                stage="screened",
            )
        )
    set_attributes(
        candidates, factors, {"n0": [2.0, -1.0, 0.5, None], "b0": [True, False, True, None], "n1": [1, 0, 0, None]}
    )
    return factors


def _session(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_hr_lead_builds_a_profile_and_reads_it(reps, hr_lead):
    client = _session(hr_lead)
    response = client.post("/api/v1/talent/profiles/", BODY, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert {"id", "n_high", "n_control", "auc", "cv_auc", "warnings", "factors"} <= set(data)
    assert (data["n_high"], data["n_control"]) == (60, 180)
    assert (data["from"], data["to"], data["version"]) == ("2025-01", "2025-12", 1)
    row = data["factors"][0]
    assert {"factor", "kind", "high", "control", "effect", "p", "q", "selected", "weight"} <= set(row)
    selected = {f["factor"] for f in data["factors"] if f["selected"]}
    assert {"n0", "b0"} <= selected
    assert all(f["weight"] is not None for f in data["factors"] if f["selected"])
    assert all(f["weight"] is None for f in data["factors"] if not f["selected"])
    detail = client.get(f"/api/v1/talent/profiles/{data['id']}/")
    assert detail.status_code == 200
    assert detail.json()["factors"] == data["factors"]
    listing = client.get("/api/v1/talent/profiles/?role=sales_rep").json()
    assert listing["count"] == 1


@pytest.mark.django_db
def test_matches_are_sorted_paginated_scoped_and_decompose(reps, hr_lead, org_tree, django_assert_max_num_queries):
    profile_id = _session(hr_lead).post("/api/v1/talent/profiles/", BODY, format="json").json()["id"]
    with django_assert_max_num_queries(8):
        response = _session(hr_lead).get(f"/api/v1/talent/profiles/{profile_id}/matches/?page_size=3")
    data = response.json()
    assert data["count"] == 4
    assert len(data["results"]) == 3
    assert data["next"]
    scores = [row["score"] for row in data["results"]]
    assert scores == sorted(scores, reverse=True)
    assert data["results"][0]["candidate"] == "C0"
    for row in data["results"]:
        logit = math.log(row["score"] / (100 - row["score"]))
        assert logit == pytest.approx(row["baseline"] + sum(row["contributions"].values()), abs=1e-3)
    # a manager scoped to EAST sees the candidates of T1 and T2 only
    east = make_user("east", "manager", unit=org_tree["EAST"])
    seen = _session(east).get(f"/api/v1/talent/profiles/{profile_id}/matches/").json()
    assert {row["candidate"] for row in seen["results"]} == {"C0", "C1", "C3"}
    high_only = _session(hr_lead).get(f"/api/v1/talent/profiles/{profile_id}/matches/?min_score=50").json()
    assert all(row["score"] >= 50 for row in high_only["results"])


@pytest.mark.django_db
def test_only_hr_leads_build_profiles(reps, east_manager, read_client):
    assert _session(east_manager).post("/api/v1/talent/profiles/", BODY, format="json").status_code == 403
    assert read_client.post("/api/v1/talent/profiles/", BODY, format="json").status_code == 403
    assert SuccessProfile.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"criterion": "no_such_indicator"}, "criterion"),
        ({"from": "2025-13"}, "from"),
        ({"to": "2024-01"}, "to"),
        ({"top_share": 1.5}, "top_share"),
        ({"role": "astronaut"}, "role"),
    ],
)
def test_invalid_requests_are_400_with_the_field(reps, hr_lead, change, field):
    response = _session(hr_lead).post("/api/v1/talent/profiles/", {**BODY, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_too_few_people_with_a_criterion_value_is_400(reps, hr_lead):
    response = _session(hr_lead).post("/api/v1/talent/profiles/", {**BODY, "role": "presales"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "criterion"


@pytest.mark.django_db
def test_unknown_profile_is_404(hr_lead):
    assert _session(hr_lead).get("/api/v1/talent/profiles/999/").status_code == 404
    assert _session(hr_lead).get("/api/v1/talent/profiles/999/matches/").status_code == 404
