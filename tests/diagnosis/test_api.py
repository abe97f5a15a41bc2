"""The diagnosis API: questionnaires, rounds, results and answer submission with the same validation."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from org.choices import TokenScope
from tests.conftest import make_user

from .test_rounds import submit_three

BASE = "/api/v1/diagnosis"


def session(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def full_answers(**overrides):
    values = {"t1": 5, "t2": 2, "t3": None, "c1": 4, "s_lead": 3, "s_churn": 0, **overrides}
    return {
        "answers": [
            {"item": code, "not_applicable": True} if value == "na" else {"item": code, "value": value}
            for code, value in values.items()
            if value is not None
        ]
    }


def test_questionnaires_list_and_detail(hr_lead):
    client = session(hr_lead)
    rows = client.get(f"{BASE}/questionnaires/").json()
    default = next(row for row in rows if row["family"] == "default")
    detail = client.get(f"{BASE}/questionnaires/{default['id']}/").json()
    assert len(detail["sections"]) == 5
    assert detail["sections"][0]["items"][0]["text_zh"]


def test_hr_lead_copies_over_the_api(hr_lead, questionnaire):
    response = session(hr_lead).post(f"{BASE}/questionnaires/{questionnaire.pk}/copy/")
    assert response.status_code == 201
    assert response.json()["version"] == 2


def test_open_round_permissions(hr_lead, east_manager, questionnaire, respondents, org_tree):
    body = {
        "questionnaire": questionnaire.pk,
        "org_unit": "T1",
        "respondents": [u.username for u in respondents],
        "title": "API round",
    }
    assert session(east_manager).post(f"{BASE}/rounds/", body, format="json").status_code == 403
    response = session(hr_lead).post(f"{BASE}/rounds/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["org_unit"] == "T1"
    assert response.json()["min_respondents"] == 3
    too_few = {**body, "respondents": body["respondents"][:2]}
    bad = session(hr_lead).post(f"{BASE}/rounds/", too_few, format="json")
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "respondents"


def test_submit_over_the_api(t1_round, respondents):
    client = session(respondents[0])
    url = f"{BASE}/rounds/{t1_round.pk}/response/"
    # progress saved, missing items listed
    saved = client.put(url, {"answers": [{"item": "t1", "value": 4}]}, format="json").json()
    assert saved["missing"] == ["t2", "c1", "s_lead", "s_churn"]
    # submitting with gaps names each missing item
    incomplete = client.post(f"{url}submit/", {"answers": []}, format="json")
    assert incomplete.status_code == 400
    assert {e["field"] for e in incomplete.json()["errors"]} == {"t2", "c1", "s_lead", "s_churn"}
    # out of range
    wrong = client.put(url, {"answers": [{"item": "s_lead", "value": 5}]}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"][0]["field"] == "s_lead"
    # complete
    done = client.post(f"{url}submit/", full_answers(c1="na"), format="json")
    assert done.status_code == 200
    assert done.json()["submitted_at"]
    # once only
    again = client.post(f"{url}submit/", full_answers(), format="json")
    assert again.status_code == 409
    assert "already submitted" in again.json()["errors"][0]["message"]
    assert client.put(url, full_answers(), format="json").status_code == 409


def test_a_manager_who_sees_the_round_but_was_not_invited_gets_403(t1_round, east_manager):
    client = session(east_manager)
    answer = client.get(f"{BASE}/rounds/{t1_round.pk}/response/")
    assert answer.status_code == 403
    assert answer.json()["detail"] == "You are not a respondent of this round."
    assert client.post(f"{BASE}/rounds/{t1_round.pk}/response/submit/", full_answers(), format="json").status_code == (
        403
    )


def test_an_outsider_does_not_learn_that_the_round_exists(t1_round, org_tree):
    client = session(make_user("west_manager", "manager", unit=org_tree["WEST"]))
    assert client.get(f"{BASE}/rounds/{t1_round.pk}/response/").status_code == 404
    assert client.post(f"{BASE}/rounds/{t1_round.pk}/response/submit/", full_answers(), format="json").status_code == (
        404
    )


def test_every_hr_lead_sees_every_round_not_only_their_own(t1_round):
    # given a round opened by one HR lead, and a second HR lead
    other = make_user("hr2", "hr_lead")
    # then the second one lists it over the API and on the page
    listed = session(other).get(f"{BASE}/rounds/").json()
    assert [row["id"] for row in listed["results"]] == [t1_round.pk]
    browser = Client()
    browser.force_login(other)
    assert "T1 check" in browser.get("/diagnosis/rounds/").content.decode()


def test_read_token_cannot_submit(t1_round, respondents, token_client):
    client = token_client(TokenScope.READ, user=respondents[0])
    assert client.post(f"{BASE}/rounds/{t1_round.pk}/response/submit/", full_answers(), format="json").status_code == (
        403
    )
    writer = token_client(TokenScope.WRITE, user=respondents[0])
    assert writer.post(f"{BASE}/rounds/{t1_round.pk}/response/submit/", full_answers(), format="json").status_code == (
        200
    )


def test_results_over_the_api(t1_round, respondents, hr_lead):
    client = session(hr_lead)
    locked = client.get(f"{BASE}/rounds/{t1_round.pk}/results/").json()
    assert locked["available"] is False
    assert locked["scores"] == []
    submit_three(t1_round, respondents)
    results = client.get(f"{BASE}/rounds/{t1_round.pk}/results/").json()
    assert results["available"] is True
    scores = {row["root_cause"]: row for row in results["scores"]}
    assert scores["talent_standards"]["score"] == pytest.approx(500 / 9)
    assert scores["talent_standards"]["level"] == "developing"
    assert results["symptoms"][0]["triangulation"]["evidence"] == "no_data"
    assert "respondent" not in str(results["scores"])


def test_owner_sees_who_submitted_but_a_manager_does_not(t1_round, respondents, hr_lead, east_manager):
    submit_three(t1_round, respondents)
    owner_view = session(hr_lead).get(f"{BASE}/rounds/{t1_round.pk}/").json()
    assert sorted(row["respondent"] for row in owner_view["submissions"]) == ["resp1", "resp2", "resp3"]
    manager_view = session(east_manager).get(f"{BASE}/rounds/{t1_round.pk}/").json()
    assert manager_view["submissions"] is None
    assert manager_view["submitted_count"] == 3


def test_manager_scope_over_the_api(t1_round, questionnaire, org_tree, hr_lead):
    from diagnosis.services import round_open

    west = round_open(
        questionnaire=questionnaire,
        org_unit=org_tree["T3"],
        owner=hr_lead,
        respondents=[make_user(f"w{i}") for i in range(3)],
    )
    manager = make_user("west_manager", "manager", unit=org_tree["WEST"])
    client = session(manager)
    assert [row["id"] for row in client.get(f"{BASE}/rounds/").json()["results"]] == [west.pk]
    assert client.get(f"{BASE}/rounds/{t1_round.pk}/results/").status_code == 404


def test_close_over_the_api(t1_round, hr_lead, east_manager):
    assert session(east_manager).post(f"{BASE}/rounds/{t1_round.pk}/close/").status_code == 403
    response = session(hr_lead).post(f"{BASE}/rounds/{t1_round.pk}/close/")
    assert response.status_code == 200
    assert response.json()["is_open"] is False
    assert session(hr_lead).post(f"{BASE}/rounds/{t1_round.pk}/close/").status_code == 400
