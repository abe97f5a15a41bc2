"""One small world for the permission matrix: two subtrees, one object of every kind in the East subtree,
a twin of the scoped ones in the West subtree, and a login for each of the eight roles.

The world is built once per test module inside an outer transaction that is rolled back at the end of the
module; each test runs in its own savepoint (``db`` below), so a write one test makes is gone before the
next.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone

from org.choices import OrgUnitKind, PersonRole, TokenScope
from org.models import Job, Person
from org.services import api_token_create, org_unit_create
from tests.conftest import make_user

# Names that only objects of one subtree carry: a login scoped to the other subtree must never read them.
EAST_MARKERS = (
    "Eastwood Alpha",  # person in T1
    "Eastfield Beta",  # person in T2
    "Eastcand Gamma",  # candidate for T1
    "Eastcust Iota",  # customer in T1
    "Eastteam Eta",  # customer project team in T1
    "Eastcard Epsilon",  # scorecard of East
    "Eastplan Zeta",  # incentive plan of East
    "Eastprog Delta",  # rollout program over East
    "Eastround Theta",  # self-check round of T1
)
WEST_MARKERS = (
    "Westley Omega",  # person in T3
    "Westcand Sigma",  # candidate for T3
    "Westcard Tau",  # scorecard of West
    "Westprog Kappa",  # rollout program over West
    "Westround Lambda",  # self-check round of T3
)


def _person(external_id: str, name: str, unit, role: str = PersonRole.SALES_REP) -> Person:
    return Person.objects.create(
        external_id=external_id, name=name, org_unit=unit, role=role, hire_date=dt.date(2024, 1, 1)
    )


def build_world() -> SimpleNamespace:
    """ACME > SALES > (EAST > (T1, T2), WEST > T3), SERVICE; objects of every kind; the eight logins."""
    from diagnosis.services import response_submit, round_open
    from enablement.models import CapabilityItem, JourneyMap
    from enablement.services import enrolment_record, learning_activity_save, scenario_save
    from performance.models import (
        Customer,
        CustomerProjectTeam,
        IncentivePlan,
        Indicator,
        IndicatorValue,
        LtvCohort,
        ProjectTeamMember,
        Scorecard,
    )
    from rollout.choices import TeamRole
    from rollout.models import ChecklistItem, Milestone
    from rollout.pilots import pilot_create
    from rollout.services import KeyIndicatorInput, member_add, milestone_create, program_create
    from talent.models import Candidate, HeadcountPlan, SuccessProfile
    from tests.diagnosis.conftest import answers, build_questionnaire

    w = SimpleNamespace()
    acme = org_unit_create(code="ACME", name="ACME", kind=OrgUnitKind.COMPANY)
    sales = org_unit_create(code="SALES", name="Sales BU", kind=OrgUnitKind.BUSINESS_UNIT, parent=acme)
    service = org_unit_create(code="SERVICE", name="Service BU", kind=OrgUnitKind.BUSINESS_UNIT, parent=acme)
    east = org_unit_create(code="EAST", name="East", kind=OrgUnitKind.REGION, parent=sales)
    west = org_unit_create(code="WEST", name="West", kind=OrgUnitKind.REGION, parent=sales)
    t1 = org_unit_create(code="T1", name="Team 1", kind=OrgUnitKind.TEAM, parent=east)
    t2 = org_unit_create(code="T2", name="Team 2", kind=OrgUnitKind.TEAM, parent=east)
    t3 = org_unit_create(code="T3", name="Team 3", kind=OrgUnitKind.TEAM, parent=west)
    w.units = {u.code: u for u in (acme, sales, service, east, west, t1, t2, t3)}

    # --- the eight roles (anonymous has no login) -------------------------------------------------------
    w.hr_lead = make_user("m_hr", "hr_lead")
    w.manager_in = make_user("m_east_manager", "manager", unit=east)
    w.manager_out = make_user("m_west_manager", "manager", unit=west)
    # A joint-team member from the other subtree: membership, not scope, opens the East program to them;
    # they are also invited to answer the East self-check round.
    w.program_member = make_user("m_member", "program_member", unit=west)
    w.integrator = make_user("m_integrator", "integrator")
    w.superuser = make_user("m_root", superuser=True)
    _token, w.read_key = api_token_create(user=w.integrator, scope=TokenScope.READ)
    _token, w.write_key = api_token_create(user=w.integrator, scope=TokenScope.WRITE)
    helper_hr = make_user("m_hr_colead", "hr_lead")
    helper_member = make_user("m_helper", "program_member", unit=east)

    # --- org ----------------------------------------------------------------------------------------------
    w.person = _person("EP1", "Eastwood Alpha", t1)
    w.person2 = _person("EP2", "Eastfield Beta", t2)
    w.west_person = _person("WP3", "Westley Omega", t3)
    w.job = Job.objects.create(kind="recompute", started_by=w.hr_lead, trigger="manual")

    # --- performance --------------------------------------------------------------------------------------
    w.indicator = Indicator.objects.get(code="win_rate")
    indicators = list(Indicator.objects.filter(code__in=["win_rate", "lead_conversion_rate", "nps"]))
    now = timezone.now()
    for unit, person, value in ((t1, w.person, "41"), (t3, w.west_person, "17")):
        for subject in ({"org_unit": unit}, {"person": person}):
            IndicatorValue.objects.create(
                indicator=w.indicator,
                period="quarter",
                period_start=dt.date(2025, 1, 1),
                numerator=Decimal(value),
                denominator=Decimal(100),
                value=Decimal(value),
                computed_at=now,
                **subject,
            )
    w.scorecard = Scorecard.objects.create(name="Eastcard Epsilon", role=PersonRole.SALES_REP, org_unit=east)
    w.west_scorecard = Scorecard.objects.create(name="Westcard Tau", role=PersonRole.SALES_REP, org_unit=west)
    w.plan = IncentivePlan.objects.create(
        name="Eastplan Zeta",
        roles=[PersonRole.SALES_REP],
        org_unit=east,
        commission_rate=Decimal("5"),
        deferred_share=Decimal("20"),
    )
    w.company_plan = IncentivePlan.objects.create(
        name="Company plan",
        roles=[PersonRole.SALES_REP],
        org_unit=None,
        commission_rate=Decimal("3"),
        deferred_share=Decimal("0"),
    )
    for unit, person in ((t1, w.person), (t3, w.west_person)):
        for subject in ({"org_unit": unit}, {"person": person}):
            LtvCohort.objects.create(
                cohort=dt.date(2025, 1, 1),
                customers=2,
                ltv_total=Decimal("1000"),
                realized_total=Decimal("400"),
                computed_at=now,
                **subject,
            )
    w.customer = Customer.objects.create(
        external_id="EC1", name="Eastcust Iota", segment="enterprise", org_unit=t1, owner=w.person
    )
    w.team = CustomerProjectTeam.objects.create(name="Eastteam Eta", customer=w.customer, org_unit=t1)
    ProjectTeamMember.objects.create(team=w.team, person=w.person, function="sales")

    # --- diagnosis -----------------------------------------------------------------------------------------
    w.free_questionnaire = build_questionnaire()  # never used by a round: editable
    w.free_questionnaire.family, w.free_questionnaire.name_en = "test-free", "Free copy"
    w.free_questionnaire.save()
    w.questionnaire = build_questionnaire()
    respondents = [make_user(f"m_resp{i}", "program_member") for i in (1, 2, 3)]
    w.round = round_open(
        questionnaire=w.questionnaire,
        org_unit=t1,
        owner=w.hr_lead,
        respondents=[*respondents, w.program_member],
        title="Eastround Theta",
        data_period_start=dt.date(2025, 1, 1),
        opened_at=now,
    )
    for user in respondents:  # enough answers for the results (and their export) to open
        response_submit(
            assessment_round=w.round, user=user, answers=answers(t1=4, t2=2, t3=3, c1=4, s_lead=3, s_churn=2)
        )
    w.west_round = round_open(
        questionnaire=w.questionnaire,
        org_unit=t3,
        owner=helper_hr,
        respondents=respondents,
        title="Westround Lambda",
        data_period_start=dt.date(2025, 1, 1),
        opened_at=now,
    )

    # --- talent --------------------------------------------------------------------------------------------
    w.profile = SuccessProfile.objects.create(
        name="Hunter reps",
        role=PersonRole.SALES_REP,
        version=1,
        criterion=w.indicator,
        period="month",
        window_from=dt.date(2025, 1, 1),
        window_to=dt.date(2025, 12, 1),
        top_share=0.25,
        max_q=0.05,
        min_effect=0.2,
        n_high=1,
        n_control=3,
        model={"intercept": -1.0986, "penalty": 1.0, "features": []},
    )
    w.candidate = Candidate.objects.create(
        external_id="EC-1",
        name="Eastcand Gamma",
        role=PersonRole.SALES_REP,
        org_unit=t1,
        applied_on=dt.date(2025, 3, 1),
        stage="applied",
        source_channel="referral",
    )
    w.west_candidate = Candidate.objects.create(
        external_id="WC-1",
        name="Westcand Sigma",
        role=PersonRole.SALES_REP,
        org_unit=t3,
        applied_on=dt.date(2025, 3, 1),
        stage="applied",
        source_channel="job_board",
    )
    quarter = dt.date(timezone.localdate().year, ((timezone.localdate().month - 1) // 3) * 3 + 1, 1)
    HeadcountPlan.objects.create(role=PersonRole.SALES_REP, org_unit=t1, quarter=quarter, target_headcount=7)
    HeadcountPlan.objects.create(role=PersonRole.SALES_REP, org_unit=t3, quarter=quarter, target_headcount=3)

    # --- enablement ----------------------------------------------------------------------------------------
    w.journey_map = JourneyMap.objects.get(is_builtin=True)
    w.stage = w.journey_map.stages.order_by("position").first()
    w.capability_item = CapabilityItem.objects.filter(stage=w.stage).order_by("pk").first()
    w.activity = learning_activity_save(
        code="m-a1", name="Needs workshop", kind="role_play", hours=Decimal(8), capability_items=[w.capability_item]
    )
    w.scenario = scenario_save(
        code="m-s1",
        title="Needs interview",
        capability_item=w.capability_item,
        level=3,
        customer_case="A manufacturer wants faster delivery.",
        pass_threshold=Decimal("3.5"),
        criteria=[{"name": "Questions", "weight": 2}, {"name": "Impact", "weight": 1}],
    )
    enrolment_record(person=w.person, activity=w.activity, enrolled_on=dt.date(2025, 2, 1))
    enrolment_record(person=w.west_person, activity=w.activity, enrolled_on=dt.date(2025, 2, 1))

    # --- rollout -------------------------------------------------------------------------------------------
    w.program = program_create(
        name="Eastprog Delta",
        sponsor=w.program_member,
        hr_co_lead=helper_hr,
        org_units=[east],
        focus_dimensions=["enablement"],
        key_indicators=[KeyIndicatorInput(ind, "lagging", Decimal("40")) for ind in indicators],
        start_date=dt.date(2026, 4, 10),
        created_by=helper_hr,
    )
    member_add(program=w.program, user=helper_member, role=TeamRole.MARKETING)
    w.removable_member = helper_member
    w.step = w.program.steps.get(number=1)
    w.checklist_item = ChecklistItem.objects.filter(step=w.step).order_by("position").first()
    w.milestone = milestone_create(
        program=w.program, step=1, title="Kick-off", due_date=dt.date(2026, 5, 1), owner=w.program_member
    )
    assert isinstance(w.milestone, Milestone)
    w.pilot = pilot_create(
        program=w.program,
        name="T1 pilot",
        pilot_units=[t1],
        control_units=[t2],
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 10, 1),
    )
    w.west_program = program_create(
        name="Westprog Kappa",
        sponsor=w.manager_out,
        hr_co_lead=helper_hr,
        org_units=[west],
        focus_dimensions=["enablement"],
        key_indicators=[KeyIndicatorInput(ind, "lagging", Decimal("40")) for ind in indicators],
        start_date=dt.date(2026, 4, 10),
        created_by=helper_hr,
    )
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The world, committed to nothing: an outer transaction rolled back when the module is done."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
            built.sessions = _sessions(built)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def db(world, django_db_blocker):
    """In this directory ``db`` is the world inside a savepoint rolled back after the test, so that what one
    test writes is gone before the next.

    It replaces pytest-django's ``db``, which sets up a whole test case around every test: two statements
    instead, which counts when a thousand small checks run. The name stays ``db`` so that pytest-django still
    prepares the test database for these tests.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield world
        transaction.set_rollback(True)


SESSION_ROLES = ("hr_lead", "program_member", "manager_in", "manager_out", "superuser")


def _sessions(world: SimpleNamespace) -> dict[str, str]:
    """One stored session per login role, made once: a thousand logins would cost more than the checks."""
    keys = {}
    for role in SESSION_ROLES:
        client = Client()
        client.force_login(getattr(world, role))
        keys[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def client_for(world: SimpleNamespace, role: str) -> Client:
    """A test client acting as one of the eight roles (tokens go in the header, logins in the session)."""
    if role == "integrator_read":
        return Client(HTTP_AUTHORIZATION=f"Token {world.read_key}")
    if role == "integrator_write":
        return Client(HTTP_AUTHORIZATION=f"Token {world.write_key}")
    client = Client()
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client
