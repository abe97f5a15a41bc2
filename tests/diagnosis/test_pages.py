"""Browser pages: the step-by-step questionnaire, messages, 403 for outsiders, scope, aggregates only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from diagnosis.models import Answer, Response
from tests.conftest import flat, make_user

from .test_rounds import submit_three


def step_url(assessment_round, step):
    return reverse("diagnosis:respond-step", args=[assessment_round.pk, step])


@pytest.fixture
def en(settings):
    settings.LANGUAGE_CODE = "en"


def test_answers_are_kept_across_steps_and_visits(client, t1_round, respondents, en):
    user = respondents[0]
    client.force_login(user)
    # step 1, then move on
    response = client.post(step_url(t1_round, 1), {"item-t1": "4", "item-t2": "na", "action": "next"})
    assert response.status_code == 302
    assert response.url == step_url(t1_round, 2)
    # leave and come back: the entry page resumes at step 2, step 1 still shows the answers
    assert client.get(reverse("diagnosis:respond", args=[t1_round.pk])).url == step_url(t1_round, 2)
    page = flat(client.get(step_url(t1_round, 1)).content.decode())
    assert 'name="item-t1" value="4" checked' in page
    assert 'name="item-t2" value="na" checked' in page


def test_submit_names_each_missing_item_then_succeeds(client, t1_round, respondents, en):
    user = respondents[0]
    client.force_login(user)
    client.post(step_url(t1_round, 1), {"item-t1": "4", "item-t2": "2", "action": "next"})
    response = client.post(step_url(t1_round, 3), {"item-s_lead": "2", "action": "submit"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Some required items are unanswered" in page
    assert "c1 text" in page
    assert "s_churn text" in page
    assert Response.objects.get(respondent=user).submitted_at is None
    client.post(step_url(t1_round, 2), {"item-c1": "3", "action": "next"})
    response = client.post(step_url(t1_round, 3), {"item-s_lead": "2", "item-s_churn": "0", "action": "submit"})
    assert response.status_code == 302
    assert Response.objects.get(respondent=user).submitted_at is not None


def test_second_submission_shows_a_clear_message(client, t1_round, respondents, en):
    user = respondents[0]
    client.force_login(user)
    client.post(step_url(t1_round, 1), {"item-t1": "4", "item-t2": "2", "action": "next"})
    client.post(step_url(t1_round, 2), {"item-c1": "3", "action": "next"})
    client.post(step_url(t1_round, 3), {"item-s_lead": "2", "item-s_churn": "0", "action": "submit"})
    response = client.post(step_url(t1_round, 1), {"item-t1": "1", "item-t2": "1", "action": "submit"}, follow=True)
    assert "You already submitted your answers" in response.content.decode()
    assert Answer.objects.get(response__respondent=user, item__code="t1").value == 4


def test_a_manager_in_scope_not_invited_gets_403(client, t1_round, east_manager, en):
    client.force_login(east_manager)
    assert client.get(step_url(t1_round, 1)).status_code == 403
    assert client.post(step_url(t1_round, 1), {"item-t1": "4", "action": "next"}).status_code == 403


def test_an_outsider_gets_404(client, t1_round, en):
    client.force_login(make_user("stranger", "manager"))
    assert client.get(step_url(t1_round, 1)).status_code == 404
    assert client.post(step_url(t1_round, 1), {"item-t1": "4", "action": "next"}).status_code == 404


def test_results_show_aggregates_and_the_owner_sees_who_submitted(client, t1_round, respondents, hr_lead, en):
    submit_three(t1_round, respondents)
    client.force_login(hr_lead)
    page = client.get(reverse("diagnosis:round-results", args=[t1_round.pk])).content.decode()
    assert "55.6" in page
    assert "Developing" in page
    assert "Respondent 1" not in page  # no names next to scores
    detail = client.get(reverse("diagnosis:round", args=[t1_round.pk])).content.decode()
    assert "Respondent 1 · Sales representative · Team 1 · " in detail  # by name, role and unit, not by login
    assert "Respondent 3 · Sales representative · Team 1 · " in detail
    assert "resp1" not in detail


def test_results_locked_below_the_threshold(client, t1_round, hr_lead, en):
    client.force_login(hr_lead)
    page = client.get(reverse("diagnosis:round-results", args=[t1_round.pk])).content.decode()
    assert "Results open once at least 3 respondents have submitted (0 so far)" in page


def test_manager_sees_rounds_of_their_subtree_only(client, t1_round, east_manager, questionnaire, org_tree, hr_lead):
    from diagnosis.services import round_open

    west_round = round_open(
        questionnaire=questionnaire,
        org_unit=org_tree["T3"],
        owner=hr_lead,
        respondents=[make_user(f"w{i}") for i in range(3)],
        title="West check",
    )
    client.force_login(east_manager)
    listing = client.get(reverse("diagnosis:rounds")).content.decode()
    assert "T1 check" in listing
    assert "West check" not in listing
    assert client.get(reverse("diagnosis:round-results", args=[t1_round.pk])).status_code == 200
    assert client.get(reverse("diagnosis:round-results", args=[west_round.pk])).status_code == 404
    detail = client.get(reverse("diagnosis:round", args=[t1_round.pk])).content.decode()
    assert "Who has submitted" not in detail  # only the owner (or an HR lead) sees that list


def test_hr_lead_opens_and_closes_a_round(client, hr_lead, questionnaire, org_tree, respondents, en):
    client.force_login(hr_lead)
    response = client.post(
        reverse("diagnosis:round-new"),
        {
            "questionnaire": questionnaire.pk,
            "org_unit": org_tree["EAST"].pk,
            "title": "East Q2",
            "respondents": [u.pk for u in respondents],
            "min_respondents": 3,
        },
    )
    assert response.status_code == 302
    url = response.url
    client.post(url, {"close": "1"})
    assert "Closed" in client.get(url).content.decode()


def test_manager_cannot_open_rounds(client, east_manager):
    client.force_login(east_manager)
    assert client.get(reverse("diagnosis:round-new")).status_code == 403


def test_hr_lead_copies_and_edits_the_default(client, hr_lead, en):
    from diagnosis.models import Questionnaire

    default = Questionnaire.objects.get(family="default", is_builtin=True)
    client.force_login(hr_lead)
    response = client.post(reverse("diagnosis:questionnaire", args=[default.pk]))
    copy = Questionnaire.objects.get(family="default", version=2)
    assert response.url == reverse("diagnosis:questionnaire-edit", args=[copy.pk])
    page = client.get(response.url)
    assert page.status_code == 200
    formset = page.context["formset"]
    data = {"name_zh": "副本", "name_en": "My copy", "description_zh": "", "description_en": ""}
    data.update({f"items-{key}": value for key, value in formset.management_form.initial.items()})
    for index, form in enumerate(formset.forms[: len(formset.initial)]):
        for name, value in form.initial.items():
            if isinstance(value, bool):
                if value:
                    data[f"items-{index}-{name}"] = "on"
            else:
                data[f"items-{index}-{name}"] = value
    data["items-0-weight"] = "3"
    response = client.post(reverse("diagnosis:questionnaire-edit", args=[copy.pk]), data)
    assert response.status_code == 302, (
        response.context["form"].errors,
        [e for e in response.context["formset"].errors if e],
        response.context["formset"].non_form_errors(),
    )
    copy.refresh_from_db()
    assert copy.name_en == "My copy"
    assert copy.items.get(code="ts1").weight == 3
    assert default.items.get(code="ts1").weight == 1


@pytest.mark.chinese
def test_pages_render_in_chinese(client, t1_round, respondents, hr_lead):
    submit_three(t1_round, respondents)
    client.force_login(hr_lead)
    pages = [
        (reverse("diagnosis:rounds"), "<h1>自查轮次</h1>"),
        (reverse("diagnosis:questionnaires"), "<h1>问卷</h1>"),
        (reverse("diagnosis:round-results", args=[t1_round.pk]), "<h1>结果 "),
    ]
    for url, heading in pages:
        answer = client.get(url)
        assert answer.status_code == 200
        html = answer.content.decode()
        assert heading in html
        assert '<html lang="zh-hans"' in html
        assert "Self-check rounds" not in html


def test_results_page_query_count(client, t1_round, respondents, hr_lead, django_assert_max_num_queries):
    submit_three(t1_round, respondents)
    client.force_login(hr_lead)
    # The radar adds a bounded set of queries (the unit's data-derived series is computed once,
    # whatever the number of respondents or units).
    with django_assert_max_num_queries(40):
        assert client.get(reverse("diagnosis:round-results", args=[t1_round.pk])).status_code == 200
