"""The demo seed: deterministic, the documented size, a consistent tree, working logins, real differences."""

from __future__ import annotations

import datetime as dt
import hashlib
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from org.demo import SCALES, demo_flush, demo_password, demo_steps, seed_demo
from org.models import OrgUnit, OrgUnitClosure, Person, UserProfile
from performance.models import Contract, Customer, Indicator, Lead

TODAY = dt.date(2026, 1, 15)


def _seed(seed: int = 1, *, recompute: bool = False) -> dict:
    return seed_demo(scale="small", seed=seed, today=TODAY, recompute=recompute)


def _logs_in(client, username: str, password: str) -> bool:
    """Log in through the login form (as a person would, so login throttling sees the request)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return response.status_code == 302


def _digest(rows) -> str:
    return hashlib.sha256(repr(list(rows)).encode("utf-8")).hexdigest()


def _fingerprint() -> dict:
    """Row counts and checksums of a few columns, by natural keys (not ids)."""
    return {
        "counts": {
            model.__name__: model.objects.count()
            for model in (OrgUnit, OrgUnitClosure, Person, Lead, Customer, Contract)
        },
        "units": _digest(OrgUnit.objects.order_by("code").values_list("code", "name", "kind", "parent__code")),
        "people": _digest(
            Person.objects.order_by("external_id").values_list(
                "external_id", "name", "org_unit__code", "role", "hire_date", "exit_date"
            )
        ),
        "leads": _digest(
            Lead.objects.order_by("external_id").values_list(
                "org_unit__code", "owner__external_id", "created_on", "is_qualified", "converted_on"
            )
        ),
        "contracts": _digest(
            Contract.objects.order_by("external_id").values_list(
                "customer__org_unit__code", "kind", "signed_on", "value"
            )
        ),
    }


def test_scales_match_the_issue():
    # small ~12 teams / 12 months, medium ~40 / 24, large ~200 / 36
    assert {name: (SCALES[name].teams, SCALES[name].months) for name in ("small", "medium", "large")} == {
        "small": (12, 12),
        "medium": (40, 24),
        "large": (200, 36),
    }
    # the mean team size and the staff above the teams give about 200, 1,000 and 5,000 people
    assert 180 <= SCALES["small"].teams * SCALES["small"].team_size <= 220
    assert 900 <= SCALES["medium"].teams * SCALES["medium"].team_size <= 1100
    assert 4500 <= SCALES["large"].teams * SCALES["large"].team_size <= 5500


def test_steps_run_in_order():
    names = [step.name for step in demo_steps()]
    assert names.index("org_tree") < names.index("demo_logins") < names.index("performance_facts")


@pytest.mark.django_db
def test_same_seed_same_data_other_seed_other_data():
    _seed(1)
    first = _fingerprint()
    demo_flush()
    assert not OrgUnit.objects.exists()
    assert not Lead.objects.exists()
    _seed(1)
    assert _fingerprint() == first
    demo_flush()
    _seed(2)
    other = _fingerprint()
    assert other["counts"]["OrgUnit"] == first["counts"]["OrgUnit"]  # the same tree shape …
    assert other["units"] == first["units"]
    assert other["people"] != first["people"]  # … with other people and facts
    assert other["leads"] != first["leads"]
    assert other["counts"]["Lead"] != first["counts"]["Lead"]


@pytest.mark.django_db
def test_password_comes_from_the_environment(monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", "another-Secret-2026")
    _seed(1)
    assert _logs_in(client, "member", "another-Secret-2026")


@pytest.mark.django_db
def test_command_if_empty_refusal_and_flush():
    out = StringIO()
    call_command("seed_demo", "--scale", "small", "--seed", "3", "--no-recompute", stdout=out)
    assert "org_tree" in out.getvalue()
    before = (Person.objects.count(), Lead.objects.count())

    out = StringIO()
    call_command("seed_demo", "--scale", "small", "--seed", "4", "--if-empty", stdout=out)
    assert (Person.objects.count(), Lead.objects.count()) == before
    assert "--if-empty" in out.getvalue()

    with pytest.raises(CommandError, match="--flush"):
        call_command("seed_demo", "--scale", "small", "--seed", "4", stdout=StringIO())
    assert (Person.objects.count(), Lead.objects.count()) == before

    call_command("seed_demo", "--scale", "small", "--seed", "3", "--flush", "--no-recompute", stdout=StringIO())
    assert (Person.objects.count(), Lead.objects.count()) == before
    assert User.objects.filter(username="admin").count() == 1


@pytest.mark.django_db
def test_flush_keeps_what_is_not_demo_data():
    _seed(1)
    other = User.objects.create_user(username="alice", password="x-Password-2026")
    indicators = Indicator.objects.count()
    counts = demo_flush()
    assert counts["org.OrgUnit"] == 19
    assert not OrgUnit.objects.exists()
    assert not Person.objects.exists()
    assert not Customer.objects.exists()
    assert not UserProfile.objects.exists()
    assert not User.objects.filter(username__in=["admin", "hr", "manager", "member", "integrator"]).exists()
    assert User.objects.filter(pk=other.pk).exists()
    assert Indicator.objects.count() == indicators


@pytest.mark.django_db
def test_demo_info_prints_the_logins():
    out = StringIO()
    call_command("demo_info", "--url", "http://127.0.0.1:8000/", stdout=out)
    assert "seed_demo" in out.getvalue()  # nothing seeded yet: it says how
    _seed(1)
    out = StringIO()
    call_command("demo_info", "--url", "http://127.0.0.1:8000/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for username in ("admin", "hr", "manager", "member", "integrator"):
        assert username in text
    assert demo_password() in text
    assert "create_api_token integrator --scope write" in text
    region = UserProfile.objects.get(user__username="manager").org_unit
    assert region.code in text
