"""API tokens: the create_api_token command, hashed storage, and the admin (create once, revoke, never show)."""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from org.choices import OrgUnitKind, PersonRole, TokenScope
from org.models import ApiToken, OrgUnit, OrgUnitClosure, Person
from org.services import api_key_hash, api_token_create
from tests.conftest import make_user


def _create_token(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def _api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- the command --------------------------------------------------------------------------


def test_command_prints_the_key_once_and_stores_only_its_hash(integrator, org_tree):
    # when
    out, err = _create_token("integrator")
    # then the key is alone on stdout, the note on stderr
    key = out.strip()
    assert out.count("\n") == 1
    assert re.fullmatch(r"ahr_[A-Za-z0-9_-]{40,}", key)
    assert key not in err
    token = ApiToken.objects.get()
    assert token.user == integrator
    assert token.scope == TokenScope.READ
    assert token.key_hash == api_key_hash(key)
    assert token.prefix == key[:12]
    assert token.prefix in err
    # the key itself is nowhere in the row
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert all(key not in value for value in stored)
    # and it authenticates as `Authorization: Token <key>`, read only
    client = _api(key)
    assert client.get("/api/v1/org-units/").status_code == 200
    assert client.post("/api/v1/jobs/recompute/").status_code == 403


def test_command_write_scope_and_name(integrator, org_tree, django_capture_on_commit_callbacks):
    out, _err = _create_token("integrator", "--scope", "write", "--name", "crm-sync")
    token = ApiToken.objects.get()
    assert (token.scope, token.name) == (TokenScope.WRITE, "crm-sync")
    with django_capture_on_commit_callbacks(execute=True):
        response = _api(out.strip()).post("/api/v1/jobs/recompute/")
    assert response.status_code == 202


def test_each_run_makes_a_new_key(integrator):
    first, _ = _create_token("integrator")
    second, _ = _create_token("integrator")
    assert first != second
    assert ApiToken.objects.count() == 2


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="nobody"):
        _create_token("nobody")
    assert not ApiToken.objects.exists()


def test_command_refuses_an_unknown_scope(integrator):
    with pytest.raises(CommandError, match="admin"):
        _create_token("integrator", "--scope", "admin")
    assert not ApiToken.objects.exists()


def test_command_refuses_an_inactive_user(integrator):
    integrator.is_active = False
    integrator.save(update_fields=["is_active"])
    with pytest.raises(CommandError):
        _create_token("integrator")
    assert not ApiToken.objects.exists()


# --- the token admin ----------------------------------------------------------------------


@pytest.fixture
def admin_client(db, settings):
    settings.LANGUAGE_CODE = "en"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(make_user("root", superuser=True))
    return client


def test_admin_creates_a_token_and_shows_its_key_once(admin_client, integrator, org_tree):
    # when an admin adds a token
    response = admin_client.post(
        "/admin/org/apitoken/add/",
        {"user": integrator.pk, "name": "bi-tool", "scope": TokenScope.WRITE},
        follow=True,
    )
    # then the key is in the success message, and it works
    assert response.status_code == 200
    content = response.content.decode()
    match = re.search(r"<code>(ahr_[A-Za-z0-9_-]+)</code>", content)
    assert match, content
    key = match.group(1)
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.scope) == (integrator, "bi-tool", TokenScope.WRITE)
    assert token.key_hash == api_key_hash(key)
    assert _api(key).get("/api/v1/org-units/").status_code == 200
    # and afterwards neither the key nor the hash shows on the change page or the list
    for url in (f"/admin/org/apitoken/{token.pk}/change/", "/admin/org/apitoken/"):
        page = admin_client.get(url).content.decode()
        assert key not in page
        assert token.key_hash not in page
        assert token.prefix in page
    # nor in the admin's history
    assert all(key not in entry.change_message for entry in LogEntry.objects.all())


def test_admin_add_form_has_no_key_or_hash_fields(admin_client):
    page = admin_client.get("/admin/org/apitoken/add/").content.decode()
    assert 'name="key_hash"' not in page
    assert 'name="prefix"' not in page
    assert 'name="scope"' in page


def test_admin_change_form_keeps_user_and_scope_fixed(admin_client, integrator):
    token, _key = api_token_create(user=integrator, scope=TokenScope.READ, name="old")
    other = make_user("other", "integrator")
    admin_client.post(
        f"/admin/org/apitoken/{token.pk}/change/",
        {"name": "renamed", "user": other.pk, "scope": TokenScope.WRITE, "key_hash": "0" * 64},
    )
    token.refresh_from_db()
    assert (token.name, token.user, token.scope) == ("renamed", integrator, TokenScope.READ)
    assert token.key_hash != "0" * 64


def test_admin_revoke_action(admin_client, integrator, org_tree):
    # given two tokens, one of them already revoked
    token, key = api_token_create(user=integrator, scope=TokenScope.READ)
    old, _old_key = api_token_create(user=integrator, scope=TokenScope.READ)
    old.revoked_at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    old.save(update_fields=["revoked_at"])
    assert _api(key).get("/api/v1/org-units/").status_code == 200
    # when both are revoked by the admin action
    response = admin_client.post(
        "/admin/org/apitoken/",
        {"action": "revoke_selected", "_selected_action": [token.pk, old.pk]},
        follow=True,
    )
    # then one revocation is reported, the earlier revocation time is kept, and the key stops working
    assert "1 token revoked." in response.content.decode()
    token.refresh_from_db()
    old.refresh_from_db()
    assert token.revoked_at is not None
    assert old.revoked_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert _api(key).get("/api/v1/org-units/").status_code == 401
    # and the list filter finds it among the revoked ones
    revoked_page = admin_client.get("/admin/org/apitoken/", {"state": "revoked"}).content.decode()
    assert token.prefix in revoked_page


# --- the org-unit admin goes through the tree services ------------------------------------


def _closure() -> set[tuple[str, str, int]]:
    return set(OrgUnitClosure.objects.values_list("ancestor__code", "descendant__code", "depth"))


def _closure_from_parents() -> set[tuple[str, str, int]]:
    parent_of = dict(OrgUnit.objects.values_list("code", "parent__code"))
    pairs = set()
    for code in parent_of:
        node, depth = code, 0
        while node is not None:
            pairs.add((node, code, depth))
            node, depth = parent_of[node], depth + 1
    return pairs


def test_admin_creates_a_unit_with_its_closure(admin_client, org_tree):
    response = admin_client.post(
        "/admin/org/orgunit/add/",
        {"code": "T4", "name": "Team 4", "kind": OrgUnitKind.TEAM, "parent": org_tree["WEST"].pk},
    )
    assert response.status_code == 302, response.content.decode()
    assert set(OrgUnitClosure.objects.filter(descendant__code="T4").values_list("ancestor__code", flat=True)) == {
        "T4",
        "WEST",
        "SALES",
        "ACME",
    }
    assert _closure() == _closure_from_parents()


def test_admin_refuses_a_unit_the_hierarchy_does_not_allow(admin_client, org_tree):
    before = _closure()
    response = admin_client.post(
        "/admin/org/orgunit/add/",
        {"code": "R9", "name": "Region 9", "kind": OrgUnitKind.REGION, "parent": org_tree["T1"].pk},
    )
    assert response.status_code == 200  # the form again, with the error
    assert "cannot sit under" in response.content.decode()
    assert not OrgUnit.objects.filter(code="R9").exists()
    assert _closure() == before


def test_admin_moves_a_unit_with_its_subtree(admin_client, org_tree):
    east = org_tree["EAST"]
    response = admin_client.post(
        f"/admin/org/orgunit/{east.pk}/change/",
        {"code": "EAST", "name": "East region", "parent": org_tree["SERVICE"].pk},
    )
    assert response.status_code == 302, response.content.decode()
    east.refresh_from_db()
    assert (east.name, east.parent.code) == ("East region", "SERVICE")
    assert dict(OrgUnitClosure.objects.filter(descendant__code="T1").values_list("ancestor__code", "depth")) == {
        "T1": 0,
        "EAST": 1,
        "SERVICE": 2,
        "ACME": 3,
    }
    assert _closure() == _closure_from_parents()


def test_admin_refuses_to_move_a_unit_under_its_own_sub_unit(admin_client, org_tree):
    before = _closure()
    sales = org_tree["SALES"]
    response = admin_client.post(
        f"/admin/org/orgunit/{sales.pk}/change/",
        {"code": "SALES", "name": "Sales BU", "parent": org_tree["EAST"].pk},
    )
    assert response.status_code == 200
    assert "under itself or one of its own sub-units" in response.content.decode()
    sales.refresh_from_db()
    assert sales.parent.code == "ACME"
    assert _closure() == before


def test_admin_deletes_a_leaf_and_refuses_a_unit_with_people(admin_client, org_tree):
    Person.objects.create(
        external_id="X1", name="X", org_unit=org_tree["T3"], role=PersonRole.SALES_REP, hire_date=dt.date(2024, 1, 1)
    )
    # a unit with people: the confirmation page names the blocker, and a forced post deletes nothing
    page = admin_client.get(f"/admin/org/orgunit/{org_tree['T3'].pk}/delete/").content.decode()
    assert "X (X1)" in page
    admin_client.post(f"/admin/org/orgunit/{org_tree['T3'].pk}/delete/", {"post": "yes"})
    assert OrgUnit.objects.filter(code="T3").exists()
    # a leaf without people goes, with its closure rows
    response = admin_client.post(f"/admin/org/orgunit/{org_tree['T2'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not OrgUnit.objects.filter(code="T2").exists()
    assert _closure() == _closure_from_parents()


def test_admin_bulk_delete_of_a_whole_subtree_goes_bottom_up(admin_client, org_tree):
    ids = [org_tree[code].pk for code in ("EAST", "T1", "T2")]
    response = admin_client.post(
        "/admin/org/orgunit/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not OrgUnit.objects.filter(code__in=["EAST", "T1", "T2"]).exists()
    assert _closure() == _closure_from_parents()


def test_admin_bulk_delete_of_a_parent_without_its_children_is_refused(admin_client, org_tree):
    before = _closure()
    ids = [org_tree[code].pk for code in ("EAST", "T1")]  # T2 stays, so EAST cannot go
    admin_client.post("/admin/org/orgunit/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert OrgUnit.objects.filter(code__in=["EAST", "T1", "T2"]).count() == 3
    assert _closure() == before
