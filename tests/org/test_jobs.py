"""Recompute jobs in eager mode: start, status, failure, the one-at-a-time lock, abandoned jobs, schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.test import APIClient

from acquisition_hr.celery import app as celery_app
from org import jobs, platform
from org.choices import JobKind, JobStatus, TokenScope
from org.models import Job, OrgUnitStat
from org.tasks import nightly_recompute_task

RECOMPUTE = "/api/v1/jobs/recompute/"


@pytest.fixture(autouse=True)
def _eager_celery():
    """Run tasks in-process even when REDIS_URL is set for the suite (the worker test covers the real thing)."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """The test transaction never commits, so run the on-commit hooks (the task enqueue) by hand."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def temporary_step():
    """Register nightly steps for one test and remove them afterwards."""
    added: list[str] = []

    def register(name: str, func, *, order: int, needs=(), parts=None, run_part=None, finish=None):
        jobs.nightly_step(name, label=name, order=order, needs=needs, parts=parts, run_part=run_part, finish=finish)(
            func
        )
        added.append(name)

    yield register
    for name in added:
        platform.NIGHTLY_STEPS.discard(name)


def _start(client, run_on_commit):
    with run_on_commit():
        return client.post(RECOMPUTE)


def _age(job: Job, *, hours: float, heartbeat: bool) -> None:
    then = timezone.now() - dt.timedelta(hours=hours)
    Job.objects.filter(pk=job.pk).update(created_at=then, heartbeat_at=then if heartbeat else None)


# --- the happy path ----------------------------------------------------------------------


def test_recompute_returns_202_and_has_finished_in_embedded_mode(transactional_db, write_client, integrator, people):
    # when (a real commit, as in the embedded mode: the task runs in-process before the answer)
    response = write_client.post(RECOMPUTE)
    # then the 202 already carries the finished job
    assert response.status_code == 202
    body = response.json()
    assert isinstance(body["id"], int)
    assert body["status"] == JobStatus.SUCCEEDED
    # and its detail shows timings, progress and every step
    detail = write_client.get(f"/api/v1/jobs/{body['id']}/").json()
    assert detail["status"] == "succeeded"
    assert detail["progress"] == 1.0
    assert detail["error"] == ""
    assert detail["started_by"] == "integrator"
    assert detail["trigger"] == "api"
    started = dt.datetime.fromisoformat(detail["started_at"])
    finished = dt.datetime.fromisoformat(detail["finished_at"])
    assert dt.datetime.fromisoformat(detail["created_at"]) <= started <= finished
    names = [step["name"] for step in detail["steps"]]
    assert names == [step.name for step in jobs.nightly_steps()]
    assert names[0] == "org_unit_stats"
    assert all(step["status"] == "succeeded" and step["seconds"] >= 0 for step in detail["steps"])
    assert detail["steps"][0]["result"] == {"units": 8}


def test_org_unit_stats_step_counts_heads_per_subtree(people, org_tree):
    # given P1 in T1, P2 in T2, P3 in T3, P4 in SERVICE, and P5 who has left T1
    from org.models import Person

    Person.objects.create(
        external_id="P5",
        name="Gone",
        org_unit=org_tree["T1"],
        role="sales_rep",
        hire_date=dt.date(2020, 1, 1),
        exit_date=dt.date(2021, 1, 1),
    )
    # when
    jobs.org_unit_stats_compute()
    # then head counts cover the whole subtree of active people only
    stats = {s.org_unit.code: (s.headcount, s.direct_headcount, s.unit_count) for s in OrgUnitStat.objects.all()}
    assert stats == {
        "ACME": (4, 0, 8),
        "SALES": (3, 0, 6),
        "SERVICE": (1, 1, 1),
        "EAST": (2, 0, 3),
        "WEST": (1, 0, 2),
        "T1": (1, 1, 1),
        "T2": (1, 1, 1),
        "T3": (1, 1, 1),
    }


# --- failure -----------------------------------------------------------------------------


def test_a_step_that_raises_fails_the_job_with_its_error(
    write_client, people, run_on_commit, temporary_step, django_assert_max_num_queries
):
    # given a step after the head counts that first writes, then raises
    def explode(job):
        OrgUnitStat.objects.all().delete()
        raise RuntimeError("the warehouse is on fire")

    temporary_step("explode", explode, order=15)
    # when
    response = _start(write_client, run_on_commit)
    # then the job has failed, naming the step and the error
    assert response.status_code == 202
    detail = write_client.get(f"/api/v1/jobs/{response.json()['id']}/").json()
    assert detail["status"] == "failed"
    assert detail["error"] == "explode: RuntimeError: the warehouse is on fire"
    assert detail["finished_at"] is not None
    by_name = {step["name"]: step["status"] for step in detail["steps"]}
    assert by_name["org_unit_stats"] == "succeeded"
    assert by_name["explode"] == "failed"
    # and no step needs it, so every later step still ran
    later = [step.name for step in jobs.nightly_steps() if step.order > 15]
    assert {by_name[name] for name in later} == {"succeeded"}
    # and the failing step's own writes were rolled back, the earlier step's kept
    assert OrgUnitStat.objects.count() == 8
    # and the lock is released: the next recompute may start
    assert _start(write_client, run_on_commit).status_code == 202


# --- one at a time -----------------------------------------------------------------------


@pytest.mark.parametrize("active_status", [JobStatus.QUEUED, JobStatus.RUNNING])
def test_second_recompute_while_one_is_active_answers_409_with_that_job(
    write_client, org_tree, run_on_commit, active_status
):
    # given a job that is queued or running
    active = Job.objects.create(kind=JobKind.RECOMPUTE, status=active_status, heartbeat_at=timezone.now())
    # when another recompute is asked for
    response = _start(write_client, run_on_commit)
    # then the answer is 409 with the active job, and no second job exists
    assert response.status_code == 409
    body = response.json()
    assert body["id"] == active.pk
    assert body["status"] == active_status
    assert body["detail"]
    assert Job.objects.count() == 1


def test_the_database_refuses_two_active_jobs_of_a_kind(db):
    Job.objects.create(kind=JobKind.RECOMPUTE, status=JobStatus.RUNNING)
    Job.objects.create(kind=JobKind.RECOMPUTE, status=JobStatus.SUCCEEDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=JobKind.RECOMPUTE, status=JobStatus.QUEUED)


def test_a_duplicate_delivery_of_the_task_is_a_no_op(write_client, org_tree, run_on_commit):
    job_id = _start(write_client, run_on_commit).json()["id"]
    before = Job.objects.values().get(pk=job_id)
    assert jobs.job_run(job_id) is None
    assert Job.objects.values().get(pk=job_id) == before


# --- abandoned jobs ----------------------------------------------------------------------


def test_a_stale_running_job_is_failed_and_a_new_one_starts(write_client, org_tree, run_on_commit):
    # given a running job whose worker died two hours ago (limit: one hour)
    assert django_settings.JOB_STALE_AFTER_SECONDS == 3600
    dead = Job.objects.create(kind=JobKind.RECOMPUTE, status=JobStatus.RUNNING)
    _age(dead, hours=2, heartbeat=True)
    # when a recompute is asked for
    response = _start(write_client, run_on_commit)
    # then the dead job is marked failed and a new one ran
    assert response.status_code == 202
    assert response.json()["id"] != dead.pk
    assert Job.objects.get(pk=response.json()["id"]).status == JobStatus.SUCCEEDED
    dead.refresh_from_db()
    assert dead.status == JobStatus.FAILED
    assert "3600" in dead.error
    assert dead.finished_at is not None


def test_a_long_queued_job_is_failed_and_its_late_task_does_nothing(write_client, org_tree, run_on_commit):
    # given a job queued two hours ago that no worker picked up
    lost = Job.objects.create(kind=JobKind.RECOMPUTE, status=JobStatus.QUEUED)
    _age(lost, hours=2, heartbeat=False)
    # when a new recompute starts, and later the lost job's task arrives after all
    assert _start(write_client, run_on_commit).status_code == 202
    assert jobs.job_run(lost.pk) is None
    # then the lost job stays failed
    lost.refresh_from_db()
    assert lost.status == JobStatus.FAILED


def test_a_running_job_with_a_recent_heartbeat_is_not_stale(write_client, org_tree, run_on_commit):
    # given a long job (queued two hours ago) that reported progress a minute ago
    busy = Job.objects.create(kind=JobKind.RECOMPUTE, status=JobStatus.RUNNING)
    Job.objects.filter(pk=busy.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=2), heartbeat_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert _start(write_client, run_on_commit).status_code == 409
    busy.refresh_from_db()
    assert busy.status == JobStatus.RUNNING


def test_a_job_marked_abandoned_mid_run_stops_and_stays_failed(write_client, org_tree, run_on_commit, temporary_step):
    # given a step during which the job is declared abandoned (as a second caller would after a long pause)
    ran: list[str] = []

    def declared_dead(job):
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="Abandoned")

    temporary_step("declared_dead", declared_dead, order=11)
    temporary_step("after", lambda job: ran.append("after"), order=12)
    # when
    job_id = _start(write_client, run_on_commit).json()["id"]
    # then the runner stops at the next heartbeat and does not overwrite the outcome
    job = Job.objects.get(pk=job_id)
    assert (job.status, job.error) == (JobStatus.FAILED, "Abandoned")
    assert ran == []


# --- who may see jobs --------------------------------------------------------------------


def test_job_detail_access(write_client, read_client, east_manager, people, run_on_commit):
    job_id = _start(write_client, run_on_commit).json()["id"]
    # a read token of the integrator may follow it
    assert read_client.get(f"/api/v1/jobs/{job_id}/").status_code == 200
    # a manager (no org.view_job, did not start it) does not see it
    manager = APIClient()
    manager.force_authenticate(east_manager)
    assert manager.get(f"/api/v1/jobs/{job_id}/").status_code == 404
    # no credentials: 401; an unknown id: 404
    assert APIClient().get(f"/api/v1/jobs/{job_id}/").status_code == 401
    assert read_client.get(f"/api/v1/jobs/{job_id + 1000}/").status_code == 404


def test_hr_lead_can_start_a_job_from_the_browser_session(hr_lead, org_tree, run_on_commit):
    client = APIClient(enforce_csrf_checks=False)
    client.force_authenticate(hr_lead)
    response = _start(client, run_on_commit)
    assert response.status_code == 202
    assert Job.objects.get().started_by == hr_lead


def test_a_manager_token_with_write_scope_cannot_start_a_job(token_client, east_manager, run_on_commit):
    assert _start(token_client(TokenScope.WRITE, user=east_manager), run_on_commit).status_code == 403
    assert not Job.objects.exists()


# --- the nightly schedule ----------------------------------------------------------------


def test_nightly_task_queues_and_runs_a_recompute(org_tree, run_on_commit):
    with run_on_commit():
        nightly_recompute_task.delay()
    job = Job.objects.get()
    assert (job.trigger, job.status, job.started_by) == ("nightly", JobStatus.SUCCEEDED, None)


def test_nightly_task_leaves_an_active_job_alone(org_tree, run_on_commit):
    active = Job.objects.create(kind=JobKind.RECOMPUTE, status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    with run_on_commit():
        nightly_recompute_task.delay()
    assert list(Job.objects.values_list("pk", flat=True)) == [active.pk]


def test_every_scheduled_task_is_registered_and_expires_before_the_next_run():
    celery_app.loader.import_default_modules()
    for entry in django_settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks
        assert entry["options"]["expires"] < 24 * 3600


def test_nightly_steps_run_in_registry_order():
    steps = jobs.nightly_steps()
    assert [step.order for step in steps] == sorted(step.order for step in steps)
    assert len({step.name for step in steps}) == len(steps)
    assert "org_unit_stats" in {step.name for step in steps}


# --- steps that need others --------------------------------------------------------------------------------------


def test_a_failed_step_skips_the_steps_that_need_it_directly_or_through_others(
    write_client, org_tree, run_on_commit, temporary_step
):
    # given a step that fails, one that needs it, one that needs that one, and one that needs neither
    def broken(job):
        raise ValueError("bad row 7")

    temporary_step("broken", broken, order=11)
    temporary_step("reader", lambda job: {"read": 1}, order=12, needs=["broken"])
    temporary_step("reader_of_reader", lambda job: None, order=13, needs=["reader"])
    temporary_step("bystander", lambda job: {"ok": True}, order=14, needs=["org_unit_stats"])
    # when
    detail = write_client.get(f"/api/v1/jobs/{_start(write_client, run_on_commit).json()['id']}/").json()
    # then
    steps = {step["name"]: step for step in detail["steps"]}
    assert detail["status"] == "failed"
    assert detail["error"] == "broken: ValueError: bad row 7"
    assert steps["broken"]["status"] == "failed"
    assert steps["broken"]["error"] == "broken: ValueError: bad row 7"
    assert (steps["reader"]["status"], steps["reader"]["blocked_by"]) == ("skipped", ["broken"])
    assert (steps["reader_of_reader"]["status"], steps["reader_of_reader"]["blocked_by"]) == ("skipped", ["reader"])
    assert steps["bystander"] == {**steps["bystander"], "status": "succeeded", "result": {"ok": True}}
    assert detail["progress"] == 1.0
    assert detail["current_step"] == ""


@pytest.fixture
def fan_step(temporary_step):
    """A fanned-out step of three parts whose part ``b`` fails, and a step after it that does not need it."""
    finished = []

    def run_part(job, key):
        if key == "b":
            raise RuntimeError(f"part {key} broke\nwith details")
        return {"key": key}

    temporary_step(
        "fan",
        lambda job: None,
        order=11,
        parts=lambda job: ["a", "b", "c"],
        run_part=run_part,
        finish=lambda job, tasks: finished.append(len(tasks)) or {"parts": len(tasks)},
    )
    temporary_step("after_fan", lambda job: {"after": True}, order=12)
    return finished


def _part_states(job_id: int) -> dict:
    from org.models import JobTask

    return dict(JobTask.objects.filter(job_id=job_id, step="fan").values_list("key", "status"))


def test_a_failed_part_fails_its_step_once_the_others_ran_and_the_job_goes_on(org_tree, fan_step):
    # when the job runs its parts in this process (the embedded mode)
    job, _created = jobs.job_start_recompute(trigger="api")
    jobs.job_run(job.pk)
    job.refresh_from_db()
    # then the other parts ran, the step failed without its finish, and the next step ran
    steps = {step["name"]: step for step in job.steps}
    assert _part_states(job.pk) == {"a": "succeeded", "b": "failed", "c": "succeeded"}
    assert steps["fan"]["status"] == "failed"
    assert steps["fan"]["error"] == "fan/b: RuntimeError: part b broke"
    assert fan_step == []
    assert steps["after_fan"]["status"] == "succeeded"
    assert job.status == JobStatus.FAILED
    assert job.error == "fan/b: RuntimeError: part b broke"


def test_parts_on_workers_the_last_one_moves_the_job_on_after_a_failed_part(org_tree, fan_step, monkeypatch):
    # given parts that go to the queue (recorded here, run below as workers would run them)
    from org import tasks

    sent = []
    monkeypatch.setattr(jobs, "_fan_out_enabled", lambda: True)
    monkeypatch.setattr(tasks.job_part_task, "delay", lambda *args: sent.append(args))
    job, _created = jobs.job_start_recompute(trigger="api")
    jobs.job_run(job.pk, fan_out=True)
    assert [key for _job, _step, key in sent] == ["a", "b", "c"]
    # when the workers run them, the failing one in the middle
    with monkeypatch.context() as patch:
        patch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
        for job_id, step, key in sent:
            jobs.job_part_run(job_id, step, key, worker=f"w-{key}")
    # then the step failed once all three had run, and the job went on to the end
    job.refresh_from_db()
    steps = {step["name"]: step for step in job.steps}
    assert _part_states(job.pk) == {"a": "succeeded", "b": "failed", "c": "succeeded"}
    assert steps["fan"]["status"] == "failed"
    assert steps["fan"]["error"] == "fan/b: RuntimeError: part b broke"
    assert steps["after_fan"]["status"] == "succeeded"
    assert job.status == JobStatus.FAILED
    assert fan_step == []
