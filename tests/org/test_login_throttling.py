"""Login throttling (django-axes): wrong passwords lock one username on one address for a while."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD, make_user

LOGIN = "/accounts/login/"


def attempt(client: Client, username: str, password: str, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def hr(db, settings):
    settings.AXES_FAILURE_LIMIT = 3
    return make_user("hr", "hr_lead")


def test_wrong_passwords_lock_the_account_on_that_address(client, hr):
    # given two wrong passwords: the login form answers as usual
    for _ in range(2):
        answer = attempt(client, "hr", "guess")
        assert answer.status_code == 200
        assert "didn&#x27;t match" in answer.content.decode() or "didn't match" in answer.content.decode()
    # when the third is wrong too
    locked = attempt(client, "hr", "guess")
    # then the login is locked, and says so in words and status
    assert locked.status_code == 429
    text = locked.content.decode()
    assert "Too many failed logins" in text
    assert "after 3 wrong passwords" in text
    assert "Try again in 15 minutes" in text
    # and even the right password is refused while locked
    assert attempt(client, "hr", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_another_address_or_account_is_not_locked(client, hr):
    make_user("other", "hr_lead")
    for _ in range(3):
        attempt(client, "hr", "guess")
    assert attempt(client, "hr", PASSWORD, address="10.0.0.2").status_code == 302
    assert attempt(Client(), "other", PASSWORD).status_code == 302


def test_a_good_login_resets_the_count(client, hr):
    attempt(client, "hr", "guess")
    attempt(client, "hr", "guess")
    assert attempt(client, "hr", PASSWORD).status_code == 302
    client.logout()
    attempt(client, "hr", "guess")
    assert attempt(client, "hr", "guess").status_code == 200  # the count started again


def test_the_lock_expires_after_the_cool_off(client, hr):
    for _ in range(3):
        attempt(client, "hr", "guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    assert attempt(client, "hr", PASSWORD).status_code == 302


@pytest.mark.chinese
def test_the_lock_page_speaks_chinese(client, hr):
    for _ in range(3):
        attempt(client, "hr", "guess")
    locked = attempt(client, "hr", "guess")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()


def test_the_admin_login_is_throttled_too(client, hr):
    for _ in range(3):
        client.post("/admin/login/", {"username": "hr", "password": "guess"}, REMOTE_ADDR="10.0.0.1")
    answer = client.post("/admin/login/", {"username": "hr", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert answer.status_code == 429
