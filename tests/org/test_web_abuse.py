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
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.template.loader import render_to_string
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from org.choices import TokenScope
from tests.conftest import PASSWORD, make_user
from tests.org.test_settings import SETTINGS_VARIABLES

BASE_DIR = Path(__file__).resolve().parents[2]
PEOPLE = "/api/v1/people/"
SCHEMA = "/api/schema/"
RESET = "/accounts/password_reset/"
LOGIN = "/accounts/login/"


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


# --- finding 6: throttles -----------------------------------------------------------------------------------


def test_throttle_counters_live_in_a_cache_every_worker_shares():
    without_redis = _setting('m.CACHES["throttle"]')
    assert without_redis["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    with_redis = _setting('m.CACHES["throttle"]["BACKEND"]', REDIS_URL="redis://cache.internal:6379/2")
    assert with_redis == "org.cache.TolerantRedisCache"


def test_the_user_throttle_counts_across_workers(hr_lead, token_client, settings, monkeypatch, worker):
    _rates(settings, monkeypatch, user="3/minute")
    api = token_client(TokenScope.READ, user=hr_lead)
    answers = []
    for name in "abcd":
        worker(name)  # each request served by another worker
        answers.append(api.get(PEOPLE).status_code)
    assert answers == [200, 200, 200, 429]


def test_one_proxy_count_setting_for_drf_and_axes():
    assert _setting('[m.REST_FRAMEWORK["NUM_PROXIES"], m.AXES_IPWARE_PROXY_COUNT]') == [0, 0]
    assert _setting('[m.REST_FRAMEWORK["NUM_PROXIES"], m.AXES_IPWARE_PROXY_COUNT]', PROXY_COUNT="2") == [2, 2]
    assert _setting('[m.REST_FRAMEWORK["NUM_PROXIES"], m.AXES_IPWARE_PROXY_COUNT]', AXES_PROXY_COUNT="1") == [1, 1]


def test_x_forwarded_for_does_not_reset_the_anonymous_throttle(client, throttle_cache, settings, monkeypatch):
    # given no proxy in front (the default): the client is the connecting address, whatever the header says
    settings.API_DOCS_PUBLIC = True
    _rates(settings, monkeypatch, anon="3/minute")
    answers = [
        client.get(SCHEMA, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{i}").status_code for i in range(4)
    ]
    assert answers == [200, 200, 200, 429]


def test_behind_one_proxy_the_client_is_the_address_the_proxy_saw(client, throttle_cache, settings, monkeypatch):
    settings.API_DOCS_PUBLIC = True
    settings.PROXY_COUNT = 1
    _rates(settings, monkeypatch, anon="3/minute")

    def call(forwarded: str) -> int:
        return client.get(SCHEMA, REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR=forwarded).status_code

    # a spoofed first entry changes nothing: the proxy appended the real address last
    assert [call(f"203.0.113.{i}, 198.51.100.7") for i in range(4)] == [200, 200, 200, 429]
    # another client behind the same proxy has a count of its own
    assert call("198.51.100.8") == 200


def test_behind_one_proxy_a_login_lockout_is_per_client(db, settings):
    # given 3 wrong passwords from one client behind the proxy
    settings.PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 3
    make_user("hr", "hr_lead")

    def login(password: str, forwarded: str):
        return Client().post(
            LOGIN,
            {"username": "hr", "password": password},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    for _ in range(3):
        login("guess", "198.51.100.7")
    # then that client is locked out, another client behind the same proxy is not
    assert login(PASSWORD, "198.51.100.7").status_code == 429
    assert login(PASSWORD, "198.51.100.8").status_code == 302


def test_the_schema_is_generated_once_per_process(client, hr_lead):
    client.force_login(hr_lead)
    real = SchemaGenerator.get_schema
    with mock.patch.object(SchemaGenerator, "get_schema", autospec=True, side_effect=real) as generate:
        bodies = [client.get(SCHEMA, HTTP_ACCEPT="application/json").content for _ in range(3)]
    assert generate.call_count <= 1
    assert bodies[0] == bodies[1] == bodies[2]
    assert json.loads(bodies[0])["info"]["title"] == "Acquisition HR API"


def test_the_api_docs_need_a_login(client, hr_lead, token_client):
    # anonymous: the schema answers 401, the two viewers send a browser to the login page
    assert client.get(SCHEMA).status_code == 401
    for url in ("/api/docs/", "/api/redoc/"):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith(f"{LOGIN}?next=")
    # a token opens the schema
    assert token_client(TokenScope.READ, user=hr_lead).get(SCHEMA).status_code == 200
    # a session opens all three
    client.force_login(hr_lead)
    for url in (SCHEMA, "/api/docs/", "/api/redoc/"):
        assert client.get(url).status_code == 200, url


def test_api_docs_public_opens_the_docs(client, db, settings):
    settings.API_DOCS_PUBLIC = True
    for url in (SCHEMA, "/api/docs/", "/api/redoc/"):
        assert client.get(url).status_code == 200, url


def test_failed_token_authentications_are_throttled_per_address(
    hr_lead, token_client, throttle_cache, settings, monkeypatch
):
    # given 3 wrong keys a minute from one address
    _rates(settings, monkeypatch, token_failure="3/minute")
    for i in range(3):
        wrong = APIClient()
        wrong.credentials(HTTP_AUTHORIZATION=f"Token wrong-key-{i}")
        assert wrong.get(PEOPLE, REMOTE_ADDR="192.0.2.7").status_code == 401
    # then that address is refused even with the right key, and told when to come back
    right = token_client(TokenScope.READ, user=hr_lead)
    refused = right.get(PEOPLE, REMOTE_ADDR="192.0.2.7")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    # another address is not
    assert right.get(PEOPLE, REMOTE_ADDR="192.0.2.8").status_code == 200


# --- finding 11: error answers ------------------------------------------------------------------------------


def _templates() -> list[Path]:
    return [
        path
        for path in BASE_DIR.glob("**/templates/**/*")
        if path.is_file() and not {".venv", "staticfiles", "node_modules"} & set(path.relative_to(BASE_DIR).parts)
    ]


def test_no_template_comment_spans_lines():
    # Django's {# #} comments end on their line; an unclosed one is printed as text.
    offenders = [
        f"{path.relative_to(BASE_DIR)}:{number}"
        for path in _templates()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\{#(?!.*#\})", line)
    ]
    assert offenders == []


@pytest.mark.parametrize(
    ("template", "context"),
    [("500.html", {}), ("503.html", {"title": "The database is unavailable", "text": "Try again later."})],
)
def test_the_error_pages_show_no_template_comment(template, context):
    html = render_to_string(template, context)
    assert "{#" not in html
    assert "#}" not in html


@pytest.mark.parametrize("url", ["/api/v1/nothing/", "/api/", "/api/v2/people/"])
def test_an_unknown_api_url_answers_json(client, db, settings, url):
    settings.DEBUG = False
    answer = client.get(url)
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("application/json")
    assert answer.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_unknown_page_keeps_the_html_404(client, hr_lead, settings):
    settings.DEBUG = False
    client.force_login(hr_lead)
    answer = client.get("/no-such-page/")
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("text/html")
    assert 'class="error-page"' in answer.content.decode()


def test_an_unhandled_api_error_answers_json(client, hr_lead, settings, monkeypatch):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(hr_lead)
    monkeypatch.setattr("org.api.views.PersonListView.get_queryset", mock.Mock(side_effect=RuntimeError("bug")))
    answer = client.get(PEOPLE)
    assert answer.status_code == 500
    assert answer["Content-Type"].startswith("application/json")
    body = answer.json()
    assert body["code"] == "server_error"
    assert body["detail"].startswith("The error has been logged.")


def test_an_unhandled_page_error_keeps_the_html_500(client, hr_lead, settings, monkeypatch):
    settings.DEBUG = False
    client.raise_request_exception = False
    client.force_login(hr_lead)
    monkeypatch.setattr("org.views.org_unit_tree_rows", mock.Mock(side_effect=RuntimeError("bug")))
    answer = client.get("/")
    assert answer.status_code == 500
    assert answer["Content-Type"].startswith("text/html")
    html = answer.content.decode()
    assert "Something went wrong on our side" in html
    assert "{#" not in html


# --- finding 14: password-reset requests ---------------------------------------------------------------------


def _reset(email: str, address: str):
    return Client().post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_password_reset_requests_are_limited_per_address(throttle_cache, settings, monkeypatch, mailoutbox):
    _rates(settings, monkeypatch, password_reset_address="3/hour")
    answers = [_reset(f"someone{i}@example.com", "192.0.2.20") for i in range(4)]
    assert [answer.status_code for answer in answers[:3]] == [302, 302, 302]
    refused = answers[3]
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert "Try again in 60 minutes" in refused.content.decode()
    assert 3500 < int(refused["Retry-After"]) <= 3600
    # another address may still ask
    assert _reset("someone9@example.com", "192.0.2.21").status_code == 302


def test_password_reset_requests_are_limited_per_email(hr_lead, throttle_cache, settings, monkeypatch, mailoutbox):
    _rates(settings, monkeypatch, password_reset_email="3/hour")
    hr_lead.email = "hr@example.com"
    hr_lead.save()
    answers = [_reset("HR@example.com", f"192.0.2.{30 + i}").status_code for i in range(4)]
    assert answers == [302, 302, 302, 429]
    assert len(mailoutbox) == 3


def test_a_limited_reset_does_not_tell_known_from_unknown_emails(
    hr_lead, throttle_cache, settings, monkeypatch, mailoutbox
):
    _rates(settings, monkeypatch, password_reset_email="2/hour")
    hr_lead.email = "hr@example.com"
    hr_lead.save()

    def run(email: str, first_address: int) -> tuple[list, str]:
        answers = [_reset(email, f"198.51.100.{first_address + i}") for i in range(3)]
        page = re.sub(r'value="[^"]*"', "", answers[-1].content.decode())  # without the CSRF token
        return [(answer.status_code, answer.get("Location")) for answer in answers], page

    known, known_page = run("hr@example.com", 1)
    unknown, unknown_page = run("nobody@example.com", 11)
    assert known == unknown == [(302, "/accounts/password_reset/done/")] * 2 + [(429, None)]
    assert known_page == unknown_page
    assert "Too many password reset requests" in known_page
    assert len(mailoutbox) == 2
