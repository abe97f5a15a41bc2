"""The second hardening round (issue 14), replayed: each of the fourteen findings of the attack review at small size.

The world is the permission matrix's (tests/security/conftest.py): ACME > SALES > (EAST > (T1, T2), WEST > T3),
SERVICE, with a login of every role, an East program whose sponsor is ``program_member`` and an integrator's
read and write tokens. Every case asserts what the person or integrator would notice: the status, the message,
that nothing was written, and for the uploads that the answer comes within 2 seconds and in bounded memory.
Every variant of the upload findings is in tests/org/test_ingest_abuse.py, of the web ones in
tests/org/test_web_abuse.py; this file keeps one replay of each, numbered as the review numbered them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from org import jobs, platform
from org.ingest.service import ingest_file
from org.models import Job, Person
from performance.models import CustomerLtv
from rollout.choices import TeamRole
from rollout.models import ChecklistItem, ProgramMember, Story
from rollout.pilots import pilot_create
from rollout.services import KeyIndicatorInput, checklist_item_set_done, program_create
from tests.abuse_files import (
    HEADER_ROW,
    MEGABYTES,
    SECONDS,
    SHARED_SHEET,
    measured,
    shared_strings,
    sheet_xml,
    workbook_of,
)
from tests.org.test_web_abuse import _rates, _setting
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

        saved[name] = platform.NIGHTLY_STEPS[name]
        platform.NIGHTLY_STEPS.add(name, dataclasses.replace(saved[name], func=explode), replace=True)

    yield fail
    for name, step in saved.items():
        platform.NIGHTLY_STEPS.add(name, step, replace=True)


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


# --- 3. logout does not end the session on the other workers --------------------------------------------------------


def test_3_a_logout_on_one_worker_ends_the_session_on_the_others(world, settings, worker):
    # given no Redis: the session engine the settings choose, and two workers that both served the session
    settings.SESSION_ENGINE = _setting("m.SESSION_ENGINE")
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    browser = Client()
    browser.force_login(world.hr_lead)
    for name in ("a", "b"):
        worker(name)
        assert browser.get("/api/v1/people/").status_code == 200
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    # when the person logs out on worker a
    worker("a")
    assert browser.post("/accounts/logout/").status_code == 302
    # then worker b refuses the old cookie
    worker("b")
    browser.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert browser.get("/api/v1/people/").status_code in {401, 403}


# --- 4. a wide CSV exhausts memory ---------------------------------------------------------------------------------


def upload(world, data: bytes, name: str, dataset: str = "people"):
    """POST a file with the integrator's write token."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api(world).post(f"/api/v1/ingest/{dataset}/", {"file": SimpleUploadedFile(name, data)})


def refused_in_budget(data: bytes, name: str, dataset: str = "people") -> list[dict]:
    """The ingest service refuses the file within 2 seconds and 50 MB of traced memory; its errors."""
    result, elapsed, peak = measured(lambda: ingest_file(dataset=dataset, data=data, filename=name))
    assert not result.ok
    assert elapsed < SECONDS, f"{elapsed:.2f} s"
    assert peak < MEGABYTES, f"{peak:.1f} MB"
    return result.as_dict()["errors"]


def test_4_a_csv_header_of_a_hundred_thousand_columns_is_refused_from_the_header_alone(world):
    # given the review's file scaled down tenfold: 10^5 columns, 200 short rows
    header = ",".join(f"c{i}" for i in range(100_000)).encode()
    data = header + b"\n" + b"x,y\n" * 200
    people = Person.objects.count()
    # then it is refused quickly, in bounded memory, naming the columns, and nothing is written
    errors = refused_in_budget(data, "people.csv")
    assert errors[0]["row"] is None
    assert "Unknown field “c0”" in errors[0]["message"]
    answer = upload(world, data, "people.csv")
    assert answer.status_code == 400
    assert Person.objects.count() == people


# --- 5. small XLSX files pin workers -------------------------------------------------------------------------------


def test_5_a_workbook_of_inflated_shared_strings_is_refused_before_they_are_read(world, settings):
    settings.INGEST_MAX_UPLOAD_BYTES = 1024 * 1024
    data = workbook_of(SHARED_SHEET, shared_strings(b"external_id", b"E1", *[b"xx"] * 100_000))
    assert len(data) < 20_000
    errors = refused_in_budget(data, "people.xlsx")
    assert "xl/sharedStrings.xml" in errors[0]["message"]
    assert upload(world, data, "people.xlsx").status_code == 400


def test_5_a_sheet_of_blank_rows_stops_at_the_blank_row_limit(world, settings):
    settings.INGEST_MAX_ROWS = 1_000
    blank = "".join(f'<row r="{n}"><c r="A{n}" s="0"/></row>' for n in range(2, 100_002))
    data = workbook_of(sheet_xml(HEADER_ROW, blank))
    people = Person.objects.count()
    errors = refused_in_budget(data, "people.xlsx")
    assert errors[0]["row"] == 1_001
    assert "more than 1,000 blank rows" in errors[0]["message"]
    assert Person.objects.count() == people


# --- 6. throttles reset by a header, counted per worker; an open, costly schema; token guessing -------------------


def test_6_x_forwarded_for_does_not_reset_the_anonymous_throttle(world, settings, monkeypatch, throttle_cache):
    settings.API_DOCS_PUBLIC = True
    _rates(settings, monkeypatch, anon="3/minute")
    answers = [
        Client().get("/api/schema/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code
        for i in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_6_the_user_throttle_counts_across_workers(world, settings, monkeypatch, worker):
    _rates(settings, monkeypatch, user="3/minute")
    answers = []
    for name in "abcd":
        worker(name)
        answers.append(api(world, "integrator_read").get("/api/v1/people/").status_code)
    assert answers == [200, 200, 200, 429]


def test_6_the_schema_and_docs_need_a_login(world):
    assert Client().get("/api/schema/").status_code == 401
    assert Client().get("/api/docs/").status_code == 302
    assert api(world, "integrator_read").get("/api/schema/").status_code == 200


def test_6_wrong_tokens_are_throttled_per_address(world, settings, monkeypatch, throttle_cache):
    _rates(settings, monkeypatch, token_failure="3/minute")
    for i in range(3):
        wrong = Client(HTTP_AUTHORIZATION=f"Token wrong-{i}")
        assert wrong.get("/api/v1/people/", REMOTE_ADDR="192.0.2.7").status_code == 401
    refused = api(world, "integrator_read").get("/api/v1/people/", REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0


# --- 7. JSON bodies that are not text, or nest without end ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'[{"external_id": "E9", "name": "Li\\u0000Na"}]', "NUL character"),
        (b'[{"external_id": "E9", "name": "Li\\ud800Na"}]', "lone surrogate"),
        (b"[" * 100_000 + b"]" * 100_000, "nested more than 32 levels"),
    ],
    ids=["NUL", "lone surrogate", "100,000 deep"],
)
def test_7_the_ingest_endpoint_answers_400_to_bodies_that_are_not_text(world, body, expected):
    people = Person.objects.count()
    answer, elapsed, _peak = measured(
        lambda: api(world).generic("POST", "/api/v1/ingest/people/?dry_run=true", body, content_type="application/json")
    )
    assert answer.status_code == 400, answer.content[:300]
    [error] = answer.json()["errors"]
    assert expected in error["message"]
    assert elapsed < SECONDS
    assert Person.objects.count() == people


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


# --- 11. the error page prints its own comment; API 404 and 500 in HTML ---------------------------------------------


def test_11_the_server_error_page_shows_no_template_comment_and_the_api_answers_json(world, settings, monkeypatch):
    from unittest import mock

    settings.DEBUG = False
    browser = client_for(world, "hr_lead")
    browser.raise_request_exception = False
    monkeypatch.setattr("org.views.org_unit_tree_rows", mock.Mock(side_effect=RuntimeError("bug")))
    page = browser.get("/")
    assert page.status_code == 500
    assert "{#" not in page.content.decode()
    missing = browser.get("/api/v1/nothing/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Not found.", "code": "not_found"}
    monkeypatch.setattr("org.api.views.PersonListView.get_queryset", mock.Mock(side_effect=RuntimeError("bug")))
    broken = browser.get("/api/v1/people/")
    assert broken.status_code == 500
    assert broken.json()["code"] == "server_error"


# --- 12. a Windows-1252 CSV stored as mojibake ---------------------------------------------------------------------


def test_12_a_windows_1252_csv_is_refused_naming_the_encodings_accepted(world):
    data = "external_id,name,org_unit,role,hire_date\nE77,Renée,T1,sales_rep,2024-01-01\n".encode("cp1252")
    answer = upload(world, data, "people.csv")
    assert answer.status_code == 400
    message = answer.json()["errors"][0]["message"]
    assert "UTF-8" in message
    assert "GB18030/GBK" in message
    assert not Person.objects.filter(external_id="E77").exists()


# --- 13. other scripts' digits taken as numbers; fact dates far ahead ----------------------------------------------


def test_13_arabic_indic_digits_and_a_date_years_ahead_are_row_errors(world):
    lead = {"external_id": "L1", "org_unit": "T1", "created_on": "2026-01-05", "is_qualified": True}
    far = {**lead, "external_id": "L2", "created_on": f"{timezone.localdate().year + 3}-01-05"}
    digits = {**lead, "external_id": "L3", "created_on": "٢٠٢٦-٠١-٠٥"}
    answer = api(world).post("/api/v1/ingest/leads/", [lead, far, digits], content_type="application/json")
    assert answer.status_code == 400
    errors = {(error["row"], error["field"]): error["message"] for error in answer.json()["errors"]}
    assert set(errors) == {(2, "created_on"), (3, "created_on")}
    assert "more than a year ahead" in errors[(2, "created_on")]
    assert "digits of another script" in errors[(3, "created_on")]


# --- 14. password-reset requests are not rate-limited -----------------------------------------------------------


def test_14_password_reset_requests_are_limited(world, settings, monkeypatch, throttle_cache, mailoutbox):
    _rates(settings, monkeypatch, password_reset_address="3/hour")
    answers = [
        Client().post("/accounts/password_reset/", {"email": f"p{i}@example.com"}, REMOTE_ADDR="192.0.2.20")
        for i in range(4)
    ]
    assert [answer.status_code for answer in answers] == [302, 302, 302, 429]
    assert "Too many password reset requests" in answers[3].content.decode()


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
