"""Talent supply chain and channel statistics on hand-built data whose answers are worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from org.models import Person
from talent.models import Candidate, CandidateScore, CandidateStageChange, HeadcountPlan
from talent.supply import (
    annual_attrition_rate,
    channel_rows,
    channel_statistics,
    expected_hires,
    headcount_on,
    hire_outlook,
    stage_flow,
    supply_plan,
)

AS_OF = dt.date(2025, 6, 30)
D = dt.date

# Candidate → (current stage, [(stage, entered_on)])
HISTORY = {
    1: ("hired", [("sourced", D(2025, 1, 1)), ("screened", D(2025, 1, 11)), ("interviewed", D(2025, 1, 21)),
                  ("offered", D(2025, 2, 10)), ("hired", D(2025, 2, 20))]),
    2: ("rejected", [("sourced", D(2025, 1, 1)), ("screened", D(2025, 1, 21)), ("rejected", D(2025, 2, 1))]),
    3: ("rejected", [("sourced", D(2025, 1, 1)), ("rejected", D(2025, 1, 5))]),
    4: ("interviewed", [("sourced", D(2025, 1, 1)), ("screened", D(2025, 1, 6)), ("interviewed", D(2025, 1, 16))]),
    5: ("sourced", [("sourced", D(2025, 1, 1))]),
    # skipped screening: counts as advancing from sourced
    6: ("hired", [("sourced", D(2025, 1, 1)), ("interviewed", D(2025, 1, 31)), ("offered", D(2025, 2, 20)),
                  ("hired", D(2025, 3, 2))]),
}  # fmt: skip

# A stays; B left within the last year; C joined this year; D left before the year began.
PEOPLE = [
    ("A", D(2020, 1, 1), None),
    ("B", D(2020, 1, 1), D(2024, 12, 31)),
    ("C", D(2025, 3, 1), None),
    ("D", D(2020, 1, 1), D(2024, 1, 1)),
]


def history_frames():
    rows = [(pk, stage, day) for pk, (_, steps) in HISTORY.items() for stage, day in steps]
    history = pd.DataFrame(rows, columns=["candidate", "stage", "entered_on"])
    current = pd.Series({pk: stage for pk, (stage, _) in HISTORY.items()})
    return history, current


def test_headcount_and_attrition():
    people = pd.DataFrame([(hire, exit_) for _, hire, exit_ in PEOPLE], columns=["hire_date", "exit_date"])
    # a year before: A and B (D had left) = 2; now: A and C = 2; one exit (B) in the year
    assert headcount_on(people, D(2024, 6, 30)) == 2
    assert headcount_on(people, AS_OF) == 2
    assert annual_attrition_rate(people, AS_OF) == pytest.approx(0.5)


def test_stage_conversion_and_time_in_stage():
    history, current = history_frames()
    flow = stage_flow(history, current)
    # sourced: 6 entered; 1, 2, 4, 6 moved on, 3 was rejected there, 5 is still open → 4/5;
    # days to the next stage reached 10, 20, 5, 30 → median 15
    assert flow.loc["sourced"].tolist() == pytest.approx([6, 4, 1, 0.8, 15])
    # screened: 1, 2, 4 entered; 1 and 4 moved on, 2 was rejected → 2/3; days 10 and 10
    assert flow.loc["screened"].tolist() == pytest.approx([3, 2, 1, 2 / 3, 10])
    # interviewed: 1, 4, 6; 1 and 6 moved on, 4 still open → 2/2; 20 and 20 days
    assert flow.loc["interviewed"].tolist() == pytest.approx([3, 2, 0, 1.0, 20])
    assert flow.loc["offered"].tolist() == pytest.approx([2, 2, 0, 1.0, 10])


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (40, 1.0),  # only the interviewed candidate (30 days to hire) is hired in time
        (60, 1.0 + 0.8 * 2 / 3),  # the sourced one too (55 days), with probability 0.8 · 2/3 · 1 · 1
        (5, 0.0),
    ],
)
def test_expected_hires_in_time(days_left, expected):
    history, current = history_frames()
    outlook = hire_outlook(stage_flow(history, current))
    assert outlook.loc["sourced", "days_to_hire"] == 55
    assert outlook.loc["interviewed", "days_to_hire"] == 30
    open_counts = current[current.isin(["sourced", "screened", "interviewed", "offered"])].value_counts()
    assert expected_hires(open_counts, outlook, days_left).sum() == pytest.approx(expected)


def test_supply_plan_gap_and_warning(org_tree):
    # given: the people and candidates above in the sales BU, and a plan for Q3 2025
    for external_id, hire, exit_ in PEOPLE:
        Person.objects.create(
            external_id=external_id,
            name=external_id,
            org_unit=org_tree["T1"],
            role="sales_rep",
            hire_date=hire,
            exit_date=exit_,
        )
    Person.objects.create(
        external_id="X", name="X", org_unit=org_tree["SERVICE"], role="sales_rep", hire_date=D(2020, 1, 1)
    )
    for pk, (stage, steps) in HISTORY.items():
        candidate = Candidate.objects.create(
            external_id=f"C{pk}", name=f"C{pk}", role="sales_rep", org_unit=org_tree["T2"],
            applied_on=steps[0][1], stage=stage,
        )  # fmt: skip
        CandidateStageChange.objects.bulk_create(
            [CandidateStageChange(candidate=candidate, stage=s, entered_on=day) for s, day in steps]
        )
    plan = HeadcountPlan.objects.create(
        role="sales_rep", org_unit=org_tree["SALES"], quarter=D(2025, 7, 1), target_headcount=6, bench_successors=1
    )
    # when
    result = supply_plan(plan, as_of=AS_OF)
    # then: 92 days to 30 Sep; attrition 2 × 0.5 × 92/365; hires 1 + 0.8·2/3; bench 1
    attrition = 2 * 0.5 * 92 / 365
    hires = 1 + 0.8 * 2 / 3
    assert result.current == 2
    assert result.attrition_rate == pytest.approx(0.5)
    assert result.expected_attrition == pytest.approx(attrition)
    assert result.expected_hires == pytest.approx(hires)
    assert result.gap == pytest.approx(6 - (2 - attrition + hires + 1))
    assert len(result.warnings) == 1
    assert "cannot fill" in result.warnings[0]
    by_stage = {row["stage"]: row for row in result.stages}
    assert by_stage["sourced"]["conversion"] == pytest.approx(80)
    assert by_stage["interviewed"]["open"] == 1


def channel_frame():
    nat = None
    return pd.DataFrame(
        [
            ("campus", "hired", 80.0, D(2024, 1, 1), nat),  # a year on: still here
            ("campus", "hired", 60.0, D(2024, 3, 1), D(2024, 12, 1)),  # left within the year
            ("campus", "rejected", 40.0, nat, nat),
            ("campus", "screened", np.nan, nat, nat),  # open: counts for volume only
            ("referral", "hired", 90.0, D(2025, 1, 1), nat),  # hired under a year ago: no retention yet
        ],
        columns=["channel", "stage", "score", "hire_date", "exit_date"],
    )


def test_channel_statistics():
    table = channel_statistics(channel_frame(), AS_OF)
    campus, referral = table.loc["campus"], table.loc["referral"]
    assert campus[["volume", "hires", "retention_base"]].tolist() == [4, 2, 2]
    assert campus["conversion"] == pytest.approx(200 / 3)
    assert campus["average_match"] == pytest.approx(60)
    assert campus["retention"] == pytest.approx(50)
    assert referral["conversion"] == pytest.approx(100)
    assert referral["average_match"] == pytest.approx(90)
    assert pd.isna(referral["retention"])


def test_channel_rows_from_the_database(org_tree):
    person = Person.objects.create(
        external_id="P", name="P", org_unit=org_tree["T1"], role="sales_rep", hire_date=D(2024, 1, 1)
    )
    Candidate.objects.create(
        external_id="K1", name="K1", role="sales_rep", org_unit=org_tree["T1"], applied_on=D(2023, 11, 1),
        stage="hired", source_channel="campus", hired_as=person,
    )  # fmt: skip
    Candidate.objects.create(
        external_id="K2", name="K2", role="sales_rep", org_unit=org_tree["T1"], applied_on=D(2023, 11, 1),
        stage="rejected",
    )  # fmt: skip
    assert not CandidateScore.objects.exists()
    rows = {row["channel"]: row for row in channel_rows(Candidate.objects.all(), as_of=AS_OF)}
    assert rows["campus"]["retention"] == pytest.approx(100)
    assert rows["campus"]["average_match"] is None
    assert rows["(no channel)"]["conversion"] == pytest.approx(0)


def test_the_candidates_import_records_stage_entries(org_tree):
    from org.ingest.service import ingest_records

    record = {
        "external_id": "C9", "name": "Li Lei", "role": "sales_rep", "org_unit": "T1", "applied_on": "2025-03-01",
        "stage": "sourced",
    }  # fmt: skip
    assert ingest_records(dataset="candidates", records=[record]).ok
    assert ingest_records(dataset="candidates", records=[{**record, "stage": "interviewed"}]).ok
    assert ingest_records(dataset="candidates", records=[{**record, "stage": "interviewed"}]).ok  # no change
    entries = dict(CandidateStageChange.objects.filter(candidate__external_id="C9").values_list("stage", "entered_on"))
    assert entries["sourced"] == D(2025, 3, 1)
    assert set(entries) == {"sourced", "interviewed"}
