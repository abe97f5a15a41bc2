"""Settings of the test suite: the project's settings with a fast password hasher.

Hashing a login with PBKDF2 costs about half a second; the suite creates thousands. MD5 makes a test login
cheap; PBKDF2 stays second in the list so that hashes made by the real settings still verify, and the login
tests check the real hasher (tests/org/test_password_hashing.py). Never use these settings for a deployment.
"""

from .settings import *  # noqa: F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
