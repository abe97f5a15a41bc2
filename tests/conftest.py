"""Shared fixtures: an org tree, logins per role, API clients with tokens."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import caches
from django.utils import translation
from rest_framework.test import APIClient

from org.choices import OrgUnitKind, PersonRole, TokenScope
from org.models import Person
from org.services import api_token_create, org_unit_create, user_profile_set

PASSWORD = "a-Test-password-2026"

TESTS = Path(__file__).resolve().parent
# Tests that start servers, browsers or workers of their own, fuzz the whole API or seed a whole demo: ``slow``
# (``make test-fast`` leaves them out; ``make test`` and CI run everything).
SLOW_DIRECTORIES = {"failure", "api_fuzz", "e2e"}
SLOW_MODULES = {
    "test_seed_demo.py",
    "test_backup_restore.py",
    "test_celery_worker.py",
    "test_two_workers.py",
    "test_demo.py",
    "test_demo_contents.py",
}


# tryfirst: pytest-xdist reads the xdist_group markers in its own hook, which must see the ones added here.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Mark the slow tests; keep the failure tests on one xdist worker (they share one throwaway stack), and the
    API fuzzing on one (it seeds its world once)."""
    for item in items:
        path = Path(str(item.fspath)).resolve()
        try:
            parts = path.relative_to(TESTS).parts
        except ValueError:
            continue
        if parts[0] in SLOW_DIRECTORIES or path.name in SLOW_MODULES or item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.slow)
        if parts[0] == "failure":
            item.add_marker(pytest.mark.xdist_group("failure-stack"))
        elif parts[0] == "api_fuzz":  # one worker seeds the fuzzing world once (a module fixture)
            item.add_marker(pytest.mark.xdist_group("api-fuzz"))
    # The long serial groups first: xdist hands out work in this order, so they start at once on their workers and
    # the short tests fill the others, instead of one group running alone at the end of the run.
    items.sort(key=_start_order)


def _start_order(item) -> int:
    group = item.get_closest_marker("xdist_group")
    if group is not None:
        return 0 if group.args[0] == "failure-stack" else 1
    return 2 if item.get_closest_marker("slow") else 3


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Pages render without a collectstatic manifest in tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _eager_celery_unless_worker(request):
    """Tasks run in-process even when REDIS_URL is set for the suite; tests marked ``worker`` start real
    workers and keep the broker."""
    from acquisition_hr.celery import app

    if request.node.get_closest_marker("worker") is not None:
        yield
        return
    was = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was


# A test that requests one of these (itself or through another fixture) has database access.
DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "live_server",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
}


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Every test starts with an empty cache (cached reads) and empty throttle counters (``caches["throttle"]``).

    Without Redis the counters are a table of the test database: emptied once this test's database access is
    set up (a test without it cannot reach them; a ``db`` test's writes roll back, a transactional one's stay
    until the next test that uses the database empties the table)."""
    from django.core.cache import caches
    from django.core.cache.backends.db import BaseDatabaseCache

    in_memory = [caches["default"]]
    throttle = caches["throttle"]
    if not isinstance(throttle, BaseDatabaseCache):
        in_memory.append(throttle)
    elif DATABASE_FIXTURES & set(request.fixturenames) or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")  # transactional when the test asked for it (pytest-django decides)
        throttle.clear()
    for cache in in_memory:
        cache.clear()
    yield
    for cache in in_memory:
        cache.clear()


@pytest.fixture(autouse=True)
def _english_unless_marked(request, settings):
    """Tests read English messages; ``@pytest.mark.chinese`` keeps the product's default (zh-hans)."""
    if request.node.get_closest_marker("chinese") is not None:
        yield
        return
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def org_tree(db):
    """ACME > (Sales BU > (East > (T1, T2), West > T3)), (Service BU)."""
    acme = org_unit_create(code="ACME", name="ACME", kind=OrgUnitKind.COMPANY)
    sales = org_unit_create(code="SALES", name="Sales BU", kind=OrgUnitKind.BUSINESS_UNIT, parent=acme)
    service = org_unit_create(code="SERVICE", name="Service BU", kind=OrgUnitKind.BUSINESS_UNIT, parent=acme)
    east = org_unit_create(code="EAST", name="East", kind=OrgUnitKind.REGION, parent=sales)
    west = org_unit_create(code="WEST", name="West", kind=OrgUnitKind.REGION, parent=sales)
    t1 = org_unit_create(code="T1", name="Team 1", kind=OrgUnitKind.TEAM, parent=east)
    t2 = org_unit_create(code="T2", name="Team 2", kind=OrgUnitKind.TEAM, parent=east)
    t3 = org_unit_create(code="T3", name="Team 3", kind=OrgUnitKind.TEAM, parent=west)
    return {u.code: u for u in (acme, sales, service, east, west, t1, t2, t3)}


@pytest.fixture
def people(org_tree):
    """One person per team, plus a person in the Service BU."""
    rows = [("P1", "T1"), ("P2", "T2"), ("P3", "T3"), ("P4", "SERVICE")]
    return {
        ext: Person.objects.create(
            external_id=ext,
            name=f"Person {ext}",
            org_unit=org_tree[unit],
            role=PersonRole.SALES_REP,
            hire_date=dt.date(2024, 1, 1),
        )
        for ext, unit in rows
    }


def flat(html: str) -> str:
    """A page's HTML with every run of whitespace as one space: what a test asserts about a tag (its attributes
    in order, its text) then holds however the template lays the tag out over lines."""
    return " ".join(html.split())


def make_user(username: str, role: str | None = None, *, unit=None, superuser: bool = False) -> User:
    """A login with the given role group and, optionally, a scoping org unit."""
    if superuser:
        user = User.objects.create_superuser(username=username, password=PASSWORD, email="")
    else:
        user = User.objects.create_user(username=username, password=PASSWORD)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if unit is not None:
        user_profile_set(user=user, org_unit=unit)
    return user


@pytest.fixture
def hr_lead(db):
    return make_user("hr", "hr_lead")


@pytest.fixture
def east_manager(org_tree):
    """A manager scoped to the East region (teams T1 and T2)."""
    return make_user("east_manager", "manager", unit=org_tree["EAST"])


@pytest.fixture
def integrator(db):
    return make_user("integrator", "integrator")


@pytest.fixture
def token_client(integrator):
    """Build an API client authenticated by a fresh token of the given scope."""

    def build(scope: str = TokenScope.WRITE, user=None) -> APIClient:
        _token, key = api_token_create(user=user or integrator, scope=scope)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return build


@pytest.fixture
def write_client(token_client):
    return token_client(TokenScope.WRITE)


@pytest.fixture
def read_client(token_client):
    return token_client(TokenScope.READ)


# --- several workers in one process, and the throttle counters (the abuse tests) ----------------------------------

LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
LOCMEM_THROTTLE = {"BACKEND": LOCMEM, "LOCATION": "throttle"}


@pytest.fixture
def throttle_cache(db, settings):
    """The throttle counters where the project keeps them, empty: Redis, or without it the database table (the
    suite's own settings count in memory without Redis, acquisition_hr/test_settings.py)."""
    settings.CACHES = {**settings.CACHES, "throttle": _project_caches().get("throttle", LOCMEM_THROTTLE)}
    caches["throttle"].clear()


@pytest.fixture
def worker(settings, throttle_cache):
    """Switch the process to one of several simulated workers: its own local-memory default cache (what a
    gunicorn worker has without Redis), the throttle counters where the project keeps them."""
    run = uuid.uuid4().hex
    base = dict(settings.CACHES)

    def switch(name: str) -> None:
        settings.CACHES = {**base, "default": {"BACKEND": LOCMEM, "LOCATION": f"worker-{name}-{run}"}}

    return switch


def _project_caches() -> dict:
    """The caches the project's own settings define (the suite's settings keep throttles in memory)."""
    from acquisition_hr import settings as project_settings

    return project_settings.CACHES
