"""The small demo's contents, read from one seed (seed 1, recomputed) that the tests share: its documented size, a
consistent tree, working logins with their scopes, indicator values that differ between teams, growth over the
window. The seed itself (determinism, refusals, flush, the command) is in test_seed_demo.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, F, Max, Min, Q

from org.demo import DemoNotEmptyError, demo_password
from org.models import ApiToken, OrgUnit, OrgUnitClosure, Person, UserProfile
from org.selectors import ALL_UNITS, scope_root
from performance.models import Contract, Indicator, IndicatorValue, Lead
from tests.org.test_seed_demo import TODAY, _logs_in, _seed

# One worker runs them all, so the demo is seeded once.
pytestmark = pytest.mark.xdist_group("demo-contents")


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The small demo (seed 1, recomputed), seeded once for the tests that only read it: its report.

    Seeding takes seconds; the tests below that check one side of the same demo share it. Rolled back after
    the module; each test runs in a savepoint inside it (``db``).
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield _seed(1, recompute=True)
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db) -> dict:
    return seeded


def test_small_demo_has_the_documented_size(demo):
    report = demo
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


def test_closure_table_matches_the_parent_links(demo):
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
def test_demo_logins_have_their_roles_and_scopes(demo, client):
    report = demo
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


def test_indicator_values_exist_and_teams_differ(demo):
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


def test_activity_grows_over_the_window(demo):
    first_half = Lead.objects.filter(created_on__range=(dt.date(2025, 2, 1), dt.date(2025, 7, 31))).count()
    second_half = Lead.objects.filter(created_on__range=(dt.date(2025, 8, 1), dt.date(2025, 12, 31))).count()
    assert second_half / 5 > first_half / 6  # monthly leads: growth and the year-end push


def test_seed_refuses_a_database_with_org_units(demo):
    with pytest.raises(DemoNotEmptyError):
        _seed(1)
