"""The project's own settings hash passwords with PBKDF2; the suite's fast hasher never reaches a deployment."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client

from tests.conftest import PASSWORD, make_user


def test_the_deployed_settings_hash_with_pbkdf2():
    settings_module = importlib.import_module("acquisition_hr.settings")
    hashers = getattr(settings_module, "PASSWORD_HASHERS", None)
    # Django's default list (PBKDF2 first) applies when the settings name none.
    assert hashers is None or hashers[0] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_a_login_hashed_with_pbkdf2_logs_in_through_the_form(db, settings):
    # given the real hasher, as a deployment has it
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    user = make_user("real-hash", "hr_lead")
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"
    # when the person logs in through the form
    answer = Client().post("/accounts/login/", {"username": "real-hash", "password": PASSWORD})
    # then the login succeeds, and a wrong password does not
    assert answer.status_code == 302
    assert Client().post("/accounts/login/", {"username": "real-hash", "password": "wrong"}).status_code == 200


@pytest.mark.parametrize("password", ["demo-pass-2026", "密码-2026"])
def test_pbkdf2_hashes_verify_under_the_test_settings_too(password, settings):
    hashed = make_password(password, hasher="pbkdf2_sha256")
    assert check_password(password, hashed)
