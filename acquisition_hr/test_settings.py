"""Settings of the test suite: the project's settings with a fast password hasher and, without Redis, throttle
counters in memory.

Hashing a login with PBKDF2 costs about half a second; the suite creates thousands. MD5 makes a test login
cheap; PBKDF2 stays second in the list so that hashes made by the real settings still verify, and the login
tests check the real hasher (tests/org/test_password_hashing.py). Never use these settings for a deployment.

Without Redis the throttle counters are a database table (Django's DatabaseCache): a few queries per API
request, which the suite's query-count checks would count as the view's own. The suite counts in memory instead
(one process: every simulated worker shares it); tests/org/test_web_abuse.py runs the throttles over the table.

Under pytest-xdist every worker process (``PYTEST_XDIST_WORKER`` gw0, gw1, ...) gets a Redis database and a Celery
queue of its own, set in the environment before the settings are read, so that the Celery workers and servers a
test starts inherit them; a cache ``clear()`` (Redis FLUSHDB) in one then never empties another's. pytest-django
gives each its own test database (``test_<name>_gw0``).
"""

import os
import re

_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _XDIST_WORKER.startswith("gw") and _XDIST_WORKER[2:].isdigit():
    _index = int(_XDIST_WORKER[2:])
    _redis = re.fullmatch(r"(redis://[^/]+)(?:/(\d+))?", os.environ.get("REDIS_URL", ""))
    if _redis is not None:
        os.environ["REDIS_URL"] = f"{_redis[1]}/{(int(_redis[2] or 0) + _index) % 16}"
    os.environ["CELERY_QUEUE"] = f"{os.environ.get('CELERY_QUEUE', 'acquisition_hr')}-{_XDIST_WORKER}"

from .settings import *  # noqa: E402, F403
from .settings import CACHES, DATABASES  # noqa: E402

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

if CACHES["throttle"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES = {
        **CACHES,
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }

# The suite's own database never has to survive a crash: commits return without waiting for the WAL to reach the
# disk (on these machines an fsync costs about 4 ms, and transactional tests, live servers and workers commit
# thousands of times). Servers a test starts with the production settings keep the default.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"

# Sessions as service mode keeps them (cached_db; the embedded default uses db): a page's query count is then the
# same with and without Redis, and the query bounds the page tests assert hold on both setups.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
