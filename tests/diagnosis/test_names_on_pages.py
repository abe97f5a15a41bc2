"""Units and people on the diagnosis pages: same-named units stay apart (heatmap rows, pickers), respondents are
offered and listed by name, role and unit, never by login."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from org.choices import OrgUnitKind
from org.services import org_unit_create
from tests.conftest import flat

from .conftest import submit
from .test_comparison_export import closed_round


@pytest.fixture
def twin_team(org_tree):
    """A second "East" with a second "Team 1", under the Service BU."""
    east = org_unit_create(code="SVC-EAST", name="East", kind=OrgUnitKind.REGION, parent=org_tree["SERVICE"])
    return org_unit_create(code="SVC-T1", name="Team 1", kind=OrgUnitKind.TEAM, parent=east)


def test_heatmap_draws_two_same_named_units_as_two_rows_that_read_apart(
    client, questionnaire, org_tree, twin_team, hr_lead, respondents
):
    # given: closed rounds with open results in both teams called "Team 1"
    closed_round(questionnaire, org_tree["T1"], hr_lead, respondents, days_ago=20, title="Sales check")
    closed_round(questionnaire, twin_team, hr_lead, respondents, days_ago=10, title="Service check", low=True)
    client.force_login(hr_lead)
    # when
    html = client.get(reverse("diagnosis:compare")).content.decode()
    # then: two table rows, each with its parents
    rows = re.findall(r'<tr data-unit="([^"]+)"><td class="unit-label">([^<]+)</td>', flat(html))
    assert rows == [("SVC-T1", "Team 1 · East · Service BU"), ("T1", "Team 1 · East · Sales BU")]
    # and two chart rows, keyed by the unit and labelled the same way
    figure = json.loads(re.search(r'<script id="heatmap-figure" type="application/json">(.*?)</script>', html).group(1))
    heatmap = figure["data"][0]
    assert heatmap["y"] == ["SVC-T1", "T1"]
    assert figure["layout"]["yaxis"]["ticktext"] == ["Team 1 · East · Service BU", "Team 1 · East · Sales BU"]
    assert [row[0] for row in heatmap["z"]] == [25.0, 75.0]


def test_round_form_offers_units_with_their_parents_and_respondents_by_name(
    client, questionnaire, org_tree, twin_team, hr_lead, respondents, integrator
):
    client.force_login(hr_lead)
    html = flat(client.get(reverse("diagnosis:round-new")).content.decode())
    assert f'<option value="{twin_team.pk}">Team 1 · East · Service BU</option>' in html
    assert f'<option value="{org_tree["T1"].pk}">Team 1 · East · Sales BU</option>' in html
    assert f'<option value="{respondents[0].pk}">Respondent 1 · Sales representative · Team 1 · East · Sales BU' in html
    assert "integrator" not in html  # the API account is no person
    assert "resp1" not in html  # nor is anyone offered by login
    assert 'data-people-filter=""' in html  # a search box narrows them on the page


def test_submissions_list_names_the_person_of_each_login(client, t1_round, respondents, hr_lead):
    submit(t1_round, respondents[0], t1=4, t2=2, c1=3, s_lead=1, s_churn=0)
    client.force_login(hr_lead)
    html = flat(client.get(reverse("diagnosis:round", args=[t1_round.pk])).content.decode())
    section = html[html.index('id="submissions"') :]
    when = r"[A-Z][a-z]+\.? \d{1,2}, \d{4}, [^<·]+"  # Django's DATETIME_FORMAT in English
    assert re.search(rf"<li>Respondent 1 · Sales representative · Team 1 · {when}</li>", section)
    assert "(resp1)" not in section
