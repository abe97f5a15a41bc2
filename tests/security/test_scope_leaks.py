"""Object-level scope beyond the matrix: a manager of the West subtree must not reach East people, scores,
candidates, programs or payouts through list filters, exports, the candidate search, counts or totals.

The matrix (test_permission_matrix.py) already checks every page and endpoint with its default parameters,
including that no allowed answer to a manager carries a name of the other subtree; these tests add the
parameters a caller can choose.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from tests.conftest import make_user
from tests.security.conftest import EAST_MARKERS, client_for

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def west(world, db):
    """The manager of the West subtree (T3), logged in."""
    return client_for(world, "manager_out")


def _results(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    return response.json()["results"]


def _no_east_names(response) -> None:
    text = response.content.decode()
    assert [marker for marker in EAST_MARKERS if marker in text] == []


# --- API list filters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/api/v1/people/", {"org_unit": "T1"}),
        ("/api/v1/people/", {"org_unit": "EAST"}),
        ("/api/v1/org-units/", {"parent": "EAST"}),
        ("/api/v1/indicator-values/", {"org_unit": "T1"}),
        ("/api/v1/indicator-values/", {"org_unit": "EAST", "subtree": "true"}),
        ("/api/v1/indicator-values/", {"person": "EP1"}),
        ("/api/v1/ltv/cohorts/", {"org_unit": "T1"}),
        ("/api/v1/ltv/cohorts/", {"person": "EP1"}),
    ],
)
def test_a_filter_naming_the_other_subtree_finds_nothing(west, url, query):
    assert _results(west.get(url, query)) == []


@pytest.mark.parametrize(
    ("url", "query", "key", "expected"),
    [
        ("/api/v1/people/", {"org_unit": "ACME"}, "external_id", {"WP3"}),
        ("/api/v1/people/", {"role": "sales_rep"}, "external_id", {"WP3"}),
        ("/api/v1/org-units/", {"kind": "team"}, "code", {"T3"}),
        ("/api/v1/indicator-values/", {"org_unit": "ACME", "subtree": "true"}, "org_unit", {"T3"}),
        ("/api/v1/indicator-values/", {"indicator": "win_rate"}, "org_unit", {"T3", None}),
        ("/api/v1/indicator-values/", {"indicator": "win_rate"}, "person", {"WP3", None}),
        ("/api/v1/ltv/cohorts/", {}, "org_unit", {"T3", None}),
    ],
)
def test_a_filter_over_a_common_ancestor_stays_in_the_subtree(west, url, query, key, expected):
    assert {row[key] for row in _results(west.get(url, query))} == expected


def test_lists_of_rounds_programs_scorecards_show_only_the_subtree(west, world):
    assert {row["title"] for row in _results(west.get("/api/v1/diagnosis/rounds/"))} == {"Westround Lambda"}
    assert {row["name"] for row in _results(west.get("/api/v1/rollout/programs/"))} == {"Westprog Kappa"}
    assert {row["name"] for row in _results(west.get("/api/v1/scorecards/"))} == {"Westcard Tau"}


@pytest.mark.parametrize("name", ["unit", "org_unit"])
@pytest.mark.parametrize("code", ["T1", "EAST", "NOSUCH"])
def test_a_unit_parameter_outside_the_subtree_is_404(west, world, name, code):
    # never a silent swap to the viewer's own unit: every page and endpoint that reads a unit refuses it
    card, plan = world.west_scorecard.pk, world.company_plan.pk
    for url in (
        f"/api/v1/scorecards/{card}/attainment/",
        f"/api/v1/incentives/{plan}/simulation/",
        f"/performance/scorecards/{card}/",
        f"/performance/incentives/{plan}/",
        "/enablement/readiness/",
    ):
        assert west.get(url, {name: code}).status_code == 404, url


def test_a_unit_parameter_inside_the_subtree_is_shown(west, world):
    readiness = west.get("/enablement/readiness/", {"unit": "T3"})
    assert readiness.context["unit"].code == "T3"
    simulation = west.get(f"/performance/incentives/{world.company_plan.pk}/", {"org_unit": "T3"})
    assert simulation.context["unit"].code == "T3"
    assert west.get("/enablement/readiness/").context["unit"].code == "WEST"
    _no_east_names(readiness)


# --- payouts, candidates, totals -------------------------------------------------------------------------------


def test_a_company_wide_plan_pays_out_only_the_subtree(west, world):
    # given a plan without a unit: every manager may simulate it, but only for their own people
    api = west.get(f"/api/v1/incentives/{world.company_plan.pk}/simulation/")
    page = west.get(f"/performance/incentives/{world.company_plan.pk}/")

    assert {row["person"] for row in _results(api)} == {"WP3"}
    assert [payout.person.external_id for payout in page.context["payouts"]] == ["WP3"]
    _no_east_names(api)
    _no_east_names(page)


def test_an_east_plan_is_hidden_from_the_west(west, world):
    # the East plan's rules and payouts concern the East only (as an East scorecard does)
    assert west.get(f"/api/v1/incentives/{world.plan.pk}/simulation/").status_code == 404
    assert west.get(f"/performance/incentives/{world.plan.pk}/").status_code == 404
    assert [plan.name for plan in west.get("/performance/incentives/").context["plans"]] == ["Company plan"]


def test_candidate_matches_and_search_show_only_the_subtree(west, world):
    matches = west.get(f"/api/v1/talent/profiles/{world.profile.pk}/matches/", {"stage": "applied"})
    page = west.get("/talent/candidates/", {"role": "sales_rep", "stage": "applied", "min_score": "0"})

    assert {row["candidate"] for row in _results(matches)} == {"WC-1"}
    assert [row["candidate"] for row in page.context["page"]] == ["WC-1"]
    _no_east_names(matches)
    _no_east_names(page)


def test_supply_counts_only_the_subtree(west, world):
    data = west.get("/api/v1/talent/supply/", {"role": "sales_rep"}).json()

    assert [(row["org_unit"], row["target_headcount"]) for row in data["plans"]] == [("T3", 3)]
    assert [(row["channel"], row["volume"]) for row in data["channels"]] == [("job_board", 1)]
    page = west.get("/talent/supply/").context
    assert [row["result"].plan.org_unit.code for row in page["plans"]] == ["T3"]
    assert [row["channel"] for row in page["channels"]] == ["job_board"]


def test_enrolment_counts_only_the_subtree(world, db):
    # one enrolment in East (EP1) and one in West (WP3)
    for role, expected in (("manager_out", 1), ("manager_in", 1), ("hr_lead", 2)):
        client = client_for(world, role)
        api = {row["code"]: row["enrolled"] for row in client.get("/api/v1/enablement/activities/").json()}
        listed = {a.code: a.enrolled for a in client.get("/enablement/activities/").context["activities"]}
        overview = {a.code: a.enrolled for a in client.get("/enablement/").context["activities"]}
        assert api[world.activity.code] == listed[world.activity.code] == overview[world.activity.code] == expected


def test_the_home_tree_and_dashboard_show_only_the_subtree(west, world):
    home = west.get("/")
    assert {row["unit"].code for row in home.context["rows"]} == {"WEST", "T3"}
    dashboard = west.get("/api/v1/dashboards/WEST/")
    assert dashboard.status_code == 200
    _no_east_names(dashboard)
    _no_east_names(west.get("/performance/dashboard/", {"people_sort": "name"}))


def test_heatmap_and_prefilled_forms_do_not_reach_the_other_subtree(west, world):
    compare = west.get("/diagnosis/compare/", {"kind": "team"})
    assert all(row["unit"].code in {"WEST", "T3"} for row in compare.context["rows"])
    program_form = west.get("/rollout/programs/new/", {"org_unit": "T1"})  # managers may not start programs
    assert program_form.status_code == 403
    drill = client_for(world, "manager_out").get(
        f"/enablement/scenarios/{world.scenario.code}/drill/", {"person": world.person.external_id}
    )
    assert drill.status_code == 200
    _no_east_names(drill)


# --- exports --------------------------------------------------------------------------------------------------


def test_exports_of_the_other_subtree_are_404(west, world):
    assert west.get(f"/diagnosis/rounds/{world.round.pk}/results/export.xlsx").status_code == 404
    assert west.get(f"/diagnosis/rounds/{world.round.pk}/results/print/").status_code == 404
    assert west.get(f"/rollout/programs/{world.program.pk}/toolkit.zip").status_code == 404


def test_the_own_program_toolkit_holds_nothing_of_the_other_subtree(west, world):
    response = west.get(f"/rollout/programs/{world.west_program.pk}/toolkit.zip")

    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", errors="replace")
            assert [marker for marker in EAST_MARKERS if marker in text] == [], name


def test_an_hr_lead_with_a_unit_exports_personal_data_only_in_that_subtree(world, db):
    scoped_hr = make_user("m_scoped_hr", "hr_lead", unit=world.units["WEST"])
    client = client_for(world, "anonymous")
    client.force_login(scoped_hr)

    assert client.get(f"/api/v1/people/{world.person.external_id}/personal-data/").status_code == 404
    assert client.post(f"/api/v1/people/{world.person.external_id}/anonymize/").status_code == 404
    assert client.get(f"/api/v1/people/{world.west_person.external_id}/personal-data/").status_code == 200


# --- a login that sees no unit ------------------------------------------------------------------------------


def test_a_login_without_scope_sees_no_company_figures(world, db):
    nobody = make_user("m_unscoped_member", "program_member")
    client = client_for(world, "anonymous")
    client.force_login(nobody)

    overview = client.get("/enablement/")
    assert overview.status_code == 200
    assert overview.context["readiness"] is None
    assert {a.code: a.enrolled for a in overview.context["activities"]}[world.activity.code] == 0
    assert client.get("/api/v1/people/").json()["count"] == 0
    assert client.get("/api/v1/indicator-values/").json()["count"] == 0
