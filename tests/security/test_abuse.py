"""The second hardening round (issue 14), replayed: each finding of the attack review at small size.

The world is the permission matrix's (tests/security/conftest.py): ACME > SALES > (EAST > (T1, T2), WEST > T3),
SERVICE, with a login of every role, an East program whose sponsor is ``program_member`` and an integrator's
read and write tokens. Every case asserts what the person or integrator would notice: the status, the message,
that nothing was written, and for the uploads that the answer comes quickly and in bounded memory.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.test import Client

from org import jobs
from org.models import Job
from performance.models import CustomerLtv
from rollout.choices import TeamRole
from rollout.models import ChecklistItem, ProgramMember, Story
from rollout.pilots import pilot_create
from rollout.services import KeyIndicatorInput, checklist_item_set_done, program_create
from tests.security.conftest import client_for

D = dt.date


def api(world, role: str = "integrator_write") -> Client:
    return client_for(world, role)


@pytest.fixture(autouse=True)
def _inside_the_world(db):
    """Every test runs in the world, inside a savepoint rolled back afterwards (the directory's ``db``)."""


@pytest.fixture
def no_active_job(world):
    """The world holds one queued job (for the job pages); recomputes here need the lock free."""
    Job.objects.filter(pk=world.job.pk).update(status="succeeded")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """The test's transaction never commits: run the on-commit hooks (a job's task) at the end of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def recompute(world, run_on_commit, *, full: bool = True) -> dict:
    client = api(world)
    with run_on_commit():
        answer = client.post("/api/v1/jobs/recompute/" + ("?full=1" if full else ""))
    assert answer.status_code == 202, answer.content
    return client.get(f"/api/v1/jobs/{answer.json()['id']}/").json()


@pytest.fixture
def failing_step():
    """Make one registered nightly step raise for one test (its registration is restored afterwards)."""
    saved: dict[str, jobs.NightlyStep] = {}

    def fail(name: str, message: str) -> None:
        def explode(job=None):
            raise RuntimeError(message)

        saved[name] = jobs._NIGHTLY_STEPS[name]
        jobs._NIGHTLY_STEPS[name] = dataclasses.replace(saved[name], func=explode)

    yield fail
    jobs._NIGHTLY_STEPS.update(saved)


# --- 1. one ordinary row stops the nightly job ------------------------------------------------------------------


def test_1_a_customer_without_contracts_does_not_stop_the_nightly_job(world, no_active_job, run_on_commit):
    # given a customer ingested before any of its contracts (the natural CRM order)
    customer = {
        "external_id": "CX1",
        "name": "c",
        "segment": "enterprise",
        "org_unit": "T1",
        "owner": "EP1",
        "acquired_on": "2026-03-01",
    }
    answer = api(world).post("/api/v1/ingest/customers/", [customer], content_type="application/json")
    assert answer.status_code == 200, answer.content
    # when the nightly recompute runs in full
    job = recompute(world, run_on_commit)
    # then every step succeeded, and the customer's realized margin is 0
    assert job["status"] == "succeeded", job["error"]
    assert {step["status"] for step in job["steps"]} == {"succeeded"}
    ltv = CustomerLtv.objects.get(customer__external_id="CX1")
    assert ltv.realized_margin == Decimal(0)
    assert ltv.annual_margin == Decimal(0)
    assert ltv.ltv == Decimal(0)


def test_1_a_failed_step_skips_only_the_steps_that_need_it_and_the_job_page_says_which(
    world, no_active_job, run_on_commit, failing_step
):
    # given the readiness step breaks (the radars read it; the program radar snapshots read the radars)
    failing_step("readiness", "readiness broke")
    # when the recompute runs
    job = recompute(world, run_on_commit)
    # then the job failed, naming the step, and only the steps that need it were skipped
    steps = {step["name"]: step for step in job["steps"]}
    assert job["status"] == "failed"
    assert job["error"] == "readiness: RuntimeError: readiness broke"
    assert steps["readiness"]["status"] == "failed"
    assert steps["capability_radars"]["status"] == "skipped"
    assert steps["capability_radars"]["blocked_by"] == ["readiness"]
    assert steps["rollout_radar_snapshots"]["status"] == "skipped"
    assert steps["rollout_radar_snapshots"]["blocked_by"] == ["capability_radars"]
    ran = {"org_unit_stats", "candidate_scores", "indicator_values", "customer_ltv", "rollout_pilot_results"}
    assert {name for name, step in steps.items() if step["status"] == "succeeded"} >= ran
    # and the run's page says what ran, what failed and what was skipped for which step
    page = client_for(world, "hr_lead").get(f"/org/jobs/{job['id']}/").content.decode()
    assert "readiness: RuntimeError: readiness broke" in page
    assert "Skipped" in page
    assert "Not run: it needs Readiness, which did not succeed." in page
    assert "Not run: it needs Capability radars, which did not succeed." in page


# --- 2. a manager reads another subtree through a company-wide program ------------------------------------------


@pytest.fixture
def company_program(world):
    """A program over the whole company, piloted in West against T2, with a story told in West."""
    from performance.models import Indicator

    indicators = list(Indicator.objects.filter(code__in=["win_rate", "lead_conversion_rate", "nps"]))
    program = program_create(
        name="Companyprog Mu",
        sponsor=world.manager_out,
        hr_co_lead=world.hr_lead,
        org_units=[world.units["ACME"]],
        focus_dimensions=["enablement"],
        key_indicators=[KeyIndicatorInput(ind, "lagging", Decimal("40")) for ind in indicators],
        start_date=D(2026, 4, 10),
        created_by=world.hr_lead,
    )
    pilot_create(
        program=program,
        name="Westpilot Nu",
        pilot_units=[world.units["T3"]],
        control_units=[world.units["T2"]],
        start=D(2026, 5, 1),
        end=D(2026, 10, 1),
    )
    Story.objects.create(
        program=program,
        org_unit=world.units["T3"],
        title="Weststory Xi",
        text="How West won the Omicron account.",
        recorded_on=D(2026, 6, 1),
    )
    return program


def test_2_a_manager_does_not_read_another_subtree_through_a_company_wide_program(world, company_program):
    manager = client_for(world, "manager_in")
    # the program page, its API answer and its toolkit are not found for the East manager
    assert manager.get(f"/rollout/programs/{company_program.pk}/").status_code == 404
    assert manager.get(f"/api/v1/rollout/programs/{company_program.pk}/").status_code == 404
    assert manager.get(f"/rollout/programs/{company_program.pk}/toolkit.zip").status_code == 404
    # and the lists leave it out
    listed = manager.get("/api/v1/rollout/programs/").json()
    names = [row["name"] for row in listed["results"]]
    assert "Companyprog Mu" not in names
    assert "Eastprog Delta" in names  # the East program, all inside East, is still there
    page = manager.get("/rollout/programs/").content.decode()
    assert "Companyprog Mu" not in page
    assert "Weststory" not in page
    # while its joint team (the West manager is its sponsor) and HR leads still see it
    assert client_for(world, "manager_out").get(f"/rollout/programs/{company_program.pk}/").status_code == 200
    assert client_for(world, "hr_lead").get(f"/api/v1/rollout/programs/{company_program.pk}/").status_code == 200


def test_2_a_program_inside_the_managers_units_that_compares_with_another_subtree_is_the_teams_only(world):
    # given the East program gets a second pilot whose control is West's team
    manager = client_for(world, "manager_in")
    assert manager.get(f"/rollout/programs/{world.program.pk}/").status_code == 200
    pilot_create(
        program=world.program,
        name="T2 against West",
        pilot_units=[world.units["T2"]],
        control_units=[world.units["T3"]],
        start=D(2026, 5, 1),
        end=D(2026, 10, 1),
    )
    # then the East manager, who is not on its team, no longer sees it
    assert manager.get(f"/rollout/programs/{world.program.pk}/").status_code == 404
    assert manager.get(f"/api/v1/rollout/programs/{world.program.pk}/").status_code == 404


# --- 8. out-of-range months ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/talent/profiles/{profile}/calibration/?to=9999-12", "to"),
        ("/api/v1/talent/profiles/{profile}/calibration/?from=0000-01", "from"),
        ("/api/v1/indicator-values/?from=2025-01&to=9999-12", "to"),
        ("/api/v1/dashboards/ACME/?to=9999-12", "to"),
        ("/api/v1/ltv/cohorts/?from=9999-12", "from"),
    ],
)
def test_8_an_out_of_range_month_answers_400_naming_the_parameter(world, url, field):
    answer = api(world, "integrator_read").get(url.format(profile=world.profile.pk))
    assert answer.status_code == 400, answer.content[:300]
    assert "between 1900-01 and 2999-12" in str(answer.json()[field])


@pytest.mark.parametrize(
    "url",
    [
        "/performance/dashboard/ACME/?to=9999-12",
        "/performance/scorecards/{scorecard}/?period_start=9999-12",
        "/performance/incentives/{plan}/?period_start=9999-12",
    ],
)
def test_8_an_out_of_range_month_on_a_page_is_not_a_server_error(world, url):
    answer = client_for(world, "hr_lead").get(url.format(scorecard=world.scorecard.pk, plan=world.plan.pk))
    assert answer.status_code in (200, 404)


# --- 9. program members manage the team and take back others' ticks -------------------------------------------------


@pytest.fixture
def plain_member(world):
    """The East program's marketing member (not a co-lead), logged in."""
    client = Client()
    client.force_login(world.removable_member)
    return client


def test_9_a_member_who_is_no_co_lead_cannot_add_members_or_relabel_roles(world, plain_member):
    pk = world.program.pk
    add = {"user": world.manager_in.username, "role": "sales"}
    assert (
        plain_member.post(f"/api/v1/rollout/programs/{pk}/members/", add, content_type="application/json").status_code
        == 403
    )
    own = {"user": world.removable_member.username, "role": TeamRole.HR_CO_LEAD}
    answer = plain_member.post(f"/api/v1/rollout/programs/{pk}/members/", own, content_type="application/json")
    assert answer.status_code == 403
    assert "co-leads" in answer.json()["detail"]
    page = plain_member.post(f"/rollout/programs/{pk}/members/", {"user": world.manager_in.pk, "role": "sales"})
    assert page.status_code == 403
    # and nothing changed
    assert ProgramMember.objects.get(program=world.program, user=world.removable_member).role == TeamRole.MARKETING
    assert not ProgramMember.objects.filter(program=world.program, user=world.manager_in).exists()


def test_9_a_member_who_is_no_co_lead_cannot_remove_others(world, plain_member):
    sponsor = world.program_member.username
    answer = plain_member.delete(f"/api/v1/rollout/programs/{world.program.pk}/members/{sponsor}/")
    assert answer.status_code == 403
    assert ProgramMember.objects.filter(program=world.program, user=world.program_member).exists()


def test_9_the_co_lead_roles_belong_to_the_co_leads(world):
    sponsor = client_for(world, "program_member")  # the East program's business co-lead
    pk = world.program.pk
    relabel = {"user": world.removable_member.username, "role": TeamRole.HR_CO_LEAD}
    answer = sponsor.post(f"/api/v1/rollout/programs/{pk}/members/", relabel, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["field"] == "role"
    # while a co-lead manages the team as before
    add = {"user": world.manager_in.username, "role": "sales"}
    assert (
        sponsor.post(f"/api/v1/rollout/programs/{pk}/members/", add, content_type="application/json").status_code == 201
    )
    removed = sponsor.delete(f"/api/v1/rollout/programs/{pk}/members/{world.manager_in.username}/")
    assert removed.status_code == 204


def test_9_only_the_co_leads_take_back_a_tick_someone_else_made(world, plain_member):
    item = world.checklist_item
    checklist_item_set_done(item=item, done=True, user=world.program_member)  # the sponsor ticked it
    url = f"/api/v1/rollout/programs/{world.program.pk}/checklist/{item.pk}/"
    answer = plain_member.patch(url, {"done": False}, content_type="application/json")
    assert answer.status_code == 403
    assert ChecklistItem.objects.get(pk=item.pk).done
    page = plain_member.post(f"/rollout/checklist/{item.pk}/", {"done": "0"})
    assert page.status_code == 403
    assert ChecklistItem.objects.get(pk=item.pk).done
    # a member may still take back a tick of their own while no co-lead has signed
    other = ChecklistItem.objects.filter(step=world.step).exclude(pk=item.pk).order_by("position").first()
    assert (
        plain_member.patch(
            f"/api/v1/rollout/programs/{world.program.pk}/checklist/{other.pk}/",
            {"done": True},
            content_type="application/json",
        ).status_code
        == 200
    )
    assert (
        plain_member.patch(
            f"/api/v1/rollout/programs/{world.program.pk}/checklist/{other.pk}/",
            {"done": False},
            content_type="application/json",
        ).status_code
        == 200
    )
    # and the sponsor takes back anyone's
    sponsor = client_for(world, "program_member")
    assert sponsor.patch(url, {"done": False}, content_type="application/json").status_code == 200
    assert not ChecklistItem.objects.get(pk=item.pk).done


def test_9_the_program_page_offers_team_changes_to_the_co_leads_only(world, plain_member):
    page = plain_member.get(f"/rollout/programs/{world.program.pk}/").content.decode()
    assert "Add a team member" not in page
    assert "The two co-leads add members to the joint team and set their roles." in page
    sponsor_page = client_for(world, "program_member").get(f"/rollout/programs/{world.program.pk}/").content.decode()
    assert "Add a team member" in sponsor_page


# --- 10. a failed job's error shows a traceback with paths and data --------------------------------------------------


def test_10_a_failed_jobs_error_is_one_short_line_and_the_traceback_goes_to_the_log(
    world, no_active_job, run_on_commit, failing_step, caplog
):
    # given a step whose error quotes data on its later lines (as a database error quotes the failing row)
    failing_step("customer_ltv", 'null value in column "realized_margin"\nDETAIL: Failing row contains (7, secret)')
    # when the job runs and a read-scope token reads it
    with caplog.at_level(logging.ERROR, logger="org.jobs"):
        job = recompute(world, run_on_commit)
    seen = api(world, "integrator_read").get(f"/api/v1/jobs/{job['id']}/").json()
    # then the error names the step and the first line only
    assert seen["error"] == 'customer_ltv: RuntimeError: null value in column "realized_margin"'
    step = next(step for step in seen["steps"] if step["name"] == "customer_ltv")
    assert step["error"] == seen["error"]
    text = str(seen)
    assert "Traceback" not in text
    assert 'File "' not in text
    assert "secret" not in text
    # and the server log has the traceback
    assert any(record.exc_info and "customer_ltv" in record.getMessage() for record in caplog.records)
