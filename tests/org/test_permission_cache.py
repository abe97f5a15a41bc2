"""Permission sets come from the cache until a grant changes; then the next check sees the change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission, User

from tests.conftest import make_user


def fresh(user: User) -> User:
    """The user as the next request loads it (no per-object permission cache)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def hr(db):
    return make_user("hr", "hr_lead")


def test_a_second_request_reads_no_permission_rows(hr, django_assert_num_queries):
    assert fresh(hr).has_perm("org.ingest_data")
    user = fresh(hr)
    with django_assert_num_queries(0):
        assert user.has_perm("org.ingest_data")
        assert not user.has_perm("org.no_such_permission")


def test_leaving_the_group_takes_the_permission_away(hr):
    assert fresh(hr).has_perm("org.ingest_data")
    hr.groups.clear()
    assert not fresh(hr).has_perm("org.ingest_data")


def test_a_group_losing_a_permission_is_seen_at_once(hr):
    assert fresh(hr).has_perm("org.ingest_data")
    Group.objects.get(name="hr_lead").permissions.remove(Permission.objects.get(codename="ingest_data"))
    assert not fresh(hr).has_perm("org.ingest_data")


def test_a_direct_grant_and_a_deleted_group(hr):
    other = make_user("someone")
    assert not fresh(other).has_perm("org.ingest_data")
    other.user_permissions.add(Permission.objects.get(codename="ingest_data"))
    assert fresh(other).has_perm("org.ingest_data")
    Group.objects.get(name="hr_lead").delete()
    assert not fresh(hr).has_perm("org.ingest_data")


def test_an_inactive_user_has_no_permission_even_when_cached(hr):
    assert fresh(hr).has_perm("org.ingest_data")
    User.objects.filter(pk=hr.pk).update(is_active=False)
    assert not fresh(hr).has_perm("org.ingest_data")


def test_the_api_refuses_a_role_removed_after_a_cached_read(token_client, integrator):
    client = token_client("read")
    assert client.get("/api/v1/ingest/people/template.csv").status_code == 200
    integrator.groups.clear()
    assert client.get("/api/v1/ingest/people/template.csv").status_code == 403
