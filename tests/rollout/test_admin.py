"""The rollout admin: every model is registered and its pages open, with steps and checklists inline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from rollout import models
from rollout.jobs import pilot_results_nightly
from rollout.models import PilotInitiative, ProgramStep, RadarKind
from rollout.pilots import InitiativeInput, pilot_create
from rollout.services import (
    ActionInput,
    milestone_create,
    program_radar_snapshot,
    review_record,
    story_record,
    wave_plan,
    workshop_record,
)
from tests.conftest import make_user

REGISTERED = [
    models.Program,
    models.ProgramStep,
    models.Milestone,
    models.Pilot,
    models.PilotResult,
    models.ProgramRadarSnapshot,
    models.ReviewMeeting,
    models.Story,
    models.RolloutWave,
    models.Workshop,
]


@pytest.fixture
def filled(program, org_tree, co_leads, linkables):
    sponsor, hr = co_leads
    milestone_create(program=program, step=1, title="Kick-off", due_date=dt.date(2026, 5, 1), owner=hr)
    pilot_create(
        program=program,
        name="T1 pilot",
        pilot_units=[org_tree["T1"]],
        control_units=[org_tree["T2"]],
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 6, 30),
        initiatives=[InitiativeInput(kind="scorecard", target_id=linkables["east_card"].pk)],
    )
    pilot_results_nightly(today=dt.date(2026, 7, 1))
    program_radar_snapshot(program=program, kind=RadarKind.NIGHTLY)
    review_record(program=program, held_on=dt.date(2026, 6, 1), attendees=[hr], actions=[ActionInput("Board", hr)])
    story_record(program=program, org_unit=org_tree["T1"], title="Won", text="How")
    wave_plan(
        program=program,
        name="W1",
        org_units=[org_tree["T3"]],
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 30),
    )
    workshop_record(program=program, title="WS", held_on=dt.date(2026, 9, 2), invited=[sponsor], attended=[hr])
    return program


def test_every_rollout_model_with_a_page_is_registered():
    for model in REGISTERED:
        assert admin.site.is_registered(model), model


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model.__name__)
def test_changelist_search_and_change_pages_open(client, filled, model):
    client.force_login(make_user("root", superuser=True))
    info = (model._meta.app_label, model._meta.model_name)
    changelist = reverse("admin:{}_{}_changelist".format(*info))
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"q": "T1"}).status_code == 200
    row = model.objects.first()
    assert row is not None, model
    assert client.get(reverse("admin:{}_{}_change".format(*info), args=[row.pk])).status_code == 200


def test_program_page_has_its_steps_and_milestones_inline_and_cannot_be_added(client, filled):
    client.force_login(make_user("root", superuser=True))
    page = client.get(reverse("admin:rollout_program_change", args=[filled.pk])).content.decode()
    assert "Kick-off" in page
    assert "Align and assess" in page
    assert client.get(reverse("admin:rollout_program_add")).status_code == 403
    step = ProgramStep.objects.get(program=filled, number=1)
    step_page = client.get(reverse("admin:rollout_programstep_change", args=[step.pk])).content.decode()
    assert "Form the joint project team" in step_page  # the checklist inline


def test_pilot_page_shows_its_initiatives_and_results(client, filled):
    client.force_login(make_user("root", superuser=True))
    pilot = filled.pilots.get()
    page = client.get(reverse("admin:rollout_pilot_change", args=[pilot.pk])).content.decode()
    assert "initiatives-TOTAL_FORMS" in page
    assert PilotInitiative.objects.filter(pilot=pilot).count() == 1
    assert "results-0-" in page or "Pilot results" in page
