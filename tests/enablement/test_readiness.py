"""Readiness per person and team, worked out by hand on the built-in map (two items per stage, level 3)."""

from __future__ import annotations

import datetime as dt

import pytest

from diagnosis.radar import data_radar
from enablement.readiness import person_readiness, readiness_by_unit, team_readiness
from enablement.services import drill_session_score, enrolment_record

from .conftest import scores_for


def _stage(result, code):
    return next(stage for stage in result.stages if stage.code == code)


def test_nothing_done_is_zero_and_parts_a_stage_lacks_are_left_out(people, activities, scenario):
    result = person_readiness(people["P1"])
    awareness = _stage(result, "awareness")
    consideration = _stage(result, "consideration")
    # awareness has neither scenarios nor activities: only certification counts
    assert (awareness.certification, awareness.drills, awareness.learning, awareness.value) == (0, None, None, 0)
    # consideration has both, nothing done yet
    assert (consideration.certification, consideration.drills, consideration.learning) == (0, 0, 0)
    assert result.overall == 0
    assert not result.ready


def test_certification_drill_and_learning_combine_with_their_weights(people, activities, scenario):
    # given: A1 completed (1 of the 2 activities of the stage); a drill 4,3,4 (weights 2,1,1) = 3.75, passed
    enrolment_record(
        person=people["P1"],
        activity=activities["a1"],
        enrolled_on=dt.date(2026, 3, 1),
        completed_on=dt.date(2026, 3, 9),
    )
    drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 4, 3, 4), held_on=dt.date(2026, 3, 20)
    )
    # when
    result = person_readiness(people["P1"])
    # then: C = (min(1, 3/3) + 0) / 2 = 0.5; D = (3.75 - 1) / 4 = 0.6875; L = 1/2
    consideration = _stage(result, "consideration")
    assert consideration.certification == 0.5
    assert consideration.drills == pytest.approx(0.6875)
    assert consideration.learning == 0.5
    # 100 × (0.5·0.5 + 0.3·0.6875 + 0.2·0.5) = 55.625
    assert consideration.value == 55.6
    assert result.overall == pytest.approx(13.9)
    needs = next(item for item in result.items if item.code == "needs-discovery")
    assert (needs.certified_level, needs.required_level, needs.latest_drill) == (3, 3, 3.75)


def test_the_latest_drill_counts_not_the_best(people, scenario):
    drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 5, 5, 5), held_on=dt.date(2026, 3, 1)
    )
    drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 1, 1, 1), held_on=dt.date(2026, 4, 1)
    )
    consideration = _stage(person_readiness(people["P1"]), "consideration")
    assert consideration.drills == 0  # (1 - 1) / 4
    assert consideration.certification == 0.5  # the earlier pass still certified level 3


def test_team_readiness_is_the_mean_over_the_subtree(people, activities, scenario, org_tree):
    drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 4, 3, 4), held_on=dt.date(2026, 3, 20)
    )
    enrolment_record(
        person=people["P1"],
        activity=activities["a1"],
        enrolled_on=dt.date(2026, 3, 1),
        completed_on=dt.date(2026, 3, 9),
    )
    team = team_readiness(org_tree["EAST"])  # P1 (T1) and P2 (T2)
    consideration = next(stage for stage in team.stages if stage["code"] == "consideration")
    assert consideration["value"] == pytest.approx(27.8)  # (55.6 + 0) / 2
    assert consideration["ready_share"] == 0
    assert consideration["people"] == 2
    assert team_readiness(org_tree["T1"]).stages[1]["value"] == 55.6


def test_radar_learning_axis_reads_mean_readiness_of_assessed_people(people, activities, scenario, org_tree):
    # given: P1 assessed (55.6 on one stage → overall 13.9); P3 only enrolled (0); P2 never assessed
    drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 4, 3, 4), held_on=dt.date(2026, 3, 20)
    )
    enrolment_record(
        person=people["P1"],
        activity=activities["a1"],
        enrolled_on=dt.date(2026, 3, 1),
        completed_on=dt.date(2026, 3, 9),
    )
    enrolment_record(person=people["P3"], activity=activities["a2"], enrolled_on=dt.date(2026, 3, 1))
    # when
    by_unit = readiness_by_unit(None, dt.date(2026, 6, 1))
    radar = data_radar([org_tree["SALES"].pk, org_tree["EAST"].pk], today=dt.date(2026, 6, 1))
    # then
    assert by_unit[org_tree["EAST"].pk] == (13.9, 1)
    assert by_unit[org_tree["SALES"].pk] == (13.9, 2)
    learning = next(axis for axis in radar[org_tree["SALES"].pk] if axis.axis == "learning_development")
    readiness_part = next(part for part in learning.parts if part["code"] == "readiness")
    assert readiness_part["value"] == pytest.approx(6.9, abs=0.05)  # 13.9 / 2


def test_snapshots_follow_drills_and_design_changes(
    people, activities, scenario, org_tree, django_capture_on_commit_callbacks
):
    from enablement.models import ReadinessSnapshot
    from enablement.readiness import readiness_refresh, readiness_step
    from enablement.services import learning_activity_save

    # a scored drill refreshes that person's snapshot at once
    drill_session_score(
        scenario=scenario, person=people["P1"], scores=scores_for(scenario, 4, 3, 4), held_on=dt.date(2026, 3, 20)
    )
    snapshot = ReadinessSnapshot.objects.get(person=people["P1"])
    consideration = next(stage for stage in snapshot.stages if stage["code"] == "consideration")
    assert consideration["value"] == 45.6  # C 0.5, D 0.6875, L 0 of two activities
    # the nightly step covers everyone
    assert readiness_step()["people"] == 4
    assert ReadinessSnapshot.objects.count() == 4
    # a new activity for the stage changes the learning part for everyone, after the commit
    with django_capture_on_commit_callbacks(execute=True):
        learning_activity_save(
            code="a3", name="Third", kind="course", capability_items=list(activities["a1"].capability_items.all())
        )
    snapshot.refresh_from_db()
    assert next(s for s in snapshot.stages if s["code"] == "consideration")["learning"] == 0
    # the team page reads snapshots: the same figures as computing live
    live = team_readiness(org_tree["EAST"], people=None)
    assert readiness_refresh(person_ids=[people["P1"].pk]) == 1
    assert team_readiness(org_tree["EAST"]).stages == live.stages


def test_team_readiness_reads_snapshots_in_few_queries(people, scenario, org_tree, django_assert_max_num_queries):
    from enablement.readiness import readiness_step

    readiness_step()
    with django_assert_max_num_queries(5):
        team = team_readiness(org_tree["ACME"])
    assert len(team.people) == 4
