"""A pilot's initiatives are links to what it applies: success profiles, scorecards, customer project teams."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from rollout.choices import InitiativeKind
from rollout.models import INITIATIVE_LINKS, Pilot, PilotInitiative
from rollout.pilots import InitiativeInput, pilot_create, pilot_update


@pytest.fixture
def pilot(program, org_tree):
    return pilot_create(
        program=program,
        name="T1 pilot",
        pilot_units=[org_tree["T1"]],
        control_units=[org_tree["T2"]],
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 10, 31),
        notes="Weekly role plays",
    )


def _insert(pilot, **fields):
    with transaction.atomic():
        PilotInitiative.objects.create(pilot=pilot, **fields)


def test_every_kind_but_other_names_its_link():
    assert set(INITIATIVE_LINKS) | {InitiativeKind.OTHER} == set(InitiativeKind.values)


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        ({"kind": "scorecard", "scorecard": "east_card"}, True),
        ({"kind": "scorecard"}, False),  # the scorecard is missing
        ({"kind": "scorecard", "success_profile": "profile"}, False),  # the wrong link
        ({"kind": "scorecard", "scorecard": "east_card", "project_team": "team"}, False),  # two links
        ({"kind": "success_profile", "success_profile": "profile"}, True),
        ({"kind": "project_team", "project_team": "team"}, True),
        ({"kind": "project_team"}, False),
        ({"kind": "other", "label": "Scripts"}, True),
        ({"kind": "other", "url": "https://wiki.example.com"}, True),
        ({"kind": "other"}, False),  # neither label nor link
        ({"kind": "other", "label": "x", "scorecard": "east_card"}, False),
    ],
)
def test_the_database_requires_the_link_matching_the_kind(pilot, linkables, fields, allowed):
    values = {
        name: (linkables[value] if name in ("scorecard", "success_profile", "project_team") else value)
        for name, value in fields.items()
    }
    if allowed:
        _insert(pilot, **values)
        assert pilot.initiatives.count() == 1
    else:
        with pytest.raises(IntegrityError):
            _insert(pilot, **values)


def test_clean_names_the_missing_link(pilot):
    with pytest.raises(ValidationError) as info:
        PilotInitiative(pilot=pilot, kind=InitiativeKind.SCORECARD).full_clean()
    assert "scorecard" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        PilotInitiative(pilot=pilot, kind=InitiativeKind.OTHER).full_clean()
    assert "label" in info.value.message_dict


def test_links_point_at_the_linked_objects_pages(pilot, linkables):
    links = {
        "success_profile": PilotInitiative(pilot=pilot, kind="success_profile", success_profile=linkables["profile"]),
        "scorecard": PilotInitiative(pilot=pilot, kind="scorecard", scorecard=linkables["east_card"]),
        "project_team": PilotInitiative(pilot=pilot, kind="project_team", project_team=linkables["team"]),
        "other": PilotInitiative(pilot=pilot, kind="other", label="Scripts", url="https://wiki.example.com/s"),
    }
    assert links["success_profile"].get_absolute_url() == reverse("talent:profile", args=[linkables["profile"].pk])
    assert links["scorecard"].get_absolute_url() == reverse("performance:scorecard", args=[linkables["east_card"].pk])
    assert links["project_team"].get_absolute_url() == reverse("performance:team", args=[linkables["team"].pk])
    assert links["other"].get_absolute_url() == "https://wiki.example.com/s"
    assert [link.display_label for link in links.values()] == ["Hunter reps v1", "East reps", "KA1 team", "Scripts"]
    labelled = PilotInitiative(pilot=pilot, kind="scorecard", scorecard=linkables["east_card"], label="Card")
    assert labelled.display_label == "Card"


def test_pilot_update_replaces_the_initiatives_and_keeps_the_rest(pilot, linkables, co_leads):
    pilot_update(
        pilot=pilot,
        initiatives=[
            InitiativeInput(kind="scorecard", target_id=linkables["east_card"].pk),
            InitiativeInput(kind="other", label="Scripts"),
        ],
        user=co_leads[1],
    )
    assert [(link.kind, link.position) for link in pilot.initiatives.all()] == [("scorecard", 1), ("other", 2)]
    pilot_update(pilot=pilot, initiatives=[InitiativeInput(kind="project_team", target_id=linkables["team"].pk)])
    assert [link.kind for link in pilot.initiatives.all()] == ["project_team"]
    pilot_update(pilot=pilot, name="Renamed")
    pilot.refresh_from_db()
    assert pilot.name == "Renamed"
    assert pilot.notes == "Weekly role plays"
    assert [link.kind for link in pilot.initiatives.all()] == ["project_team"]
    with pytest.raises(ValidationError) as info:
        pilot_update(pilot=pilot, colour="red")
    assert "colour" in str(info.value)


def test_the_page_shows_initiatives_as_links(client, program, pilot, linkables, co_leads):
    pilot_update(
        pilot=pilot,
        initiatives=[
            InitiativeInput(kind="success_profile", target_id=linkables["profile"].pk),
            InitiativeInput(kind="scorecard", target_id=linkables["east_card"].pk),
            InitiativeInput(kind="project_team", target_id=linkables["team"].pk),
            InitiativeInput(kind="other", label="Role-play scripts", url="https://wiki.example.com/rp"),
            InitiativeInput(kind="other", label="Joint visits"),
        ],
    )
    client.force_login(co_leads[1])
    text = client.get(reverse("rollout:program", args=[program.pk])).content.decode()
    assert f'<a href="/talent/profiles/{linkables["profile"].pk}/">Hunter reps v1</a>' in text
    assert f'<a href="/performance/scorecards/{linkables["east_card"].pk}/">East reps</a>' in text
    assert f'<a href="/performance/teams/{linkables["team"].pk}/">KA1 team</a>' in text
    assert '<a href="https://wiki.example.com/rp" rel="noopener">Role-play scripts</a>' in text
    assert "Joint visits" in text
    assert "Weekly role plays" in text  # the notes


def test_pilot_form_takes_initiatives(client, program, member, linkables, org_tree):
    client.force_login(member)  # scoped to West, working on the East program
    form_page = client.get(reverse("rollout:pilot-new", args=[program.pk]))
    form = form_page.context["form"]
    # the program's units and what belongs to them can be chosen, West's scorecard too (the member's own scope)
    assert {"T1", "T2", "T3"} <= {unit.code for unit in form.fields["pilot_units"].queryset}
    assert "SERVICE" not in {unit.code for unit in form.fields["pilot_units"].queryset}
    assert set(form.fields["scorecards"].queryset) == {linkables["east_card"], linkables["west_card"]}
    response = client.post(
        reverse("rollout:pilot-new", args=[program.pk]),
        {
            "name": "T1 pilot",
            "pilot_units": [org_tree["T1"].pk],
            "control_units": [org_tree["T2"].pk],
            "start": "2026-05-01",
            "end": "2026-10-31",
            "pre_months": 6,
            "success_profiles": [linkables["profile"].pk],
            "scorecards": [linkables["east_card"].pk],
            "project_teams": [linkables["team"].pk],
            "other_links": "Role-play scripts | https://wiki.example.com/rp\nJoint visits\n\n",
            "notes": "Weekly",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pilot = Pilot.objects.get(name="T1 pilot")
    assert [(link.kind, link.label, link.url) for link in pilot.initiatives.all()] == [
        ("success_profile", "", ""),
        ("scorecard", "", ""),
        ("project_team", "", ""),
        ("other", "Role-play scripts", "https://wiki.example.com/rp"),
        ("other", "Joint visits", ""),
    ]
    assert pilot.notes == "Weekly"


def test_pilot_form_errors_stay_on_the_form(client, program, member, org_tree):
    client.force_login(member)
    response = client.post(
        reverse("rollout:pilot-new", args=[program.pk]),
        {
            "name": "Bad",
            "pilot_units": [org_tree["T1"].pk],
            "control_units": [org_tree["T1"].pk],
            "start": "2026-05-01",
            "end": "2026-10-31",
            "pre_months": 6,
            "other_links": "Scripts | not a url",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "other_links" in errors
    response = client.post(
        reverse("rollout:pilot-new", args=[program.pk]),
        {
            "name": "Bad",
            "pilot_units": [org_tree["T1"].pk],
            "control_units": [org_tree["T1"].pk],
            "start": "2026-05-01",
            "end": "2026-10-31",
            "pre_months": 6,
        },
    )
    assert "A unit cannot be both a pilot and a control." in response.context["form"].errors["control_units"]
    assert not Pilot.objects.exists()


def test_pilot_edit_page(client, program, pilot, member, east_manager, linkables, org_tree):
    url = reverse("rollout:pilot-edit", args=[pilot.pk])
    client.force_login(east_manager)  # reads the program, does not edit it
    assert client.get(url).status_code == 403
    client.force_login(member)
    form = client.get(url).context["form"]
    assert form.initial["name"] == "T1 pilot"
    assert form.initial["notes"] == "Weekly role plays"
    response = client.post(
        url,
        {
            "name": "T1 pilot, longer",
            "pilot_units": [org_tree["T1"].pk],
            "control_units": [org_tree["T2"].pk, org_tree["T3"].pk],
            "start": "2026-05-01",
            "end": "2026-12-31",
            "pre_months": 4,
            "scorecards": [linkables["east_card"].pk],
            "other_links": " | https://wiki.example.com/only-a-link",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    pilot.refresh_from_db()
    assert (pilot.name, pilot.end, pilot.pre_months) == ("T1 pilot, longer", dt.date(2026, 12, 31), 4)
    assert {unit.code for unit in pilot.control_units.all()} == {"T2", "T3"}
    assert [(link.kind, link.url) for link in pilot.initiatives.all()] == [
        ("scorecard", ""),
        ("other", "https://wiki.example.com/only-a-link"),
    ]
    # and the form shows the links again as they were saved
    again = client.get(url).context["form"].initial
    assert again["scorecards"] == [linkables["east_card"]]
    assert again["other_links"] == "| https://wiki.example.com/only-a-link"


def test_a_learning_activity_links_to_its_enablement_page(pilot, client, co_leads):
    from enablement.services import learning_activity_save

    activity = learning_activity_save(code="needs-workshop", name="Needs workshop", kind="role_play")
    pilot_update(
        pilot=pilot,
        initiatives=[InitiativeInput(kind=InitiativeKind.LEARNING_ACTIVITY, target_id=activity.pk)],
    )
    initiative = pilot.initiatives.get()
    assert initiative.get_absolute_url() == reverse("enablement:activity", args=["needs-workshop"])
    assert initiative.display_label == "Needs workshop"
    client.force_login(co_leads[1])
    page = client.get(reverse("rollout:program", args=[pilot.program_id])).content.decode()
    assert 'href="/enablement/activities/needs-workshop/"' in page
