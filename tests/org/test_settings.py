"""Settings read from the environment, checked in a fresh interpreter per case (settings are read at import)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
# Variables the settings read; each case starts from an environment without them.
SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "TIME_ZONE",
    "NIGHTLY_AT",
    "CELERY_QUEUE",
    "TEST_DATABASE_NAME",
    "STATIC_PLAIN",
    "PROXY_COUNT",
    "AXES_PROXY_COUNT",
    "API_DOCS_PUBLIC",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests; check --deploy rightly flags it
}

_DUMP = """
import json, sys, importlib
m = importlib.import_module(sys.argv[1])
db = m.DATABASES["default"]
nightly = m.CELERY_BEAT_SCHEDULE["nightly-recompute"]
print(json.dumps({
    "engine": db["ENGINE"], "db_name": str(db["NAME"]), "db_host": db.get("HOST", ""), "db_port": db.get("PORT"),
    "eager": m.CELERY_TASK_ALWAYS_EAGER, "broker": m.CELERY_BROKER_URL, "cache": m.CACHES["default"]["BACKEND"],
    "queue": m.CELERY_TASK_DEFAULT_QUEUE, "time_zone": m.TIME_ZONE, "celery_time_zone": m.CELERY_TIMEZONE,
    "nightly_task": nightly["task"], "nightly_hour": sorted(nightly["schedule"].hour),
    "nightly_minute": sorted(nightly["schedule"].minute), "debug": m.DEBUG, "allowed_hosts": m.ALLOWED_HOSTS,
    "secret_key_set": bool(m.SECRET_KEY),
}))
"""


def _clean_env(**overrides: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    env.update(overrides)
    return env


def _run_settings(module: str = "acquisition_hr.settings", **overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", _DUMP, module],
        cwd=BASE_DIR,
        env=_clean_env(**overrides),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _settings(**overrides: str) -> dict:
    result = _run_settings(**overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_defaults_are_the_embedded_mode():
    values = _settings()
    # a SQLite file in the project folder
    assert values["engine"] == "django.db.backends.sqlite3"
    assert Path(values["db_name"]) == BASE_DIR / "acquisition_hr.sqlite3"
    # no Redis: Celery runs tasks in-process, the cache is local memory
    assert values["eager"] is True
    assert values["broker"] == "memory://"
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    # China time, nightly at 02:00
    assert values["time_zone"] == values["celery_time_zone"] == "Asia/Shanghai"
    assert (values["nightly_hour"], values["nightly_minute"]) == ([2], [0])
    assert values["nightly_task"] == "org.tasks.nightly_recompute_task"
    assert values["debug"] is False
    assert values["queue"] == "acquisition_hr"


def test_service_mode_from_database_url_and_redis_url():
    values = _settings(
        DATABASE_URL="postgres://hr:secret@db.internal:5433/acquisition",
        REDIS_URL="redis://cache.internal:6379/2",
        CELERY_QUEUE="acq-blue",
    )
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["db_name"], values["db_host"], values["db_port"]) == ("acquisition", "db.internal", 5433)
    assert values["eager"] is False
    assert values["broker"] == "redis://cache.internal:6379/2"
    assert values["cache"] == "org.cache.TolerantRedisCache"
    assert values["queue"] == "acq-blue"


def test_time_zone_debug_and_hosts_from_the_environment():
    values = _settings(TIME_ZONE="Europe/Berlin", DEBUG="true", ALLOWED_HOSTS="hr.example.com, api.example.com")
    assert values["time_zone"] == values["celery_time_zone"] == "Europe/Berlin"
    assert values["debug"] is True
    assert values["allowed_hosts"] == ["hr.example.com", "api.example.com"]


@pytest.mark.parametrize(("nightly_at", "hour", "minute"), [("23:45", 23, 45), ("0:05", 0, 5)])
def test_nightly_at_sets_the_beat_schedule(nightly_at, hour, minute):
    values = _settings(NIGHTLY_AT=nightly_at)
    assert (values["nightly_hour"], values["nightly_minute"]) == ([hour], [minute])


@pytest.mark.parametrize("nightly_at", ["25:00", "2am", ""])
def test_a_malformed_nightly_at_is_refused_at_start(nightly_at):
    result = _run_settings(NIGHTLY_AT=nightly_at)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "NIGHTLY_AT" in result.stderr


def test_production_settings_need_a_secret_key():
    result = _run_settings("acquisition_hr.production")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    # Mirrors `make check-deploy`.
    env = _clean_env(
        SECRET_KEY="check-deploy-test-a-long-random-string-for-the-check-only-0123456789-abcdefghij",
        DJANGO_SETTINGS_MODULE="acquisition_hr.production",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
