"""A service's refusal on the diagnosis pages: above the round form, or as a message after a redirect."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from diagnosis.services import round_close


@pytest.fixture
def en(settings):
    settings.LANGUAGE_CODE = "en"


def _open_round(client, questionnaire, org_tree, respondents, **changes):
    data = {
        "questionnaire": questionnaire.pk,
        "org_unit": org_tree["EAST"].pk,
        "title": "East Q2",
        "respondents": [u.pk for u in respondents],
        "min_respondents": 3,
        **changes,
    }
    return client.post(reverse("diagnosis:round-new"), data)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_respondents": 4}, "Invite at least 4 respondents"),
        ({"data_period_start": "2025-02-01"}, "A quarter starts on 1 January, April, July or October."),
    ],
)
def test_a_refused_round_shows_the_reason_above_the_form(
    client, hr_lead, questionnaire, org_tree, respondents, en, changes, message
):
    client.force_login(hr_lead)
    # when the service refuses what the form accepted
    answer = _open_round(client, questionnaire, org_tree, respondents, **changes)
    # then the form comes back with the reason above it, even when the service names one of its fields
    assert answer.status_code == 200
    form = answer.context["form"]
    assert [error for error in form.non_field_errors() if message in error]
    assert not any(form[name].errors for name in form.fields)
    assert message in answer.content.decode()


def test_closing_a_closed_round_says_so(client, hr_lead, t1_round, en):
    round_close(assessment_round=t1_round)
    client.force_login(hr_lead)
    url = reverse("diagnosis:round", args=[t1_round.pk])
    # a second close (from a page opened before the first) is refused with a message on the round's page
    answer = client.post(url, {"close": "1"})
    assert (answer.status_code, answer.url) == (302, url)
    assert [str(m) for m in get_messages(answer.wsgi_request)] == ["This round is already closed."]
