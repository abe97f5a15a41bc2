"""Who sees what: a manager only their own subtree (pages and API), token scopes, anonymous access."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from org.choices import TokenScope
from org.models import ApiToken
from org.services import api_token_create, api_token_revoke
from tests.conftest import PASSWORD, make_user

EAST_UNITS = {"EAST", "T1", "T2"}
ALL_UNITS = {"ACME", "SALES", "SERVICE", "EAST", "WEST", "T1", "T2", "T3"}


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api_session(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _codes(response, key="code") -> set[str]:
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


# --- a manager's scope ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["T3", "WEST", "SALES", "ACME", "SERVICE"])
def test_manager_gets_404_for_a_unit_page_outside_their_subtree(east_manager, people, code):
    response = _session(east_manager).get(f"/org/units/{code}/")
    assert response.status_code == 404


@pytest.mark.parametrize("code", ["EAST", "T1", "T2"])
def test_manager_sees_units_of_their_subtree(east_manager, people, code):
    response = _session(east_manager).get(f"/org/units/{code}/")
    assert response.status_code == 200


def test_manager_unit_page_lists_only_their_people(east_manager, people):
    response = _session(east_manager).get("/org/units/EAST/")
    content = response.content.decode()
    assert "Person P1" in content
    assert "Person P2" in content
    assert "Person P3" not in content
    assert "Person P4" not in content


def test_manager_home_page_lists_only_their_subtree(east_manager, people):
    response = _session(east_manager).get("/")
    assert response.status_code == 200
    shown = {row["unit"].code for row in response.context["rows"]}
    assert shown == EAST_UNITS
    content = response.content.decode()
    assert "/org/units/T1/" in content
    assert "/org/units/T3/" not in content
    assert "/org/units/ACME/" not in content


@pytest.mark.parametrize("api", ["session", "token"])
def test_manager_api_hides_other_subtrees(east_manager, people, token_client, api):
    client = _api_session(east_manager) if api == "session" else token_client(TokenScope.READ, user=east_manager)
    # list endpoints show only the East subtree
    assert _codes(client.get("/api/v1/org-units/")) == EAST_UNITS
    assert _codes(client.get("/api/v1/people/"), key="external_id") == {"P1", "P2"}
    # a filter naming another subtree finds nothing, rather than leaking it
    assert _codes(client.get("/api/v1/people/", {"org_unit": "WEST"}), key="external_id") == set()
    assert _codes(client.get("/api/v1/org-units/", {"parent": "SALES"})) == {"EAST"}
    # details outside the subtree are 404 (not 403: their existence is not revealed)
    for code in ("T3", "WEST", "ACME", "SERVICE"):
        assert client.get(f"/api/v1/org-units/{code}/").status_code == 404
    for external_id in ("P3", "P4"):
        assert client.get(f"/api/v1/people/{external_id}/").status_code == 404
    # inside the subtree they are there
    assert client.get("/api/v1/org-units/T1/").json()["parent"] == "EAST"
    assert client.get("/api/v1/people/P2/").json()["org_unit"] == "T2"


def test_login_without_scope_or_role_sees_nothing(people):
    # A program member without a profile unit fails closed.
    member = make_user("member", "program_member")
    assert _codes(_api_session(member).get("/api/v1/org-units/")) == set()
    assert _session(member).get("/org/units/ACME/").status_code == 404


# --- HR lead sees all ---------------------------------------------------------------------


def test_hr_lead_sees_every_unit_and_person(hr_lead, people):
    client = _api_session(hr_lead)
    assert _codes(client.get("/api/v1/org-units/")) == ALL_UNITS
    assert _codes(client.get("/api/v1/people/"), key="external_id") == {"P1", "P2", "P3", "P4"}
    assert client.get("/api/v1/org-units/T3/").status_code == 200
    browser = _session(hr_lead)
    assert {row["unit"].code for row in browser.get("/").context["rows"]} == ALL_UNITS
    assert browser.get("/org/units/T3/").status_code == 200


def test_hr_lead_with_a_profile_unit_is_scoped_by_it(org_tree, people):
    # A profile unit always scopes the login, whatever the role.
    scoped_hr = make_user("scoped_hr", "hr_lead", unit=org_tree["WEST"])
    assert _codes(_api_session(scoped_hr).get("/api/v1/org-units/")) == {"WEST", "T3"}


# --- token scopes -----------------------------------------------------------------------


def test_read_token_cannot_ingest_or_start_jobs(read_client, people):
    ingest = read_client.post(
        "/api/v1/ingest/people/",
        [
            {
                "external_id": "P9",
                "name": "New",
                "org_unit": "T1",
                "role": "sales_rep",
                "hire_date": "2024-01-01",
            }
        ],
        format="json",
    )
    assert ingest.status_code == 403
    assert read_client.post("/api/v1/jobs/recompute/").status_code == 403
    # but it can read
    assert read_client.get("/api/v1/org-units/").status_code == 200


def test_write_token_of_a_manager_still_cannot_start_jobs(east_manager, token_client):
    # Scope allows writing, but the manager role lacks org.start_job.
    client = token_client(TokenScope.WRITE, user=east_manager)
    assert client.post("/api/v1/jobs/recompute/").status_code == 403


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/api/v1/org-units/"),
        ("get", "/api/v1/org-units/T1/"),
        ("get", "/api/v1/people/"),
        ("post", "/api/v1/ingest/people/"),
        ("post", "/api/v1/jobs/recompute/"),
    ],
)
def test_no_token_gets_401(org_tree, method, url):
    response = getattr(APIClient(), method)(url)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_revoked_token_gets_401(integrator, org_tree):
    token, key = api_token_create(user=integrator, scope=TokenScope.WRITE)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/org-units/").status_code == 200
    api_token_revoke(token=token)
    assert client.get("/api/v1/org-units/").status_code == 401
    assert client.post("/api/v1/jobs/recompute/").status_code == 401


@pytest.mark.parametrize(
    "header", ["Token not-a-real-key", "Token", "Token two parts", "Bearer whatever-this-is"], ids=str
)
def test_bad_token_headers_get_401(org_tree, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    assert client.get("/api/v1/org-units/").status_code == 401


def test_token_of_an_inactive_user_gets_401(integrator, org_tree):
    _token, key = api_token_create(user=integrator, scope=TokenScope.READ)
    integrator.is_active = False
    integrator.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/org-units/").status_code == 401


def test_token_use_is_recorded(read_client):
    assert ApiToken.objects.get().last_used_at is None
    read_client.get("/api/v1/org-units/")
    assert ApiToken.objects.get().last_used_at is not None


# --- anonymous browser pages ------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/", "/org/units/T1/", "/org/import/", "/performance/", "/diagnosis/", "/talent/", "/rollout/"]
)
def test_anonymous_pages_redirect_to_login(org_tree, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "next=" in response["Location"]


def test_login_page_logs_a_manager_in(east_manager):
    client = Client()
    response = client.post("/accounts/login/", {"username": "east_manager", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
