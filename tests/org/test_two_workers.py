"""Two real Celery workers on Redis share one recompute run: the indicator step's parts go to both.

Needs PostgreSQL and Redis (skipped otherwise); the workers are other processes on this test's own queue.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from org.choices import TokenScope
from org.models import JobTask
from org.services import api_token_create
from performance.models import Indicator
from tests.org.test_celery_worker import _database_url, _poll, own_queue  # noqa: F401  (fixture)

BASE_DIR = Path(__file__).resolve().parents[2]
TIMEOUT_SECONDS = 90

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (a real broker)"),
]


def _start_worker(name: str, queue: str, env: dict, log) -> subprocess.Popen:
    celery = Path(sys.executable).with_name("celery")
    return subprocess.Popen(
        [
            str(celery),
            "-A",
            "acquisition_hr",
            "worker",
            "-Q",
            queue,
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
            f"{name}@%h",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _wait_ready(logs, deadline: float) -> None:
    while True:
        texts = []
        for log in logs:
            log.flush()
            with open(log.name) as handle:
                texts.append(handle.read())
        if all(" ready." in text for text in texts):
            return
        if time.monotonic() > deadline:
            raise AssertionError("workers did not start:\n" + "\n----\n".join(t[-2000:] for t in texts))
        time.sleep(0.2)


def test_two_workers_process_one_run(transactional_db, integrator, people, own_queue):  # noqa: F811
    if connection.vendor != "postgresql":
        pytest.skip("the workers need a database other processes can share: PostgreSQL")
    deadline = time.monotonic() + TIMEOUT_SECONDS
    _token, key = api_token_create(user=integrator, scope=TokenScope.WRITE)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_QUEUE": own_queue,
        "DJANGO_SETTINGS_MODULE": "acquisition_hr.settings",
    }
    logs = [tempfile.NamedTemporaryFile("w+", prefix=f"celery-w{i}-", suffix=".log", delete=False) for i in (1, 2)]  # noqa: SIM115
    workers = []
    try:
        workers = [_start_worker(f"w{i}-{own_queue}", own_queue, env, log) for i, log in zip((1, 2), logs, strict=True)]
        _wait_ready(logs, deadline)
        # when a recompute is asked for
        response = client.post("/api/v1/jobs/recompute/")
        assert response.status_code == 202, response.content
        job_id = response.json()["id"]
        done = _poll(client, job_id, deadline, lambda body: body["status"] in {"succeeded", "failed"})
        # then it succeeded with every step, and the indicator parts ran on both workers
        assert done["status"] == "succeeded", done
        assert all(step["status"] == "succeeded" for step in done["steps"])
        parts = JobTask.objects.filter(job_id=job_id, step="indicator_values")
        assert parts.count() == Indicator.objects.count()
        assert set(parts.values_list("status", flat=True)) == {"succeeded"}
        workers_seen = {worker.split("@")[0] for worker in parts.values_list("worker", flat=True)}
        assert workers_seen == {f"w1-{own_queue}", f"w2-{own_queue}"}, workers_seen
        indicator_step = next(step for step in done["steps"] if step["name"] == "indicator_values")
        assert indicator_step["result"]["indicators"] == Indicator.objects.count()
    except AssertionError as exc:
        texts = []
        for log in logs:
            log.flush()
            with open(log.name) as handle:
                texts.append(handle.read()[-3000:])
        raise AssertionError(f"{exc}\nworker logs:\n" + "\n----\n".join(texts)) from None
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=5)
        for log in logs:
            log.close()
            os.unlink(log.name)
