"""One throwaway stack for the failure tests: a PostgreSQL cluster and a Redis of their own (never the machine's
shared servers, which other test runs use), the small demo migrated and seeded once, and the site served by
gunicorn against them. Tests stop and start these servers; a test that stops one starts it again.

``scenario.py`` (one process) migrates and seeds the template database ``seeded``, copies it to ``web``
(gunicorn's), ``jobs_clean`` and ``jobs_faulty``, then runs the job scenario whose outcome
``test_job_outages.py`` checks; it kills and restarts PostgreSQL, so the site is used only after it ends.
Skipped where the PostgreSQL 15 binaries or redis-server are missing; CI has them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from .services import ThrowawayPostgres, ThrowawayRedis, free_port, missing_programs

BASE_DIR = Path(__file__).resolve().parents[2]
SCENARIO_TIMEOUT_SECONDS = 300
WEB_QUEUE = "failure-web"


@dataclass
class Stack:
    cluster: ThrowawayPostgres
    redis: ThrowawayRedis
    base_url: str
    token: str
    work: Path
    scenario_returncode: int

    def web_log(self) -> str:
        return _tail(self.work / "web.log")


def server_environment(**extra: str) -> dict[str, str]:
    """The environment of a server-side process: this checkout's settings, none of the suite's own services."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST_", "DJANGO_"))}
    for key in ("DATABASE_URL", "REDIS_URL", "TEST_DATABASE_NAME", "CELERY_QUEUE", "DEBUG"):
        env.pop(key, None)
    env.update(DJANGO_SETTINGS_MODULE="acquisition_hr.settings", LOG_LEVEL="WARNING", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


def _tail(path: Path, size: int = 6000) -> str:
    try:
        return path.read_text(errors="replace")[-size:]
    except OSError:
        return ""


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path, deadline: float) -> None:
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{_tail(log)}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer {url} in time:\n{_tail(log)}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """Start the throwaway servers, migrate and seed, serve the site; tear everything down at the end."""
    reason = missing_programs()
    if reason:
        pytest.skip(f"the failure tests start their own PostgreSQL and Redis: {reason}")
    work = tmp_path_factory.mktemp("failure")
    cluster = ThrowawayPostgres.create()
    redis = ThrowawayRedis()
    web = None
    try:
        cluster.start()
        redis.start()
        cluster.execute("CREATE DATABASE seeded")
        python = sys.executable
        # The scenario migrates, seeds and runs jobs; gunicorn boots meanwhile (it needs its database per request).
        with open(work / "scenario.log", "w") as scenario_log:
            scenario = subprocess.Popen(
                [python, "-m", "tests.failure.scenario", str(work)],
                cwd=BASE_DIR,
                env=server_environment(**cluster.environment()),
                stdout=scenario_log,
                stderr=subprocess.STDOUT,
            )
        port = free_port()
        web_env = server_environment(
            DATABASE_URL=cluster.url("web"), REDIS_URL=redis.url(0), CELERY_QUEUE=WEB_QUEUE, STATIC_PLAIN="1"
        )
        with open(work / "web.log", "w") as web_log:
            web = subprocess.Popen(
                [str(Path(python).with_name("gunicorn")), "acquisition_hr.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
                + ["--timeout", "120", "--graceful-timeout", "5"],
                cwd=BASE_DIR,
                env=web_env,
                stdout=web_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            scenario.wait(timeout=SCENARIO_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            scenario.kill()
            scenario.wait()
        if not (work / "prepare.json").exists():
            raise RuntimeError(f"migrating and seeding failed:\n{_tail(work / 'scenario.log')}")
        if not cluster.is_running():  # the scenario died while PostgreSQL was down
            cluster.start()
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_serving(f"{base_url}/accounts/login/", web, work / "web.log", time.monotonic() + 120)
        token = json.loads((work / "prepare.json").read_text())["token"]
        yield Stack(
            cluster=cluster,
            redis=redis,
            base_url=base_url,
            token=token,
            work=work,
            scenario_returncode=scenario.returncode,
        )
    finally:
        if web is not None:
            web.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown (SIGTERM waits for the graceful timeout)
            try:
                web.wait(timeout=3)
            except subprocess.TimeoutExpired:
                os.killpg(web.pid, signal.SIGKILL)  # its own process group: the master and its worker
                web.wait()
        redis.kill()
        cluster.destroy()
