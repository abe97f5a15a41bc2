"""The demo seed: deterministic, the documented size, a consistent tree, working logins, real differences."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Max, Min, Q

from org.demo import SCALES, DemoNotEmptyError, demo_flush, demo_password, demo_steps, seed_demo
from org.models import ApiToken, OrgUnit, OrgUnitClosure, Person, UserProfile
from org.selectors import ALL_UNITS, scope_root
from performance.models import Contract, Customer, Indicator, IndicatorValue, Lead

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
def test_small_demo_has_the_documented_size():
    report = _seed(1)
    kinds = dict(OrgUnit.objects.values_list("kind").annotate(n=Count("id")))
    assert kinds == {"company": 1, "business_unit": 2, "region": 4, "team": 12}
    assert 170 <= Person.objects.count() <= 230
    roles = set(Person.objects.values_list("role", flat=True))
    assert {"sales_rep", "account_manager", "presales", "customer_success", "marketing", "sales_manager"} <= roles
    assert OrgUnit.objects.filter(kind="team", people__role="sales_manager").distinct().count() == 12
    assert not Person.objects.filter(exit_date__lt=F("hire_date")).exists()
    assert Person.objects.filter(hire_date__gte=dt.date(2025, 2, 1)).exists()  # hires during the window
    assert Person.objects.filter(exit_date__isnull=False).exists()  # and some leavers
    # twelve calendar months of facts, ending with the month of "today"
    span = Lead.objects.aggregate(first=Min("created_on"), last=Max("created_on"))
    assert span["first"] >= dt.date(2025, 2, 1)
    assert span["first"] < dt.date(2025, 2, 10)
    assert span["last"] < TODAY
    assert Lead.objects.dates("created_on", "month").count() == 12
    assert 5_000 <= Lead.objects.count() <= 20_000
    assert Contract.objects.filter(kind="renewal").exists()
    assert [step["name"] for step in report["steps"]][:3] == ["org_tree", "demo_logins", "performance_facts"]


@pytest.mark.django_db
def test_closure_table_matches_the_parent_links():
    _seed(1)
    parent = dict(OrgUnit.objects.values_list("id", "parent_id"))
    expected = set()
    for unit in parent:
        node, depth = unit, 0
        while node is not None:
            expected.add((node, unit, depth))
            node, depth = parent[node], depth + 1
    assert set(OrgUnitClosure.objects.values_list("ancestor_id", "descendant_id", "depth")) == expected
    company = OrgUnit.objects.get(kind="company")
    assert OrgUnitClosure.objects.filter(ancestor=company).count() == OrgUnit.objects.count()


@pytest.mark.django_db
def test_demo_logins_have_their_roles_and_scopes(client):
    report = _seed(1)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.is_staff
    groups = {user.username: set(user.groups.values_list("name", flat=True)) for user in User.objects.all()}
    assert groups["hr"] == {"hr_lead"}
    assert groups["manager"] == {"manager"}
    assert groups["member"] == {"program_member"}
    assert groups["integrator"] == {"integrator"}
    manager_profile = UserProfile.objects.select_related("org_unit", "person").get(user__username="manager")
    assert manager_profile.org_unit.kind == "region"
    assert manager_profile.person.org_unit == manager_profile.org_unit
    assert manager_profile.person.role == "sales_manager"
    assert UserProfile.objects.get(user__username="member").org_unit.kind == "business_unit"
    for username in ("admin", "hr", "integrator"):
        assert scope_root(User.objects.get(username=username)) == ALL_UNITS
    assert ApiToken.objects.filter(user__username="integrator", scope="write", revoked_at__isnull=True).count() == 1
    assert report["token"].startswith("ahr_")
    for username in ("admin", "hr", "manager", "member", "integrator"):
        assert _logs_in(client, username, demo_password())
        client.logout()
    assert not _logs_in(client, "hr", "wrong")


@pytest.mark.django_db
def test_password_comes_from_the_environment(monkeypatch, client):
    monkeypatch.setenv("DEMO_PASSWORD", "another-Secret-2026")
    _seed(1)
    assert _logs_in(client, "member", "another-Secret-2026")


@pytest.mark.django_db
def test_indicator_values_exist_and_teams_differ():
    _seed(1, recompute=True)
    company = OrgUnit.objects.get(kind="company")
    conversion = Indicator.objects.get(code="lead_conversion_rate")
    monthly = IndicatorValue.objects.filter(indicator=conversion, org_unit=company, period="month")
    assert monthly.count() == 12
    assert IndicatorValue.objects.filter(person__isnull=False, value__isnull=False).exists()
    # lead conversion of each team over the whole window: a ratio of sums over the facts
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for unit_id, converted, qualified in (
        Lead.objects.filter(is_qualified=True)
        .values("org_unit_id")
        .annotate(c=Count("id", filter=Q(converted_on__isnull=False)), q=Count("id"))
        .values_list("org_unit_id", "c", "q")
    ):
        totals[unit_id] = [converted, qualified]
    rates = {unit_id: 100 * c / q for unit_id, (c, q) in totals.items()}
    assert len(rates) == 12
    assert max(rates.values()) - min(rates.values()) > 10  # percentage points between best and worst team
    teams = list(OrgUnit.objects.filter(kind="team").order_by("id").values_list("id", flat=True))
    assert rates[teams[0]] > rates[teams[1]]  # the drawn best converter beats the drawn weakest one
    # the engine's value for a team is the ratio of its facts' sums
    yearly = IndicatorValue.objects.get(
        indicator=conversion, org_unit_id=teams[0], period="year", period_start=dt.date(2025, 1, 1)
    )
    leads_2025 = Lead.objects.filter(org_unit_id=teams[0], is_qualified=True, created_on__year=2025)
    expected = 100 * leads_2025.filter(converted_on__isnull=False).count() / leads_2025.count()
    assert float(yearly.value) == pytest.approx(expected, abs=0.01)


@pytest.mark.django_db
def test_activity_grows_over_the_window():
    _seed(1)
    first_half = Lead.objects.filter(created_on__range=(dt.date(2025, 2, 1), dt.date(2025, 7, 31))).count()
    second_half = Lead.objects.filter(created_on__range=(dt.date(2025, 8, 1), dt.date(2025, 12, 31))).count()
    assert second_half / 5 > first_half / 6  # monthly leads: growth and the year-end push


@pytest.mark.django_db
def test_seed_refuses_a_database_with_org_units():
    _seed(1)
    with pytest.raises(DemoNotEmptyError):
        _seed(1)


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
