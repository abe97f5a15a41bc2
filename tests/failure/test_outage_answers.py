"""The outage answers in-process, without stopping servers (fast, and they run where the throwaway servers
cannot): which errors mean "unavailable", the 503 page and JSON, the cache that reads as empty, and a job the
queue refuses. ``test_request_outages.py`` and ``test_job_outages.py`` do the same with real servers stopped.
"""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from kombu.exceptions import OperationalError as QueueOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

from org.cache import TolerantRedisCache
from org.choices import JobStatus
from org.jobs import JobNotQueued, job_start_recompute
from org.models import Job
from org.unavailable import unavailable_service
from tests.conftest import make_user
from tests.failure.services import free_port


def _raised_from(cause: Exception) -> Exception:
    try:
        try:
            raise cause
        except Exception as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    ("error", "service"),
    [
        (OperationalError("connection refused"), "database"),
        (InterfaceError("connection already closed"), "database"),
        (QueueOperationalError("Error 111 connecting"), "queue"),
        (RedisConnectionError("Error 111 connecting"), "queue"),
        (_raised_from(OperationalError("gone")), "database"),
        (ValueError("a bug"), None),
        (None, None),
    ],
)
def test_which_errors_mean_a_service_is_unavailable(error, service):
    assert unavailable_service(error) == service


def test_the_cache_reads_as_empty_while_redis_cannot_be_reached():
    # given a cache pointing at a port nobody listens on
    cache = TolerantRedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_connect_timeout": 1}})
    # then reads miss, writes are dropped, and nothing raises
    assert cache.get("key", "default") == "default"
    assert cache.set("key", "value") is None
    assert cache.add("key", "value") is False
    assert cache.get_many(["key"]) == {}
    assert cache.delete("key") is False
    with pytest.raises(ValueError, match="unreachable"):
        cache.incr("counter")


def test_a_redis_error_that_is_not_an_outage_still_raises(monkeypatch):
    from redis.exceptions import ResponseError

    cache = TolerantRedisCache("redis://127.0.0.1:1/0", {})

    def wrong_type(*_args):
        raise ResponseError("WRONGTYPE")

    monkeypatch.setattr(type(cache._cache), "get", wrong_type)
    with pytest.raises(ResponseError):
        cache.get("key")


@pytest.fixture
def queue_down(monkeypatch):
    """``recompute_task.delay`` fails as Celery does when Redis is down."""
    from org import tasks

    def refuse(*_args, **_kwargs):
        raise QueueOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.recompute_task, "delay", refuse)


def test_a_recompute_the_queue_refuses_is_marked_failed_not_left_queued(
    db, queue_down, django_capture_on_commit_callbacks
):
    with pytest.raises(JobNotQueued) as raised, django_capture_on_commit_callbacks(execute=True):
        job_start_recompute(trigger="api")
    job = Job.objects.get(pk=raised.value.job_id)
    assert job.status == JobStatus.FAILED
    assert job.finished_at is not None
    assert job.error.splitlines()[0] == "The job queue is unavailable: the job could not be queued."
    assert "OperationalError: Error 111" in job.error
    # and the next recompute is not blocked by it
    assert not Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).exists()


# The next two commit for real (transactional_db): the task is sent when the job's transaction commits.
def test_the_api_answers_503_with_the_job_when_the_queue_refuses(transactional_db, queue_down, token_client):
    response = token_client().post("/api/v1/jobs/recompute/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "queue_unavailable"
    assert body["detail"].startswith("The job queue cannot be reached right now")
    assert Job.objects.get(pk=body["job"]["id"]).status == JobStatus.FAILED
    assert body["job"]["status"] == "failed"


def test_the_jobs_page_shows_the_failed_job_with_a_message_when_the_queue_refuses(transactional_db, queue_down):
    client = Client()
    client.force_login(make_user("hr", "hr_lead"))
    response = client.post("/org/jobs/recompute/", follow=True)
    job = Job.objects.get()
    assert response.redirect_chain == [(f"/org/jobs/{job.pk}/", 302)]
    assert f"recompute job #{job.pk} could not start" in response.content.decode()
    assert job.status == JobStatus.FAILED


@pytest.mark.parametrize(("language", "title"), [("en", "The database is unavailable"), ("zh-hans", "数据库暂不可用")])
def test_a_page_whose_database_fails_answers_503_in_the_visitors_language(db, monkeypatch, language, title):
    from org import job_views

    def database_gone(**_kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(job_views, "step_timings", database_gone)
    client = Client(raise_request_exception=False)
    client.force_login(make_user("hr", "hr_lead"))
    client.cookies["django_language"] = language
    response = client.get("/org/jobs/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert title in response.content.decode()
    assert "server closed" not in response.content.decode()


def test_any_other_error_is_still_the_500_page(db, monkeypatch):
    from org import job_views

    def bug(**_kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(job_views, "step_timings", bug)
    client = Client(raise_request_exception=False)
    client.force_login(make_user("hr", "hr_lead"))
    response = client.get("/org/jobs/")
    assert response.status_code == 500
    assert "The database is unavailable" not in response.content.decode()
