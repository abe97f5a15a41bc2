"""Situational question bank and structured interview scorecards whose ratings become candidate attributes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from talent.models import Candidate, CandidateAttribute, InterviewQuestion
from talent.selectors import interview_questions
from talent.services import interview_scorecard_submit


@pytest.fixture
def candidate(org_tree):
    return Candidate.objects.create(
        external_id="C1", name="Li Na", role="sales_rep", org_unit=org_tree["T1"], applied_on=dt.date(2025, 3, 1),
        stage="interviewed",
    )  # fmt: skip


@pytest.mark.django_db
def test_question_bank_is_bilingual_and_per_role():
    questions = list(interview_questions(role="sales_rep"))
    assert questions
    assert {q.role for q in questions} <= {"sales_rep", ""}
    assert all(q.text_zh and q.text_en for q in InterviewQuestion.objects.all())
    assert {q.scenario for q in InterviewQuestion.objects.all()} == {"awareness", "consideration", "decision", "value"}


def test_scorecards_become_mean_ratings_on_the_candidate(candidate):
    # given two interviewers rating the same competency 4 and 3
    interview_scorecard_submit(
        candidate=candidate, ratings={"pain_points": 4, "decision_driving": 5}, interviewed_on=dt.date(2025, 3, 10)
    )
    interview_scorecard_submit(candidate=candidate, ratings={"pain_points": 3}, interviewed_on=dt.date(2025, 3, 11))
    # then the attributes are the means, under factors named after the competencies
    values = dict(CandidateAttribute.objects.filter(candidate=candidate).values_list("factor__code", "value"))
    assert values == {"interview_pain_points": "3.5", "interview_decision_driving": "5"}
    candidate.refresh_from_db()
    assert candidate.interviewed_on == dt.date(2025, 3, 10)


@pytest.mark.parametrize("ratings", [{"pain_points": 6}, {"charm": 3}, {}])
def test_bad_ratings_are_refused(candidate, ratings):
    with pytest.raises(ValidationError):
        interview_scorecard_submit(candidate=candidate, ratings=ratings, interviewed_on=dt.date(2025, 3, 10))


def test_scorecard_from_the_candidate_page(candidate, east_manager):
    client = Client()
    client.force_login(east_manager)
    page = client.get("/talent/candidates/C1/").content.decode()
    assert 'id="questions"' in page
    assert 'id="scorecard-form"' in page
    response = client.post(
        "/talent/candidates/C1/", {"interviewed_on": "2025-03-12", "rating_industry_insight": "4", "note": "ok"}
    )
    assert response.status_code == 302
    assert CandidateAttribute.objects.get(candidate=candidate).value == "4"
    assert "Industry insight" in client.get("/talent/candidates/C1/").content.decode()
    assert client.get("/talent/questions/?scenario=decision").status_code == 200
