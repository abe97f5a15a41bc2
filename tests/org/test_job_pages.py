"""The jobs pages at /org/jobs/: who may see them, the timings they show, the failure text, "Recompute now"."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from acquisition_hr.celery import app as celery_app
from org.choices import JobKind, JobStatus
from org.job_views import duration_text
from org.jobs import nightly_steps
from org.models import Job
from tests.conftest import flat, make_user

LIST = "/org/jobs/"
START = "/org/jobs/recompute/"
T0 = dt.datetime(2026, 3, 1, 2, 0, 0, tzinfo=dt.UTC)  # 10:00:00 in Asia/Shanghai, the pages' time zone


@pytest.fixture(autouse=True)
def _eager_celery():
    """Run the recompute in-process even when REDIS_URL is set for the suite."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


@pytest.fixture
def hr_client(client, hr_lead):
    client.force_login(hr_lead)
    client.cookies["django_language"] = "en"
    return client


def make_job(
    *,
    status: str = JobStatus.SUCCEEDED,
    queued: dt.datetime = T0,
    wait: float = 5,
    seconds: float | None = None,
    steps: list[dict] | None = None,
    error: str = "",
    user=None,
    trigger: str = "nightly",
    progress: float | None = None,
) -> Job:
    """A job row as the pipeline would leave it: queued, claimed ``wait`` s later, finished after ``seconds``."""
    started = queued + dt.timedelta(seconds=wait) if status != JobStatus.QUEUED else None
    finished = started + dt.timedelta(seconds=seconds) if started is not None and seconds is not None else None
    job = Job.objects.create(
        kind=JobKind.RECOMPUTE,
        status=status,
        steps=steps or [],
        error=error,
        started_by=user,
        trigger=trigger,
        started_at=started,
        finished_at=finished,
        progress=1.0 if progress is None and status == JobStatus.SUCCEEDED else progress or 0.0,
    )
    Job.objects.filter(pk=job.pk).update(created_at=queued)
    job.refresh_from_db()
    return job


def done(**seconds: float) -> list[dict]:
    return [{"name": name, "status": "succeeded", "seconds": value} for name, value in seconds.items()]


def cells(html: str, row_attr: str) -> list[str]:
    """The text of the cells of the table row carrying ``row_attr`` (e.g. ``data-job="3"``)."""
    match = re.search(rf"<tr {re.escape(row_attr)}>(.*?)</tr>", html, re.S)
    assert match, f"no row {row_attr}"
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", match.group(1), re.S)
    ]


# --- who may see and start ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "superuser", "expected"),
    [
        ("hr_lead", False, 200),
        ("integrator", False, 200),
        (None, True, 200),
        ("manager", False, 403),
        ("program_member", False, 403),
    ],
)
def test_who_may_see_the_pages(client, org_tree, role, superuser, expected):
    job = make_job(seconds=3)
    client.force_login(make_user("someone", role, superuser=superuser, unit=org_tree["EAST"] if role else None))
    assert client.get(LIST).status_code == expected
    assert client.get(f"/org/jobs/{job.pk}/").status_code == expected


def test_managers_may_not_start_a_recompute(client, east_manager):
    client.force_login(east_manager)
    assert client.post(START).status_code == 403
    assert not Job.objects.exists()


@pytest.mark.parametrize("url", [LIST, "/org/jobs/1/", START])
def test_anonymous_visitors_are_sent_to_the_login(client, db, url):
    answer = client.post(url) if url == START else client.get(url)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("login"))


def test_starting_needs_a_post(hr_client):
    assert hr_client.get(START).status_code == 405


def test_an_unknown_job_is_not_found(hr_client):
    assert hr_client.get("/org/jobs/999999/").status_code == 404


def test_the_home_page_links_the_jobs_for_those_who_may_see_them(client, hr_lead, east_manager):
    client.force_login(hr_lead)
    assert 'id="jobs-link"' in client.get("/").content.decode()
    client.force_login(east_manager)
    assert 'id="jobs-link"' not in client.get("/").content.decode()


# --- what the list shows -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "—"),
        (0.125, "0.12 s"),
        (9.999, "10.00 s"),
        (12.5, "12.5 s"),
        (59.94, "59.9 s"),
        (75, "1 min 15 s"),
        (3599.4, "59 min 59 s"),
        (7500, "2 h 05 min"),
    ],
)
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text


def test_the_list_shows_each_run_with_its_times_duration_status_and_error(hr_client, hr_lead):
    # given a nightly run of 75 s, a manual one of 12.5 s, a failed API run and a queued one
    nightly = make_job(queued=T0, wait=5, seconds=75)
    manual = make_job(queued=T0 + dt.timedelta(hours=1), wait=0.5, seconds=12.5, user=hr_lead, trigger="manual")
    failed = make_job(
        status=JobStatus.FAILED,
        queued=T0 + dt.timedelta(hours=2),
        wait=1,
        seconds=7500,
        trigger="api",
        user=hr_lead,
        error="\nindicator_values: ValueError: the period is empty\nTraceback (most recent call last):\n  ...",
    )
    queued = make_job(status=JobStatus.QUEUED, queued=T0 + dt.timedelta(hours=3), trigger="api")

    # when
    answer = hr_client.get(LIST)

    # then every run has a row, newest first
    assert answer.status_code == 200
    html = answer.content.decode()
    assert re.findall(r'<tr data-job="(\d+)">', html) == [str(j.pk) for j in (queued, failed, manual, nightly)]
    assert cells(html, f'data-job="{nightly.pk}"') == [
        f"#{nightly.pk}",
        "Nightly schedule",
        "—",
        "2026-03-01 10:00:00",
        "2026-03-01 10:00:05",
        "2026-03-01 10:01:20",
        "1 min 15 s",
        "Succeeded",
        "",
    ]
    assert 'data-seconds="75.000"' in html
    assert cells(html, f'data-job="{manual.pk}"')[1:8] == [
        "Recompute now (page)",
        "hr",
        "2026-03-01 11:00:00",
        "2026-03-01 11:00:00",
        "2026-03-01 11:00:13",
        "12.5 s",
        "Succeeded",
    ]
    assert 'data-seconds="12.500"' in html
    # the failed run: its duration, the red badge and only the first line of its error
    failed_cells = cells(html, f'data-job="{failed.pk}"')
    assert failed_cells[6:] == ["2 h 05 min", "Failed", "indicator_values: ValueError: the period is empty"]
    assert "Traceback" not in html
    assert 'class="badge bad job-status"' in html
    # the queued run has neither start nor end, and is offered as the active job
    assert cells(html, f'data-job="{queued.pk}"')[4:8] == ["—", "—", "—", "Queued"]
    assert f'href="/org/jobs/{queued.pk}/">Follow its progress' in html
    # an HR lead may start a run from here
    assert 'id="recompute-now"' in html


def test_step_timings_over_the_last_ten_successful_runs(hr_client):
    # given, oldest first: one old slow run that falls out of the window, nine runs of
    # org_unit_stats 2 s / indicator_values 10 s, then the latest with org_unit_stats at 6 s;
    # a failed run in between does not count
    make_job(queued=T0 - dt.timedelta(days=30), seconds=500, steps=done(org_unit_stats=400, indicator_values=100))
    for day in range(9):
        make_job(queued=T0 + dt.timedelta(days=day), seconds=12, steps=done(org_unit_stats=2, indicator_values=10))
    make_job(
        status=JobStatus.FAILED,
        queued=T0 + dt.timedelta(days=9),
        seconds=1,
        steps=[{"name": "org_unit_stats", "status": "failed", "seconds": 99}],
        error="org_unit_stats: boom",
    )
    make_job(queued=T0 + dt.timedelta(days=10), seconds=17, steps=done(org_unit_stats=6, indicator_values=10))

    # when
    html = hr_client.get(LIST).content.decode()

    # then (step, runs, average, last, average before it, change): (9 × 2 + 6) / 10 = 2.4 s and
    # 6 s against 2 s before is +200 %, flagged slower; indicator_values did not change
    assert cells(html, 'data-step="org_unit_stats"') == [
        "Head counts per org unit org_unit_stats",
        "10",
        "2.40 s",
        "6.00 s",
        "2.00 s",
        "+200 % slower",
    ]
    assert cells(html, 'data-step="indicator_values"') == [
        "Indicator values indicator_values",
        "10",
        "10.0 s",
        "10.0 s",
        "10.0 s",
        "0 %",
    ]
    # whole runs: (9 × 12 + 17) / 10 = 12.5 s; 17 s against 12 s is +42 %, below the 1.5× mark
    assert cells(html, 'id="total-timing"') == ["Whole run", "10", "12.5 s", "17.0 s", "12.0 s", "+42 %"]
    assert re.search(r'id="average-duration">12.5 s<', html)
    assert re.search(r'id="last-duration">17.0 s<', html)


def test_an_empty_list_says_how_runs_start(hr_client):
    html = hr_client.get(LIST).content.decode()
    assert 'id="no-jobs"' in html
    assert 'id="step-timings"' not in html


def test_the_list_query_count_does_not_grow_with_the_runs(hr_client, hr_lead, django_assert_max_num_queries):
    # given 30 runs, each started by a login and with every step timed
    names = [step.name for step in nightly_steps()]
    for index in range(30):
        make_job(
            queued=T0 + dt.timedelta(hours=index),
            seconds=20 + index,
            user=hr_lead if index % 2 else make_user(f"user{index}", "hr_lead"),
            trigger="manual",
            steps=done(**{name: 1.0 + index for name in names}),
        )
    # when / then
    with django_assert_max_num_queries(10):
        answer = hr_client.get(LIST)
    assert answer.status_code == 200
    assert len(re.findall(r'<tr data-job="\d+">', answer.content.decode())) == 30


# --- one run's page -------------------------------------------------------------------------


def test_a_failed_run_shows_its_steps_and_the_failure_text(hr_client):
    error = "indicator_values: ValueError: the period is empty\nTraceback (most recent call last):\n  File x"
    job = make_job(
        status=JobStatus.FAILED,
        seconds=4,
        progress=0.5,
        steps=[
            {"name": "org_unit_stats", "status": "succeeded", "seconds": 1.0, "result": {"units": 8}},
            {"name": "indicator_values", "status": "failed", "seconds": 2.5},
            {"name": "customer_ltv", "status": "pending"},
        ],
        error=error,
    )
    html = flat(hr_client.get(f"/org/jobs/{job.pk}/").content.decode())
    assert re.search(r'id="job-status" data-status="failed">Failed<', html)
    assert "Traceback (most recent call last):" in html  # the whole text, not only its first line
    assert 'id="job-failure" aria-labelledby="failure-title">' in flat(html)  # not hidden
    assert cells(html, 'data-step="org_unit_stats"')[1:4] + cells(html, 'data-step="org_unit_stats"')[6:] == [
        "Head counts per org unit",
        "Succeeded",
        "1.00 s",
        "8 org units",
    ]
    assert cells(html, 'data-step="indicator_values"')[2:4] == ["Failed", "2.50 s"]
    assert cells(html, 'data-step="customer_ltv"')[2:4] == ["Pending", ""]
    # bars: the longest step fills its track, the others in proportion
    assert 'class="job-bar step-bar failed" style="width: 100.0%"' in html
    assert 'class="job-bar step-bar succeeded" style="width: 40.0%"' in html
    assert re.search(r'id="job-duration">4.00 s<', html)
    assert re.search(r'id="job-progress-text" class="num">50 %<', html)
    # a finished run is not polled
    config = json.loads(re.search(r'<script id="job-config" type="application/json">(.*?)</script>', html).group(1))
    assert config["active"] is False


def test_a_running_run_is_followed_through_the_api(hr_client, hr_lead):
    job = make_job(
        status=JobStatus.RUNNING,
        progress=0.25,
        steps=[
            {"name": "org_unit_stats", "status": "succeeded", "seconds": 1.0},
            {"name": "indicator_values", "status": "running"},
        ],
    )
    Job.objects.filter(pk=job.pk).update(current_step="indicator_values")
    html = hr_client.get(f"/org/jobs/{job.pk}/").content.decode()
    config = json.loads(re.search(r'<script id="job-config" type="application/json">(.*?)</script>', html).group(1))
    assert config["active"] is True
    assert config["url"] == f"/api/v1/jobs/{job.pk}/"
    assert config["interval"] == 2000
    assert config["stepLabels"]["indicator_values"] == "Indicator values"
    assert config["statuses"]["succeeded"] == "Succeeded"
    assert re.search(r'id="job-current-step">Indicator values<', html)
    assert 'src="/static/js/jobs.js"' in html
    assert 'id="job-failure" aria-labelledby="failure-title" hidden>' in flat(html)
    # the endpoint the script polls answers to the page's session
    answer = hr_client.get(config["url"])
    assert answer.status_code == 200
    assert answer.json()["status"] == "running"


# --- Recompute now ---------------------------------------------------------------------------


def test_recompute_now_starts_a_run_and_shows_it(hr_client, hr_lead, people, django_capture_on_commit_callbacks):
    # when (the enqueue runs on commit; in the embedded mode the run is done before the answer)
    with django_capture_on_commit_callbacks(execute=True):
        answer = hr_client.post(START)

    # then the new run, started by the HR lead from the page, has finished every step
    job = Job.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == f"/org/jobs/{job.pk}/"
    assert (job.status, job.trigger, job.started_by, job.progress) == (JobStatus.SUCCEEDED, "manual", hr_lead, 1.0)
    html = hr_client.get(answer["Location"]).content.decode()
    assert f"Recompute job #{job.pk} started." in html
    assert re.search(r'id="job-status" data-status="succeeded">Succeeded<', flat(html))
    shown = re.findall(r'<tr data-step="([\w-]+)">', html)
    assert shown == [step.name for step in nightly_steps()]


def test_recompute_now_while_a_run_is_active_shows_that_run(hr_client, django_capture_on_commit_callbacks):
    # given a run in progress (started a minute ago: older silent runs count as abandoned)
    now = timezone.now()
    active = make_job(status=JobStatus.RUNNING, queued=now, wait=0, progress=0.5, steps=done(org_unit_stats=1.0))
    Job.objects.filter(pk=active.pk).update(heartbeat_at=now)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        answer = hr_client.post(START, follow=True)

    # then no second run is queued and the page is the active run's
    assert list(Job.objects.values_list("pk", flat=True)) == [active.pk]
    assert answer.redirect_chain == [(f"/org/jobs/{active.pk}/", 302)]
    html = answer.content.decode()
    assert f"A recompute is already queued or running: job #{active.pk} is shown instead." in html
    assert re.search(r'id="job-status" data-status="running">Running<', flat(html))
