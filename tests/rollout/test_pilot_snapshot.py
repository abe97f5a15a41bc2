"""Pilot results are stored: nightly for every pilot and right after a pilot changes; pages read the snapshot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from org.jobs import nightly_steps
from rollout import results as results_module
from rollout.jobs import pilot_results_nightly
from rollout.models import PilotResult
from rollout.pilots import pilot_create, pilot_results_refresh, pilot_update

from .conftest import add_value
from .test_did import CELLS

TODAY = dt.date(2026, 7, 15)
MONTHS = {"pre": [dt.date(2026, 3, 1), dt.date(2026, 4, 1)], "post": [dt.date(2026, 5, 1), dt.date(2026, 6, 1)]}


@pytest.fixture
def pilot(program, org_tree, indicators):
    """T1 against T2 on lead conversion, with the hand-built values of test_did (estimate 6, naive 10)."""
    for is_pilot, is_post, values in CELLS:
        unit = org_tree["T1"] if is_pilot else org_tree["T2"]
        for month, value in zip(MONTHS["post" if is_post else "pre"], values, strict=True):
            add_value(indicators["lead_conversion_rate"], unit, month, value, period="month")
    return pilot_create(
        program=program,
        name="T1 pilot",
        pilot_units=[org_tree["T1"]],
        control_units=[org_tree["T2"]],
        start=dt.date(2026, 5, 1),
        end=dt.date(2026, 6, 30),
        pre_months=2,
    )


def _rows(pilot) -> dict[str, PilotResult]:
    return {row.indicator.code: row for row in PilotResult.objects.filter(pilot=pilot).select_related("indicator")}


def test_nightly_step_stores_each_key_indicator_and_a_rerun_replaces_them(pilot):
    # when the nightly step runs
    outcome = pilot_results_nightly(today=TODAY)
    # then every key indicator of the pilot has one row with the estimate and the chart series
    assert outcome == {"pilots": 1, "results": 3}
    rows = _rows(pilot)
    assert set(rows) == {"lead_conversion_rate", "win_rate", "nps"}
    conversion = rows["lead_conversion_rate"]
    assert conversion.estimate == pytest.approx(6.0)
    assert conversion.naive == pytest.approx(10.0)
    assert conversion.ci_low < 6 < conversion.ci_high
    assert conversion.observations == 8
    assert conversion.months == ["2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01"]
    assert conversion.pilot_means == [10.0, 12.0, 20.0, 22.0]
    assert conversion.control_means == [10.0, 14.0, 15.0, 17.0]
    assert rows["nps"].estimate is None
    assert rows["nps"].pilot_means == [None, None, None, None]
    first_ids, first_time = {row.pk for row in rows.values()}, conversion.computed_at
    # when it runs again: the rows are replaced, not added
    assert pilot_results_nightly(today=TODAY) == {"pilots": 1, "results": 3}
    again = _rows(pilot)
    assert PilotResult.objects.count() == 3
    assert {row.pk for row in again.values()}.isdisjoint(first_ids)
    assert again["lead_conversion_rate"].computed_at >= first_time
    assert again["lead_conversion_rate"].estimate == pytest.approx(6.0)


def test_the_step_is_registered_after_the_indicator_values():
    order = {step.name: step.order for step in nightly_steps()}
    assert order["indicator_values"] < order["rollout_pilot_results"] < order["rollout_radar_snapshots"]


def test_a_new_or_changed_pilot_is_refreshed_once_committed(
    program, org_tree, indicators, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pilot = pilot_create(
            program=program,
            name="p",
            pilot_units=[org_tree["T1"]],
            control_units=[org_tree["T2"]],
            start=dt.date(2026, 5, 1),
            end=dt.date(2026, 6, 30),
        )
    assert len(callbacks) == 1
    assert PilotResult.objects.filter(pilot=pilot).count() == 3
    before = {row.pk for row in PilotResult.objects.filter(pilot=pilot)}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pilot_update(pilot=pilot, control_units=[org_tree["T2"], org_tree["T3"]])
    assert len(callbacks) == 1
    after = {row.pk for row in PilotResult.objects.filter(pilot=pilot)}
    assert len(after) == 3
    assert after.isdisjoint(before)


def test_nothing_is_stored_before_the_commit(pilot):
    # without the commit (this test's transaction never commits) the snapshot waits
    assert not PilotResult.objects.filter(pilot=pilot).exists()


def test_refresh_of_a_deleted_pilot_is_a_no_op(pilot):
    pilot_id = pilot.pk
    pilot.delete()
    assert pilot_results_refresh(pilot_id=pilot_id) == 0


def test_page_and_api_read_the_snapshot(client, program, pilot, co_leads, monkeypatch, django_assert_max_num_queries):
    # given a stored snapshot, and the live computation made to fail if anyone called it
    pilot_results_nightly(today=TODAY)

    def no_live_computation(*args, **kwargs):
        raise AssertionError("the page recomputed a pilot that has a snapshot")

    monkeypatch.setattr(results_module, "pilot_results", no_live_computation)
    _sponsor, hr = co_leads
    client.force_login(hr)
    # when the program page is opened: a bounded number of queries
    with django_assert_max_num_queries(45):
        page = client.get(reverse("rollout:program", args=[program.pk]))
    text = page.content.decode()
    # then the stored estimate, its time and the chart are shown
    assert page.status_code == 200
    assert "Computed at" in text
    assert 'class="did-estimate">6.0 %<' in text
    assert "1.7 % … 10.3 %" in text  # the stored interval
    assert f'data-figure="pilot-{pilot.pk}-' in text
    # and the API reads the same snapshot
    api = APIClient()
    api.force_authenticate(hr)
    with django_assert_max_num_queries(30):
        data = api.get(f"/api/v1/rollout/programs/{program.pk}/").json()
    stored = data["pilots"][0]
    assert stored["computed_at"] is not None
    by_code = {row["indicator"]: row for row in stored["results"]}
    assert by_code["lead_conversion_rate"]["estimate"] == pytest.approx(6.0)
    assert by_code["lead_conversion_rate"]["naive"] == pytest.approx(10.0)


def test_page_computes_on_the_fly_until_a_snapshot_exists(client, program, pilot, co_leads):
    _sponsor, hr = co_leads
    client.force_login(hr)
    text = client.get(reverse("rollout:program", args=[program.pk])).content.decode()
    assert "Computed just now" in text
    api = APIClient()
    api.force_authenticate(hr)
    assert api.get(f"/api/v1/rollout/programs/{program.pk}/").json()["pilots"][0]["computed_at"] is None


def test_page_queries_do_not_grow_with_pilots(client, program, org_tree, co_leads):
    def page_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("rollout:program", args=[program.pk]))
        return len(captured)

    _sponsor, hr = co_leads
    client.force_login(hr)
    pilots = []
    for index in range(3):
        pilots.append(
            pilot_create(
                program=program,
                name=f"p{index}",
                pilot_units=[org_tree["T1"]],
                control_units=[org_tree["T2"]],
                start=dt.date(2026, 5, 1),
                end=dt.date(2026, 6, 30),
            )
        )
        pilot_results_refresh(pilot_id=pilots[-1].pk, today=TODAY)
        if index == 0:
            page_queries()  # the first view also reads the user's permissions into the cache
            one = page_queries()
    assert page_queries() == one
