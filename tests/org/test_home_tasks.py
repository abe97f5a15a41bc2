"""The home page says what waits for each login (questionnaires, gates, overdue milestones, opened results,
co-led programs), each with a link to act, and the headline indicators of their scope against target."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.utils import timezone

from diagnosis.services import round_close, round_open
from org.choices import PersonRole
from org.models import Person
from org.services import user_profile_set
from org.ui.dates import day_text
from performance.models import Indicator, IndicatorValue
from rollout.choices import StepStatus
from rollout.models import ChecklistItem, ProgramStep
from rollout.services import KeyIndicatorInput, milestone_create, program_create
from tests.conftest import flat, make_user
from tests.diagnosis.conftest import build_questionnaire, submit

TODAY = timezone.localdate()


def _person(user, name, unit, *, scope=None):
    person = Person.objects.create(
        external_id=f"X-{user.username}", name=name, org_unit=unit, role=PersonRole.OTHER, hire_date=dt.date(2020, 1, 1)
    )
    user_profile_set(user=user, org_unit=scope, person=person)
    return user


@pytest.fixture
def world(org_tree, hr_lead, east_manager):
    """An HR lead (Hana), an East manager (Erik), a West manager (Wes) and a program member (Mia, in T1)."""
    hr = _person(hr_lead, "Hana Hr", org_tree["ACME"])
    east = _person(east_manager, "Erik East", org_tree["EAST"], scope=org_tree["EAST"])
    west = _person(make_user("west", "manager"), "Wes West", org_tree["WEST"], scope=org_tree["WEST"])
    member = _person(make_user("mia", "program_member"), "Mia Member", org_tree["T1"], scope=org_tree["T1"])
    return {"hr": hr, "east": east, "west": west, "member": member}


def _tasks(client, user) -> list[str]:
    """Each task of the home page as "kind | title | detail | action → link"."""
    client.force_login(user)
    html = flat(client.get("/").content.decode())
    found = re.findall(
        r'data-kind="(\w+)"> <span class="badge[^"]*">[^<]*</span> <span class="task-body"><span class="task-title">'
        r'([^<]*)</span><span class="task-detail muted small">([^<]*)</span></span> <a class="button[^"]*" '
        r'href="([^"]*)">([^<]*)</a>',
        html,
    )
    return [unescape(f"{kind} | {title} | {detail} | {action} → {url}") for kind, title, detail, url, action in found]


def _indicators():
    found = []
    for code in ("lead_conversion_rate", "win_rate", "nps"):
        indicator, _created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name_en": code,
                "name_zh": code,
                "category": "acquisition_efficiency",
                "unit": "percent",
                "timing": "lagging",
                "review_cycle": "quarter",
            },
        )
        found.append(KeyIndicatorInput(indicator, "lagging", Decimal("40")))
    return found


def _program(world, org_tree, *, sponsor, name="East conversion"):
    return program_create(
        name=name,
        sponsor=sponsor,
        hr_co_lead=world["hr"],
        org_units=[org_tree["EAST"]],
        focus_dimensions=["enablement"],
        key_indicators=_indicators(),
        start_date=TODAY - dt.timedelta(days=30),
    )


def test_a_questionnaire_waits_for_its_respondent_until_submitted(client, world, org_tree):
    # given a round of T1 with Mia and two others invited
    others = [make_user(f"r{i}", "program_member") for i in (1, 2)]
    assessment_round = round_open(
        questionnaire=build_questionnaire(),
        org_unit=org_tree["T1"],
        owner=world["hr"],
        respondents=[world["member"], *others],
        title="T1 check",
        data_period_start=dt.date(2026, 1, 1),
        opened_at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC),
    )
    # then Mia sees it; the East manager, who is not invited, does not
    assert _tasks(client, world["member"]) == [
        "answer | T1 check | Waiting for your answers since March 2, 2026. | Answer → "
        f"/diagnosis/rounds/{assessment_round.pk}/respond/"
    ]
    assert not any(task.startswith("answer") for task in _tasks(client, world["east"]))
    # when she submits, it is gone
    submit(assessment_round, world["member"], t1=4, t2=2, c1=3, s_lead=2, s_churn=1)
    assert _tasks(client, world["member"]) == []


def test_opened_results_show_to_who_may_read_them_within_scope(client, world, org_tree):
    respondents = [make_user(f"r{i}", "program_member") for i in (1, 2, 3)]
    east_round = round_open(
        questionnaire=build_questionnaire(),
        org_unit=org_tree["T1"],
        owner=world["hr"],
        respondents=respondents,
        title="T1 check",
        data_period_start=dt.date(2026, 1, 1),
    )
    for user in respondents:
        submit(east_round, user, t1=4, t2=2, c1=3, s_lead=2, s_churn=1)
    round_close(assessment_round=east_round)
    day = day_text(timezone.localdate())
    expected = (
        f"results | T1 check | The round closed on {day}; its results are open. | Read the results → "
        f"/diagnosis/rounds/{east_round.pk}/results/"
    )
    assert expected in _tasks(client, world["hr"])
    assert expected in _tasks(client, world["east"])
    assert _tasks(client, world["west"]) == []  # T1 lies outside West
    assert _tasks(client, respondents[0]) == []  # a program member may not read round results


def test_a_gate_waits_for_the_co_lead_who_has_not_signed(client, world, org_tree):
    program = _program(world, org_tree, sponsor=world["east"])
    step = ProgramStep.objects.get(program=program, number=1)
    items = list(ChecklistItem.objects.filter(step=step, is_exit_criterion=True).values_list("pk", flat=True))
    ChecklistItem.objects.filter(pk__in=items[2:]).update(done=True)
    # while exit criteria are open, each co-lead sees the program's next step, not a gate to sign
    assert _tasks(client, world["east"]) == [
        "program | East conversion | Step 1, Align and assess: 2 exit criteria are not checked yet. | "
        f"Open the program → /rollout/programs/{program.pk}/#checklist"
    ]
    ChecklistItem.objects.filter(step=step).update(done=True)
    ProgramStep.objects.filter(pk=step.pk).update(hr_signed_at=timezone.now(), hr_signed_by=world["hr"])
    assert _tasks(client, world["east"]) == [
        "sign | East conversion | Step 1, Align and assess: every exit criterion is checked; the gate waits for "
        f"your signature. | Sign the gate → /rollout/programs/{program.pk}/#gate"
    ]
    assert _tasks(client, world["hr"]) == [
        "program | East conversion | Step 1, Align and assess: the gate waits for the other co-lead's signature. | "
        f"Open the program → /rollout/programs/{program.pk}/#gate"
    ]
    assert _tasks(client, world["west"]) == []


def test_an_overdue_milestone_shows_to_its_owner_only(client, world, org_tree):
    program = _program(world, org_tree, sponsor=world["east"])
    now = timezone.now()
    ProgramStep.objects.filter(program=program).update(
        status=StepStatus.CLOSED, closed_on=TODAY, business_signed_at=now, hr_signed_at=now
    )
    due = TODAY - dt.timedelta(days=3)
    milestone_create(program=program, step=1, title="Interview guide", due_date=due, owner=world["member"])
    milestone_create(program=program, step=1, title="Due today", due_date=TODAY, owner=world["member"])
    milestone_create(program=program, step=1, title="Done late", due_date=due, owner=world["member"], status="done")
    assert _tasks(client, world["member"]) == [
        f"overdue | Interview guide | East conversion: due {day_text(due)}, 3 days ago. | "
        f"Update the milestone → /rollout/programs/{program.pk}/#milestones"
    ]
    assert not any(task.startswith("overdue") for task in _tasks(client, world["east"]))


def test_nothing_waiting_says_what_to_start(client, world):
    client.force_login(world["hr"])
    html = flat(client.get("/").content.decode())
    assert "Nothing waits for you right now" in html
    assert (
        '<a class="tile" href="/diagnosis/rounds/new/"><span class="tile-body"><span class="tile-title">Start a '
        in html
    )
    client.force_login(world["member"])
    html = flat(client.get("/").content.decode())
    assert "Start a self-check round" not in html
    assert 'class="tile" href="/rollout/programs/new/"' not in html  # only HR leads start a program (issue 16)
    client.force_login(world["west"])
    html = flat(client.get("/").content.decode())
    assert 'class="tile" href="/rollout/programs/new/"' not in html
    assert "When an HR lead invites you to a self-check or a program gives you a milestone, it shows here." in html


def _value(code, unit, start, value):
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        org_unit=unit,
        period="quarter",
        period_start=start,
        numerator=value,
        denominator=100,
        value=value,
        computed_at=timezone.now(),
    )


def test_headline_cards_show_the_viewers_unit_against_target(client, world, org_tree):
    _indicators()
    Indicator.objects.filter(code="win_rate").update(target=Decimal("30"))
    quarter = dt.date(2025, 10, 1)
    _value("win_rate", org_tree["EAST"], quarter, Decimal("25.5"))
    _value("lead_conversion_rate", org_tree["EAST"], quarter, Decimal("12"))
    _value("win_rate", org_tree["WEST"], quarter, Decimal("99"))
    _value("win_rate", org_tree["ACME"], quarter, Decimal("31"))
    client.force_login(world["east"])
    html = flat(client.get("/").content.decode())
    cards = re.findall(
        r'<span class="stat-label">([^<]*)</span> <span class="stat-value">([^<]*)</span> '
        r'<span class="small kpi-target">(.*?)</span> </div>',
        html,
    )
    assert "Headline indicators of East" in html
    assert [(label, value) for label, value, _target in cards] == [
        ("Win rate · 2025 Q4", "25.5 %"),
        ("Qualified lead conversion rate · 2025 Q4", "12.0 %"),
    ]
    assert "Target 30.0 %" in cards[0][2]
    assert "below target" in cards[0][2]
    assert "No target set" in cards[1][2]  # a manager may not set one
    client.force_login(world["hr"])
    html = flat(client.get("/").content.decode())
    assert "Headline indicators of ACME" in html
    assert 'Target 30.0 % <span class="badge ok">on target</span>' in html


def test_hr_lead_without_a_target_gets_a_link_to_set_one(client, world, org_tree):
    _indicators()
    _value("nps", org_tree["ACME"], dt.date(2025, 10, 1), Decimal("40"))
    client.force_login(world["hr"])
    html = flat(client.get("/").content.decode())
    assert '<a href="/performance/indicators/nps/">Set a target</a>' in html


def test_home_page_queries_stay_bounded(client, world, org_tree, django_assert_max_num_queries):
    for number in range(3):
        program = _program(world, org_tree, sponsor=world["east"], name=f"Program {number}")
        for index in range(3):
            milestone_create(
                program=program,
                step=1,
                title=f"M{number}{index}",
                due_date=TODAY - dt.timedelta(days=2),
                owner=world["east"],
            )
    client.force_login(world["east"])
    client.get("/")
    with django_assert_max_num_queries(16):
        response = client.get("/")
    assert len(_tasks(client, world["east"])) == 12
    assert response.status_code == 200
