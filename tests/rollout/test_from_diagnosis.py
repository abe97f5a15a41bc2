"""A diagnosis result links to a new program prefilled with its unit, focus dimensions and key indicators."""

from __future__ import annotations

from html import unescape
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from tests.conftest import flat
from tests.diagnosis.conftest import questionnaire, respondents, submit, t1_round  # noqa: F401  (fixtures)


def test_results_page_offers_a_prefilled_program(client, t1_round, respondents, hr_lead):  # noqa: F811
    for user, value in zip(respondents, (1, 2, 1), strict=True):
        submit(t1_round, user, t1=value, t2=4, t3="na", c1=value, s_lead=3, s_churn=0)
    client.force_login(hr_lead)
    response = client.get(reverse("diagnosis:round-results", args=[t1_round.pk]))
    results = response.context["results"]
    page = flat(response.content.decode())
    start = page.index('id="start-program" href="') + len('id="start-program" href="')
    link = unescape(page[start : page.index('"', start)])
    query = parse_qs(urlsplit(link).query)
    assert urlsplit(link).path == reverse("rollout:program-new")
    assert query["org_unit"] == ["T1"]
    # a program takes one or two dimensions: the link offers the two weakest
    assert query["dimensions"] == [",".join(results.focus_dimensions[:2])]
    assert query.get("indicators", [""]) == [",".join(results.key_indicators)]
    assert results.focus_dimensions

    form = client.get(link).context["form"]
    assert form.initial["org_units"] == ["T1"]
    assert form.initial["focus_dimensions"] == results.focus_dimensions[:2]


def test_managers_do_not_get_the_button(client, t1_round, respondents, east_manager):  # noqa: F811
    for user in respondents:
        submit(t1_round, user, t1=2, t2=4, t3="na", c1=2, s_lead=3, s_churn=0)
    client.force_login(east_manager)
    response = client.get(reverse("diagnosis:round-results", args=[t1_round.pk]))
    assert response.status_code == 200
    assert 'id="start-program"' not in response.content.decode()
