"""The write API: what the joint team records over /api/v1/rollout/, with the page's permission rules."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from org.choices import TokenScope
from rollout.models import ChecklistItem, Pilot, Program, ProgramStep, RolloutWave, Workshop
from tests.conftest import make_user

from .conftest import add_value

PROGRAMS = "/api/v1/rollout/programs/"


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _fields(response) -> set[str]:
    """The fields a 400 names, in either shape: the rules' {"errors": [...]} or DRF's {field: [...]}."""
    body = response.json()
    if "errors" in body:
        return {error["field"] for error in body["errors"]}
    return set(body)


@pytest.fixture
def new_program(co_leads, indicators):
    sponsor, hr = co_leads
    return {
        "name": "East conversion",
        "sponsor": sponsor.username,
        "hr_co_lead": hr.username,
        "org_units": ["EAST"],
        "focus_dimensions": ["enablement"],
        "key_indicators": [
            {"indicator": "lead_conversion_rate", "timing": "leading", "target": "40"},
            {"indicator": "win_rate", "target": None},
            {"indicator": "nps"},
        ],
        "start_date": "2026-04-10",
    }


# --- create a program --------------------------------------------------------------------------


def test_create_a_program(co_leads, org_tree, indicators, new_program):
    # given the East region's conversion in the quarter before the start
    add_value(indicators["lead_conversion_rate"], org_tree["EAST"], dt.date(2026, 1, 1), 30)
    add_value(indicators["lead_conversion_rate"], org_tree["EAST"], dt.date(2026, 4, 1), 55)  # start quarter
    indicators["nps"].target = 25
    indicators["nps"].save()
    _sponsor, hr = co_leads
    # when the HR co-lead starts the program over the API
    response = _as(hr).post(PROGRAMS, new_program, format="json")
    # then it is running in step 1 with its key indicators and the baseline taken as the page takes it
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["program"]["name"] == "East conversion"
    assert body["program"]["org_units"] == ["EAST"]
    assert body["active_step"] == 1
    assert [step["status"] for step in body["steps"]] == ["active"] + ["pending"] * 4
    keys = {row["indicator"]: row for row in body["key_indicators"]}
    assert keys["lead_conversion_rate"]["baseline"] == 30.0
    assert keys["lead_conversion_rate"]["baseline_period_start"] == "2026-01-01"
    assert keys["lead_conversion_rate"]["timing"] == "leading"
    assert keys["lead_conversion_rate"]["target"] == 40.0
    assert keys["win_rate"]["target"] is None  # given as null
    assert keys["nps"]["target"] == 25.0  # left out: the library's
    assert keys["nps"]["timing"] == indicators["nps"].timing
    program = Program.objects.get(pk=body["program"]["id"])
    assert program.created_by == hr
    assert set(program.members.values_list("user__username", "role")) == {
        ("biz", "business_co_lead"),
        ("hrlead", "hr_co_lead"),
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"key_indicators": [{"indicator": "win_rate"}, {"indicator": "nps"}]}, "key_indicators"),
        ({"hr_co_lead": "biz"}, "hr_co_lead"),
        ({"focus_dimensions": ["talent", "enablement", "performance"]}, "focus_dimensions"),
        ({"focus_dimensions": ["marketing"]}, "focus_dimensions"),
        ({"org_units": []}, "org_units"),
        ({"org_units": ["NOWHERE"]}, "org_units"),
        ({"sponsor": "nobody"}, "sponsor"),
        ({"key_indicators": [{"indicator": "no_such_code"}]}, "key_indicators"),
        ({"start_date": "01/04/2026"}, "start_date"),
        ({"name": ""}, "name"),
    ],
)
def test_create_refuses_bad_input_naming_the_field(co_leads, new_program, change, field):
    response = _as(co_leads[1]).post(PROGRAMS, {**new_program, **change}, format="json")
    assert response.status_code == 400
    assert field in _fields(response)
    assert not Program.objects.exists()


def test_rule_errors_come_in_the_handlers_shape(co_leads, new_program):
    body = {**new_program, "key_indicators": new_program["key_indicators"][:2]}
    response = _as(co_leads[1]).post(PROGRAMS, body, format="json")
    assert response.json() == {"errors": [{"field": "key_indicators", "message": "Agree on 3 to 5 key indicators."}]}


def test_create_only_with_units_the_caller_sees(org_tree, new_program):
    east_hr = make_user("east_hr", "hr_lead", unit=org_tree["EAST"])  # an HR lead scoped to East
    assert _as(east_hr).post(PROGRAMS, {**new_program, "org_units": ["WEST"]}, format="json").status_code == 400
    assert _as(east_hr).post(PROGRAMS, new_program, format="json").status_code == 201


def test_create_needs_the_permission(east_manager, integrator, token_client, new_program):
    assert _as(east_manager).post(PROGRAMS, new_program, format="json").status_code == 403
    assert token_client(TokenScope.WRITE).post(PROGRAMS, new_program, format="json").status_code == 403  # integrator
    assert not Program.objects.exists()


def test_write_token_creates_as_its_user_and_read_token_does_not(co_leads, token_client, new_program):
    hr = co_leads[1]
    refused = token_client(TokenScope.READ, user=hr).post(PROGRAMS, new_program, format="json")
    assert refused.status_code == 403
    assert not Program.objects.exists()
    created = token_client(TokenScope.WRITE, user=hr).post(PROGRAMS, new_program, format="json")
    assert created.status_code == 201, created.content
    assert Program.objects.get().created_by == hr


# --- who may write on a program ------------------------------------------------------------------


def _wave(program) -> tuple[str, dict]:
    return (
        f"{PROGRAMS}{program.pk}/waves/",
        {"name": "Wave 1", "org_units": ["T2"], "starts_on": "2026-09-01", "ends_on": "2026-10-31"},
    )


def test_member_writes_other_user_in_scope_reads_manager_outside_sees_nothing(
    program, member, east_manager, west_manager
):
    url, body = _wave(program)
    detail = f"{PROGRAMS}{program.pk}/"
    # a member (from outside the scope) writes, inside the program's units
    response = _as(member).post(url, {**body, "org_units": ["T2"]}, format="json")
    assert response.status_code == 201, response.content
    # another user in scope reads, but may not write
    assert _as(east_manager).get(detail).status_code == 200
    assert _as(east_manager).post(url, body, format="json").status_code == 403
    # a manager outside the scope gets a 404 for both
    assert _as(west_manager).get(detail).status_code == 404
    assert _as(west_manager).post(url, body, format="json").status_code == 404
    assert list(RolloutWave.objects.values_list("name", flat=True)) == ["Wave 1"]


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        ("members/", "post", {"user": "east_manager", "role": "sales"}),
        ("checklist/{item}/", "patch", {"done": True}),
        ("pilots/", "post", {"name": "p", "pilot_units": ["T1"], "control_units": ["T2"], "start": "2026-05-01"}),
        ("reviews/", "post", {"held_on": "2026-06-01"}),
        ("stories/", "post", {"title": "t", "text": "x", "org_unit": "T1"}),
        ("workshops/", "post", {"title": "t", "held_on": "2026-06-01", "invited": ["biz"]}),
        ("milestones/", "post", {"title": "t", "step": 1, "due_date": "2026-06-01"}),
        ("steps/1/sign/", "post", {}),
    ],
)
def test_every_write_follows_the_rules(program, east_manager, west_manager, co_leads, token_client, path, method, body):
    item = ChecklistItem.objects.filter(step__program=program, step__number=1).first()
    url = f"{PROGRAMS}{program.pk}/{path.format(item=item.pk)}"
    assert getattr(_as(east_manager), method)(url, body, format="json").status_code == 403
    assert getattr(_as(west_manager), method)(url, body, format="json").status_code == 404
    read_token = token_client(TokenScope.READ, user=co_leads[1])
    assert getattr(read_token, method)(url, body, format="json").status_code == 403


def test_write_token_of_a_member_writes(program, co_leads, token_client):
    url, body = _wave(program)
    response = token_client(TokenScope.WRITE, user=co_leads[0]).post(url, body, format="json")
    assert response.status_code == 201, response.content


def test_unknown_program_is_a_404(co_leads):
    assert _as(co_leads[1]).post(f"{PROGRAMS}999999/waves/", {}, format="json").status_code == 404


# --- members and checklists ----------------------------------------------------------------------


def test_add_a_member_who_may_then_edit(program, co_leads, org_tree):
    newcomer = make_user("li", "program_member", unit=org_tree["T3"])
    url = f"{PROGRAMS}{program.pk}/members/"
    response = _as(co_leads[1]).post(url, {"user": "li", "role": "sales"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json() == {"user": "li", "role": "sales"}
    wave_url, body = _wave(program)
    assert _as(newcomer).post(wave_url, {**body, "org_units": ["T3"]}, format="json").status_code == 201
    assert _fields(_as(co_leads[1]).post(url, {"user": "li", "role": "boss"}, format="json")) == {"role"}
    assert _fields(_as(co_leads[1]).post(url, {"user": "ghost", "role": "sales"}, format="json")) == {"user"}


def test_remove_a_member_but_not_a_co_lead(program, member, co_leads):
    client = _as(co_leads[1])
    assert client.delete(f"{PROGRAMS}{program.pk}/members/member1/").status_code == 204
    assert not program.members.filter(user=member).exists()
    refused = client.delete(f"{PROGRAMS}{program.pk}/members/biz/")
    assert refused.status_code == 400
    assert client.delete(f"{PROGRAMS}{program.pk}/members/member1/").status_code == 404


def test_tick_and_untick_a_checklist_item(program, member, co_leads):
    sponsor, hr = co_leads
    step = ProgramStep.objects.get(program=program, number=1)
    items = list(step.checklist.order_by("position"))
    url = f"{PROGRAMS}{program.pk}/checklist/{items[0].pk}/"
    ticked = _as(member).patch(url, {"done": True}, format="json")
    assert ticked.status_code == 200, ticked.content
    assert ticked.json()["done"] is True
    assert ticked.json()["done_by"] == "member1"
    # every line ticked and one signature, then unticking an exit criterion withdraws it
    for item in items[1:]:
        _as(member).patch(f"{PROGRAMS}{program.pk}/checklist/{item.pk}/", {"done": True}, format="json")
    assert _as(sponsor).post(f"{PROGRAMS}{program.pk}/steps/1/sign/").json()["business_signed_at"] is not None
    unticked = _as(hr).patch(url, {"done": False}, format="json")
    assert unticked.json()["done"] is False
    assert unticked.json()["done_by"] is None
    assert ProgramStep.objects.get(pk=step.pk).business_signed_at is None
    # a later step's line cannot be ticked yet; a line of another program is not found
    later = ChecklistItem.objects.filter(step__program=program, step__number=2).first()
    refused = _as(member).patch(f"{PROGRAMS}{program.pk}/checklist/{later.pk}/", {"done": True}, format="json")
    assert refused.status_code == 400
    assert "active step" in refused.json()["errors"][0]["message"]
    assert _fields(_as(member).patch(url, {"done": "maybe"}, format="json")) == {"done"}
    assert _as(member).patch(f"{PROGRAMS}{program.pk}/checklist/999999/", {"done": True}).status_code == 404


# --- pilots, reviews, stories, waves, workshops --------------------------------------------------


def test_add_a_pilot_with_initiatives(program, member, linkables, django_capture_on_commit_callbacks):
    body = {
        "name": "T1 pilot",
        "pilot_units": ["T1"],
        "control_units": ["T2"],
        "start": "2026-05-01",
        "end": "2026-10-31",
        "pre_months": 3,
        "notes": "Role plays every week.",
        "initiatives": [
            {"kind": "success_profile", "target": linkables["profile"].pk},
            {"kind": "scorecard", "target": linkables["east_card"].pk},
            {"kind": "project_team", "target": linkables["team"].pk},
            {"kind": "other", "label": "Role-play scripts", "url": "https://wiki.example.com/rp"},
        ],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = _as(member).post(f"{PROGRAMS}{program.pk}/pilots/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["pilot_units"] == ["T1"]
    assert data["control_units"] == ["T2"]
    assert data["pre_months"] == 3
    assert data["notes"] == "Role plays every week."
    assert [(i["kind"], i["label"], i["url"]) for i in data["initiatives"]] == [
        ("success_profile", "Hunter reps v1", f"/talent/profiles/{linkables['profile'].pk}/"),
        ("scorecard", "East reps", f"/performance/scorecards/{linkables['east_card'].pk}/"),
        ("project_team", "KA1 team", f"/performance/teams/{linkables['team'].pk}/"),
        ("other", "Role-play scripts", "https://wiki.example.com/rp"),
    ]
    assert [row["indicator"] for row in data["results"]] == ["lead_conversion_rate", "win_rate", "nps"]
    # the snapshot was written once the pilot was committed
    assert Pilot.objects.get().results.count() == 3


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"control_units": ["T1"]}, "control_units"),
        ({"control_units": []}, "control_units"),
        ({"end": "2026-04-01"}, "end"),
        ({"pre_months": 0}, "pre_months"),
        ({"pilot_units": ["NOPE"]}, "pilot_units"),
        ({"initiatives": [{"kind": "scorecard"}]}, "initiatives"),
        ({"initiatives": [{"kind": "scorecard", "target": 999999}]}, "initiatives"),
        ({"initiatives": [{"kind": "other"}]}, "initiatives"),
        ({"initiatives": [{"kind": "magic", "target": 1}]}, "initiatives"),
        ({"initiatives": [{"kind": "other", "label": "x", "target": 1}]}, "initiatives"),
    ],
)
def test_pilot_validation_names_the_field(program, member, change, field):
    body = {"name": "p", "pilot_units": ["T1"], "control_units": ["T2"], "start": "2026-05-01", "end": "2026-10-31"}
    response = _as(member).post(f"{PROGRAMS}{program.pk}/pilots/", {**body, **change}, format="json")
    assert response.status_code == 400
    assert field in _fields(response)
    assert not Pilot.objects.exists()


def test_a_pilot_links_only_what_its_author_may_see(program, co_leads, linkables):
    sponsor, _hr = co_leads  # scoped to East: the West scorecard is not theirs to link
    body = {
        "name": "p",
        "pilot_units": ["T1"],
        "control_units": ["T2"],
        "start": "2026-05-01",
        "end": "2026-10-31",
        "initiatives": [{"kind": "scorecard", "target": linkables["west_card"].pk}],
    }
    response = _as(sponsor).post(f"{PROGRAMS}{program.pk}/pilots/", body, format="json")
    assert response.status_code == 400
    assert "Initiative 1" in response.json()["errors"][0]["message"]


def test_change_a_pilot_over_the_api(program, member, east_manager, linkables, django_capture_on_commit_callbacks):
    created = _as(member).post(
        f"{PROGRAMS}{program.pk}/pilots/",
        {"name": "p", "pilot_units": ["T1"], "control_units": ["T2"], "start": "2026-05-01", "end": "2026-10-31"},
        format="json",
    )
    url = f"{PROGRAMS}{program.pk}/pilots/{created.json()['id']}/"
    change = {"end": "2026-12-31", "initiatives": [{"kind": "scorecard", "target": linkables["east_card"].pk}]}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _as(member).patch(url, change, format="json")
    assert response.status_code == 200, response.content
    assert len(callbacks) == 1  # the snapshot refresh
    assert response.json()["end"] == "2026-12-31"
    assert response.json()["pilot_units"] == ["T1"]  # untouched
    assert [i["kind"] for i in response.json()["initiatives"]] == ["scorecard"]
    # the answer came before the commit; the refreshed snapshot is read afterwards
    assert response.json()["computed_at"] is None
    read = _as(east_manager).get(url)
    assert read.status_code == 200
    assert read.json()["computed_at"] is not None
    assert read.json()["end"] == "2026-12-31"
    assert _as(east_manager).patch(url, change, format="json").status_code == 403
    assert _fields(_as(member).patch(url, {"end": "2026-01-01"}, format="json")) == {"end"}


def test_patching_a_pilot_still_needs_each_initiatives_kind(program, member):
    """PATCH is partial for the pilot, not for the initiatives that replace its links (was a 500, found by
    Schemathesis)."""
    created = _as(member).post(
        f"{PROGRAMS}{program.pk}/pilots/",
        {"name": "p", "pilot_units": ["T1"], "control_units": ["T2"], "start": "2026-05-01", "end": "2026-10-31"},
        format="json",
    )
    url = f"{PROGRAMS}{program.pk}/pilots/{created.json()['id']}/"
    response = _as(member).patch(
        url, {"initiatives": [{"label": "Scripts", "url": "https://x.example"}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"initiatives": {"0": {"kind": ["This field is required."]}}}
    assert Pilot.objects.get(pk=created.json()["id"]).initiatives.count() == 0


def test_record_a_review_with_action_items(program, member, co_leads):
    body = {
        "held_on": "2026-06-30",
        "attendees": ["biz", "hrlead", "member1"],
        "notes": "Pilot numbers",
        "decisions": "Extend the pilot",
        "action_items": [
            {"text": "Share the board", "owner": "hrlead", "due_date": "2026-07-15"},
            {"text": "Book the workshop"},
        ],
    }
    response = _as(member).post(f"{PROGRAMS}{program.pk}/reviews/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["attendees"] == ["biz", "hrlead", "member1"]
    assert data["decisions"] == "Extend the pilot"
    assert {(a["text"], a["owner"], a["due_date"]) for a in data["action_items"]} == {
        ("Share the board", "hrlead", "2026-07-15"),
        ("Book the workshop", None, None),
    }
    blank = _as(member).post(
        f"{PROGRAMS}{program.pk}/reviews/", {**body, "action_items": [{"text": "   "}]}, format="json"
    )
    assert blank.status_code == 400
    assert _fields(blank) == {"action_items"}
    assert program.reviews.count() == 1


def test_record_a_story(program, member, people, indicators):
    body = {
        "title": "A joint visit wins a key account",
        "text": "After three role plays ...",
        "org_unit": "T1",
        "owner": "P1",
        "indicator": "win_rate",
        "evidence_url": "https://wiki.example.com/story",
        "recorded_on": "2026-06-12",
    }
    response = _as(member).post(f"{PROGRAMS}{program.pk}/stories/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["org_unit"], data["owner"], data["indicator"], data["recorded_on"]) == (
        "T1",
        "P1",
        "win_rate",
        "2026-06-12",
    )
    # the member is scoped to West: East's people and units are not theirs to name
    assert _fields(_as(member).post(f"{PROGRAMS}{program.pk}/stories/", {**body, "org_unit": "NOPE"})) == {"org_unit"}
    assert _fields(_as(member).post(f"{PROGRAMS}{program.pk}/stories/", {**body, "title": ""})) == {"title"}
    no_day = {key: value for key, value in body.items() if key != "recorded_on"}
    assert _as(member).post(f"{PROGRAMS}{program.pk}/stories/", no_day).json()["recorded_on"] is not None


def test_plan_a_wave(program, co_leads):
    url, body = _wave(program)
    response = _as(co_leads[1]).post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["org_units"] == ["T2"]
    assert response.json()["starts_on"] == "2026-09-01"
    refused = _as(co_leads[1]).post(url, {**body, "ends_on": "2026-08-01"}, format="json")
    assert refused.status_code == 400
    assert _fields(refused) == {"ends_on"}
    assert _fields(_as(co_leads[1]).post(url, {**body, "org_units": []}, format="json")) == {"org_units"}
    assert RolloutWave.objects.count() == 1


def test_record_a_workshop(program, co_leads, east_manager, west_manager):
    url = f"{PROGRAMS}{program.pk}/workshops/"
    body = {
        "title": "Train the managers",
        "held_on": "2026-09-03",
        "invited": ["east_manager", "west_manager", "biz"],
        "attended": ["east_manager", "hrlead"],
    }
    response = _as(co_leads[1]).post(url, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    # whoever attended counts as invited: 2 of 4
    assert data["invited"] == 4
    assert data["attended"] == 2
    assert data["attendance_rate"] == 50.0
    assert data["attended_users"] == ["east_manager", "hrlead"]
    refused = _as(co_leads[1]).post(url, {**body, "invited": [], "attended": []}, format="json")
    assert _fields(refused) == {"invited"}
    assert _fields(_as(co_leads[1]).post(url, {**body, "invited": ["ghost"]}, format="json")) == {"invited"}
    assert Workshop.objects.count() == 1


def test_write_endpoints_are_documented(co_leads):
    schema = _as(co_leads[1]).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    expected = {
        "/api/v1/rollout/programs/": "post",
        "/api/v1/rollout/programs/{id}/members/": "post",
        "/api/v1/rollout/programs/{id}/members/{username}/": "delete",
        "/api/v1/rollout/programs/{id}/checklist/{item_id}/": "patch",
        "/api/v1/rollout/programs/{id}/pilots/": "post",
        "/api/v1/rollout/programs/{id}/pilots/{pilot_id}/": "patch",
        "/api/v1/rollout/programs/{id}/reviews/": "post",
        "/api/v1/rollout/programs/{id}/stories/": "post",
        "/api/v1/rollout/programs/{id}/waves/": "post",
        "/api/v1/rollout/programs/{id}/workshops/": "post",
    }
    for path, method in expected.items():
        assert path in paths, (path, sorted(paths))
        responses = set(paths[path][method]["responses"])
        assert {"400", "403"} <= responses, (path, responses)
        if path != "/api/v1/rollout/programs/":
            assert "404" in responses, path
