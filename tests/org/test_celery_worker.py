"""A real Celery worker on Redis runs a recompute started through the API: queued -> running -> succeeded.

Needs PostgreSQL and Redis (skipped on the embedded default). The worker is another process, so the
test uses ``transactional_db`` (rows are committed) and points the worker at the test database. It
consumes a queue of its own, so parallel runs on the same Redis never take each other's tasks.

To see each state for certain: the task is sent before the worker starts (``queued``), and a second
connection holds a lock on ``org_orgunitstat`` that the head-count step needs (``running``) until
the test lets go (``succeeded``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from acquisition_hr.celery import app as celery_app
from org.choices import TokenScope
from org.models import OrgUnitStat
from org.services import api_token_create

BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 60

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


def _database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database the test runs on (pytest-django's test_<name>)."""
    credentials = quote(settings_dict["USER"] or "", safe="")
    if settings_dict.get("PASSWORD"):
        credentials += ":" + quote(settings_dict["PASSWORD"], safe="")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{quote(settings_dict['NAME'], safe='')}"


def _poll(client: APIClient, job_id: int, deadline: float, until) -> dict:
    """GET the job until ``until(body)`` holds; fail at the deadline."""
    while True:
        response = client.get(f"/api/v1/jobs/{job_id}/")
        assert response.status_code == 200, response.content
        body = response.json()
        if until(body):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; last answer: {body}")
        time.sleep(0.1)


@pytest.fixture
def own_queue():
    """Send tasks to a queue only this test's worker consumes; drop it from Redis afterwards."""
    import redis

    queue = f"acq-test-{uuid.uuid4().hex[:12]}"
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        yield queue
    finally:
        celery_app.conf.task_default_queue = previous
        client = redis.Redis.from_url(settings.REDIS_URL)
        # The queue itself and kombu's binding keys for it (``_kombu.binding[_permanent].<queue>``).
        leftovers = list(client.scan_iter(match=f"*{queue}*"))
        if leftovers:
            client.delete(*leftovers)
        client.close()


def test_a_worker_runs_a_recompute_queued_running_succeeded(transactional_db, integrator, people, own_queue):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database another process can share: PostgreSQL")
    deadline = time.monotonic() + TIMEOUT_SECONDS
    _token, key = api_token_create(user=integrator, scope=TokenScope.WRITE)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    database_url = _database_url(connection.settings_dict)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": own_queue,
        "DJANGO_SETTINGS_MODULE": "acquisition_hr.settings",
    }
    env.pop("TEST_DATABASE_NAME", None)
    celery = Path(sys.executable).with_name("celery")
    log = tempfile.NamedTemporaryFile("w+", prefix="celery-worker-", suffix=".log", delete=False)  # noqa: SIM115
    lock = psycopg.connect(database_url.replace("postgres://", "postgresql://", 1))
    worker = None
    try:
        # The head-count step cannot write its table until this transaction ends.
        lock.execute("LOCK TABLE org_orgunitstat IN ACCESS EXCLUSIVE MODE")

        # when: a recompute is asked for through the API, with no worker up yet
        response = client.post("/api/v1/jobs/recompute/")
        assert response.status_code == 202, response.content
        job_id = response.json()["id"]
        # then it waits in the queue
        assert response.json()["status"] == "queued"
        assert _poll(client, job_id, deadline, lambda body: True)["status"] == "queued"

        # when a worker starts on this test's queue
        worker = subprocess.Popen(
            [
                str(celery),
                "-A",
                "acquisition_hr",
                "worker",
                "-Q",
                own_queue,
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "info",
                "-n",
                f"{own_queue}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # then the job is claimed and runs (held at the locked table)
        running = _poll(client, job_id, deadline, lambda body: body["status"] != "queued")
        assert running["status"] == "running", running
        assert running["started_at"] is not None
        assert running["finished_at"] is None
        time.sleep(0.5)
        assert _poll(client, job_id, deadline, lambda body: True)["status"] == "running"
        assert _poll(client, job_id, deadline, lambda body: True)["current_step"] == "org_unit_stats"

        # when the lock goes
        lock.rollback()
        # then the job finishes
        done = _poll(client, job_id, deadline, lambda body: body["status"] in {"succeeded", "failed"})
        assert done["status"] == "succeeded", done
        assert done["progress"] == 1.0
        assert done["finished_at"] is not None
        assert all(step["status"] == "succeeded" for step in done["steps"])
        assert OrgUnitStat.objects.get(org_unit__code="ACME").headcount == 4
    except AssertionError:
        log.flush()
        log.seek(0)
        raise AssertionError("worker log:\n" + log.read()[-4000:]) from None
    finally:
        lock.close()
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)
        log.close()
        os.unlink(log.name)
