"""Abuse of the web front seen by the security review: sessions that outlive a logout on another worker,
throttles that a header or a second worker resets, an open and costly API schema, unthrottled token guessing
and password-reset mail, error answers that leak a template comment or answer an API client with HTML.

Several gunicorn workers are simulated in one process: each "worker" is a local-memory default cache of its
own (``_worker``), as a worker has without Redis; what the settings choose for an environment is read by
running the settings module in a fresh interpreter (``_setting``), as tests/org/test_settings.py does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from rest_framework.throttling import SimpleRateThrottle

from tests.org.test_settings import SETTINGS_VARIABLES

BASE_DIR = Path(__file__).resolve().parents[2]
PEOPLE = "/api/v1/people/"
SCHEMA = "/api/schema/"
RESET = "/accounts/password_reset/"
LOGIN = "/accounts/login/"
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"


def _setting(expression: str, **env: str):
    """The value of ``expression`` over the settings module ``m`` loaded in a fresh interpreter with ``env``."""
    code = f"import importlib, json, sys; m = importlib.import_module(sys.argv[1]); print(json.dumps({expression}))"
    clean = {name: value for name, value in os.environ.items() if name not in SETTINGS_VARIABLES}
    result = subprocess.run(
        [sys.executable, "-c", code, "acquisition_hr.settings"],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def worker(settings):
    """Switch the process to one of several simulated workers: its own local-memory default cache (what a
    gunicorn worker has without Redis), the rest of the cache configuration as the settings give it."""
    run = uuid.uuid4().hex
    base = dict(settings.CACHES)

    def switch(name: str) -> None:
        settings.CACHES = {**base, "default": {"BACKEND": LOCMEM, "LOCATION": f"worker-{name}-{run}"}}

    return switch


def _rates(settings, monkeypatch, **rates: str) -> None:
    """Throttle rates for this test, both where the settings keep them and where DRF's own throttle classes read
    them (a class attribute bound at import)."""
    merged = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": merged}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", merged)


# --- finding 3: a logout ends the session on every worker ---------------------------------------------------


def test_sessions_are_kept_in_the_database_unless_the_cache_is_shared():
    assert _setting("m.SESSION_ENGINE") == "django.contrib.sessions.backends.db"
    assert _setting("m.SESSION_ENGINE", REDIS_URL="redis://cache.internal:6379/2") == (
        "django.contrib.sessions.backends.cached_db"
    )


def test_a_logged_out_session_is_refused_by_another_worker(client, hr_lead, settings, worker):
    # given the session engine chosen without Redis, and a session both workers have served
    settings.SESSION_ENGINE = _setting("m.SESSION_ENGINE")
    worker("a")
    client.force_login(hr_lead)
    assert client.get(PEOPLE).status_code == 200
    worker("b")
    assert client.get(PEOPLE).status_code == 200
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    # when the user logs out on worker a
    worker("a")
    assert client.post("/accounts/logout/").status_code == 302
    # then the old cookie, replayed against worker b, no longer opens the API
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    worker("b")
    assert client.get(PEOPLE).status_code in {401, 403}
