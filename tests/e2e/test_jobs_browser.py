"""In Chromium: an HR lead starts a recompute from the jobs page and follows a run until it ends."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from acquisition_hr.celery import app as celery_app
from org.choices import JobKind, JobStatus
from org.jobs import nightly_steps
from org.models import Job
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _eager_celery():
    """The recompute runs in the live server's request, as in the embedded mode."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was_eager


def english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])


def test_recompute_now_reaches_succeeded_with_every_step(page, live_server, login, hr_lead, people):
    # given an HR lead on the jobs page, reached from the home page
    english(page, live_server)
    login(page, live_server, "hr", PASSWORD)
    with page.expect_navigation():
        page.click("#jobs-link")
    assert page.locator("h1").inner_text() == "Background jobs"
    assert page.locator("#no-jobs").is_visible()

    # when they click "Recompute now"
    with page.expect_navigation():
        page.click("#recompute-now")

    # then the run's page shows it succeeded, with every registered step listed and timed
    job = Job.objects.get()
    assert page.url == f"{live_server.url}/org/jobs/{job.pk}/"
    page.wait_for_selector('#job-status[data-status="succeeded"]')
    assert page.locator("#job-status").inner_text() == "Succeeded"
    assert page.locator("#job-progress-text").inner_text() == "100 %"
    rows = page.locator("#job-steps tbody tr")
    names = [step.name for step in nightly_steps()]
    assert [rows.nth(i).get_attribute("data-step") for i in range(rows.count())] == names
    assert page.locator("#job-steps .step-status").all_inner_texts() == ["Succeeded"] * len(names)
    assert all(text.endswith(" s") for text in page.locator("#job-steps .step-seconds").all_inner_texts())
    assert page.locator("#job-failure").is_hidden()
    assert f"Recompute job #{job.pk} started." in page.locator(".messages").inner_text()

    # and the list now has the run with its duration and a status badge
    page.click(".breadcrumbs >> text=Background jobs")
    page.wait_for_selector(f'#job-runs tr[data-job="{job.pk}"]')
    row = page.locator(f'#job-runs tr[data-job="{job.pk}"]')
    assert row.locator(".job-status").inner_text() == "Succeeded"
    assert row.locator(".job-duration").inner_text().endswith(" s")
    assert page.locator("#step-timings tbody tr").count() == len(names)


def test_the_page_follows_a_running_job_until_it_fails(page, live_server, login, hr_lead):
    # given a run that is working on its second step
    now = timezone.now()
    job = Job.objects.create(
        kind=JobKind.RECOMPUTE,
        status=JobStatus.RUNNING,
        trigger="nightly",
        started_at=now,
        heartbeat_at=now,
        progress=0.5,
        current_step="indicator_values",
        steps=[
            {"name": "org_unit_stats", "status": "succeeded", "seconds": 1.5, "result": {"units": 8}},
            {"name": "indicator_values", "status": "running"},
        ],
    )
    english(page, live_server)
    login(page, live_server, "hr", PASSWORD)
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "/api/v1/jobs/" in request.url else None)
    page.goto(f"{live_server.url}/org/jobs/{job.pk}/")
    assert page.locator("#job-status").inner_text() == "Running"
    assert page.locator("#job-current-step").inner_text() == "Indicator values"
    assert page.locator("#job-progress-text").inner_text() == "50 %"

    # when the worker moves on: the page shows it without a reload
    page.wait_for_function("() => document.querySelectorAll('#job-steps tbody tr').length === 2")
    Job.objects.filter(pk=job.pk).update(
        progress=0.75,
        steps=[
            {"name": "org_unit_stats", "status": "succeeded", "seconds": 1.5, "result": {"units": 8}},
            {"name": "indicator_values", "status": "succeeded", "seconds": 3.0},
            {"name": "customer_ltv", "status": "running"},
        ],
        current_step="customer_ltv",
    )
    page.wait_for_selector("#job-progress-text:text-is('75 %')")
    assert page.locator("#job-current-step").inner_text() == "Customer lifetime value"
    assert page.locator('tr[data-step="indicator_values"] .step-seconds').inner_text() == "3.00 s"
    assert page.locator('tr[data-step="customer_ltv"] .step-status').inner_text() == "Running"
    assert page.locator('tr[data-step="indicator_values"] .step-bar').evaluate("el => el.style.width") == "100%"
    assert page.locator('tr[data-step="org_unit_stats"] .step-bar').evaluate("el => el.style.width") == "50%"

    # and when it fails, the failure text appears and the polling stops
    finished = now + dt.timedelta(seconds=75)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        finished_at=finished,
        steps=[
            {"name": "org_unit_stats", "status": "succeeded", "seconds": 1.5, "result": {"units": 8}},
            {"name": "indicator_values", "status": "succeeded", "seconds": 3.0},
            {"name": "customer_ltv", "status": "failed", "seconds": 70.0},
        ],
        error="customer_ltv: ZeroDivisionError: division by zero\nTraceback (most recent call last): ...",
    )
    page.wait_for_selector('#job-status[data-status="failed"]')
    assert page.locator("#job-status").inner_text() == "Failed"
    assert page.locator("#job-failure").is_visible()
    assert page.locator("#job-error").inner_text().startswith("customer_ltv: ZeroDivisionError: division by zero")
    assert page.locator('tr[data-step="customer_ltv"] .step-seconds').inner_text() == "1 min 10 s"
    assert page.locator("#job-duration").inner_text() == "1 min 15 s"
    assert page.locator("#job-live").is_hidden()
    seen = len(polls)
    page.wait_for_timeout(4500)
    assert len(polls) == seen
