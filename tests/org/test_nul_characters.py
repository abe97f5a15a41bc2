"""A NUL character in a URL or an API body is bad input (400) or names nothing (404), never a 500.

PostgreSQL text cannot hold NUL and psycopg 3 raises a DataError when one reaches a query; Schemathesis
found these as 500s (tests/api_fuzz). org.middleware checks the URL, org.api.parsers the API's bodies.
"""

from __future__ import annotations

import pytest

from org.choices import TokenScope


@pytest.fixture
def hr_client(token_client, hr_lead):
    return token_client(TokenScope.WRITE, user=hr_lead)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/indicator-values/?org_unit=T1%00",
        "/api/v1/indicator-values/?indicator=win_rate%00",
        "/api/v1/ltv/cohorts/?org_unit=T1%00",
        "/api/v1/talent/profiles/?role=sales_rep%00",
        "/api/v1/people/?x%00=1",
    ],
)
def test_a_query_parameter_with_nul_is_a_400(hr_client, org_tree, url):
    assert hr_client.get(url).status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/org-units/EA%00ST/", "/api/v1/dashboards/T1%00/"])
def test_a_path_with_nul_names_nothing(hr_client, org_tree, url):
    assert hr_client.get(url).status_code == 404


@pytest.mark.parametrize("body_format", ["json", "multipart"])
def test_a_body_with_nul_is_a_400_naming_the_problem(hr_client, org_tree, body_format):
    body = {"name": "East conversion", "org_units": ["EA\x00ST"]}
    response = hr_client.post("/api/v1/rollout/programs/", body, format=body_format)
    assert response.status_code == 400
    assert response.json() == {"detail": "The body contains a NUL character."}


def test_a_page_with_nul_in_the_query_is_a_400(client, hr_lead, org_tree):
    client.force_login(hr_lead)
    assert client.get("/performance/dashboard/T1/?period=%00").status_code == 400


def test_text_without_nul_still_goes_through(hr_client, org_tree):
    assert hr_client.get("/api/v1/people/?org_unit=EAST").status_code == 200
    assert hr_client.get("/api/v1/org-units/EAST/").status_code == 200
