"""Requests to the served site (gunicorn) while its PostgreSQL or Redis is stopped, and after they are back.

Database down: pages answer 503 with a page naming the database, in the visitor's language; the API answers
503 JSON; nothing shows a traceback; once PostgreSQL is back the same requests succeed.
Redis down: the cache reads as empty, so the cached dashboard and API reads still answer 200; starting a
recompute answers a clear 503 (API) or an error message on the job's page, and the job is marked failed
instead of left queued; once Redis is back a recompute is queued again.
"""

from __future__ import annotations

import re
import time

import pytest
import redis
import requests

from org.demo import DEFAULT_PASSWORD

from .conftest import WEB_QUEUE

DB_TITLE = {"en": "The database is unavailable", "zh-hans": "数据库暂不可用"}
QUEUE_TITLE = {"en": "The job queue is unavailable", "zh-hans": "任务队列暂不可用"}


@pytest.fixture(scope="module")
def hr(stack):
    """A browser session of the demo HR lead, logged in through the login page."""
    session = requests.Session()
    login = f"{stack.base_url}/accounts/login/"
    session.get(login, timeout=30).raise_for_status()
    response = session.post(
        login,
        data={"username": "hr", "password": DEFAULT_PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
        headers={"Referer": login},
        timeout=30,
    )
    assert response.status_code == 200, response.text[:500]
    assert "sessionid" in session.cookies
    return session


@pytest.fixture(scope="module")
def api(stack):
    """GET/POST against the API with the integrator's write token, in a language: ``api("get", path, "en")``."""

    def call(method: str, path: str, language: str = "en") -> requests.Response:
        headers = {"Authorization": f"Token {stack.token}", "Accept-Language": language}
        return requests.request(method, f"{stack.base_url}{path}", headers=headers, timeout=30)

    return call


def page(stack, session: requests.Session, path: str, language: str = "en", **kwargs) -> requests.Response:
    session.cookies.set("django_language", language)
    return session.get(f"{stack.base_url}{path}", timeout=30, **kwargs)


def test_database_down_answers_503_pages_and_api_errors_then_recovers(stack, hr, api):
    # given everything is up
    assert page(stack, hr, "/org/jobs/").status_code == 200
    assert api("get", "/api/v1/org-units/").status_code == 200

    # when PostgreSQL stops
    stack.cluster.stop("fast")
    try:
        # then a page answers 503 with a page saying so, in the visitor's language, without a traceback
        for language in ("en", "zh-hans"):
            response = page(stack, hr, "/org/jobs/", language)
            assert response.status_code == 503, stack.web_log()
            assert response.headers["Content-Type"].startswith("text/html")
            assert response.headers["Retry-After"] == "30"
            assert DB_TITLE[language] in response.text
            assert "Traceback" not in response.text
            assert "OperationalError" not in response.text
        # and the API answers 503 JSON naming the database
        for language in ("en", "zh-hans"):
            response = api("get", "/api/v1/org-units/", language)
            assert response.status_code == 503, response.text[:500]
            body = response.json()
            assert body["code"] == "database_unavailable"
            assert body["detail"].startswith(
                {"en": "The database cannot be reached right now", "zh-hans": "当前无法连接数据库"}[language]
            )
    finally:
        # when PostgreSQL is back
        stack.cluster.start()

    # then the same requests succeed again
    response = page(stack, hr, "/org/jobs/")
    assert response.status_code == 200, stack.web_log()
    assert DB_TITLE["en"] not in response.text
    assert api("get", "/api/v1/org-units/").status_code == 200


def _csrf(response: requests.Response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def _active_jobs(stack) -> list[tuple]:
    return stack.cluster.execute("SELECT id, status FROM org_job WHERE status IN ('queued', 'running')", "web")


def test_redis_down_pages_still_answer_and_a_recompute_fails_clearly_then_recovers(stack, hr, api):
    # given the dashboard was served and cached, and no recompute is active
    assert page(stack, hr, "/performance/dashboard/").status_code == 200
    cached = page(stack, hr, "/performance/dashboard/")
    assert cached.status_code == 200
    assert not _active_jobs(stack)

    # when Redis dies
    stack.redis.kill()
    try:
        # then the cached dashboard is computed again instead (the cache reads as empty), and API reads answer
        response = page(stack, hr, "/performance/dashboard/")
        assert response.status_code == 200, stack.web_log()
        assert re.search(r"<title>[^<]+</title>", response.text).group(0) == re.search(
            r"<title>[^<]+</title>", cached.text
        ).group(0)
        assert api("get", "/api/v1/indicator-values/?indicator=win_rate&period=year").status_code == 200
        assert api("get", "/api/v1/org-units/").status_code == 200

        # when a recompute is asked for through the API
        began = time.monotonic()
        response = api("post", "/api/v1/jobs/recompute/")
        # then it answers 503 naming the queue, with the job that could not be queued, marked failed
        assert response.status_code == 503, response.text[:500]
        assert time.monotonic() - began < 15
        body = response.json()
        assert body["code"] == "queue_unavailable"
        assert body["detail"].startswith("The job queue cannot be reached right now")
        assert body["job"]["status"] == "failed"
        job = api("get", f"/api/v1/jobs/{body['job']['id']}/").json()
        assert job["status"] == "failed"
        assert job["error"].startswith("The job queue is unavailable: the job could not be queued.")

        # when "Recompute now" is pressed on the jobs page
        jobs_page = page(stack, hr, "/org/jobs/", "zh-hans")
        response = hr.post(
            f"{stack.base_url}/org/jobs/recompute/",
            data={"csrfmiddlewaretoken": _csrf(jobs_page)},
            headers={"Referer": f"{stack.base_url}/org/jobs/"},
            timeout=30,
        )
        # then the job's page shows it failed, with a message saying the queue cannot be reached
        assert response.status_code == 200, stack.web_log()
        assert re.search(r"/org/jobs/\d+/$", response.url), response.url
        assert "无法连接任务队列" in response.text
        assert "任务队列不可用：任务未能加入队列。" in response.text
        # and no job is left queued or running (it would block every later recompute)
        assert not _active_jobs(stack)
    finally:
        # when Redis is back
        stack.redis.start()

    # then a recompute is queued again and its task waits in Redis for a worker
    response = api("post", "/api/v1/jobs/recompute/")
    assert response.status_code == 202, response.text[:500]
    assert response.json()["status"] == "queued"
    broker = redis.Redis.from_url(stack.redis.url(0))
    try:
        assert broker.llen(WEB_QUEUE) == 1
    finally:
        broker.close()
    assert page(stack, hr, "/performance/dashboard/").status_code == 200
