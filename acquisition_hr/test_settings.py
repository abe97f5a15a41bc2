"""Settings of the test suite: the project's settings with a fast password hasher and, without Redis, throttle
counters in memory.

Hashing a login with PBKDF2 costs about half a second; the suite creates thousands. MD5 makes a test login
cheap; PBKDF2 stays second in the list so that hashes made by the real settings still verify, and the login
tests check the real hasher (tests/org/test_password_hashing.py). Never use these settings for a deployment.

Without Redis the throttle counters are a database table (Django's DatabaseCache): a few queries per API
request, which the suite's query-count checks would count as the view's own. The suite counts in memory instead
(one process: every simulated worker shares it); tests/org/test_web_abuse.py runs the throttles over the table.
"""

from .settings import *  # noqa: F403
from .settings import CACHES

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

if CACHES["throttle"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES = {
        **CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }
