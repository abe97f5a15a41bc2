"""Scores exactly as DESIGN.md section 6 says: item scores, reverse items, "not applicable", weights, levels."""

from __future__ import annotations

import pandas as pd
import pytest

from diagnosis.choices import Evidence, Level
from diagnosis.stats import level_of, likert_score, respondent_scores, round_scores, symptom_severity, triangulate


@pytest.mark.parametrize(
    ("value", "reverse", "expected"),
    [
        (1, False, 0.0),
        (2, False, 25.0),
        (3, False, 50.0),
        (4, False, 75.0),
        (5, False, 100.0),
        (4, True, 25.0),
        (1, True, 100.0),
        (5, True, 0.0),
    ],
)
def test_likert_item_score(value, reverse, expected):
    assert likert_score(value, reverse=reverse) == expected


@pytest.mark.parametrize(
    ("score", "level"),
    [
        (0, Level.WEAK),
        (39.99, Level.WEAK),
        (40, Level.DEVELOPING),
        (69.99, Level.DEVELOPING),
        (70, Level.STRONG),
        (100, Level.STRONG),
        (None, None),
    ],
)
def test_levels_at_the_boundaries(score, level):
    assert level_of(score) == level


def frame(rows):
    return pd.DataFrame(rows, columns=["respondent", "root_cause", "weight", "reverse", "value", "not_applicable"])


def test_weighted_mean_with_reverse_and_not_applicable():
    # given: weight 2 on a 5 (100), a reverse-scored 2 (6 - 2 = 4 -> 75), one "not applicable"
    answers = frame(
        [
            (1, "talent_standards", 2, False, 5, False),
            (1, "talent_standards", 1, True, 2, False),
            (1, "talent_standards", 1, False, None, True),
        ]
    )
    # when
    scores = respondent_scores(answers)
    # then: (2 * 100 + 75) / 3
    assert scores["score"].tolist() == [pytest.approx(275 / 3)]


def test_all_not_applicable_drops_the_respondent_from_that_root_cause():
    answers = frame(
        [
            (1, "capability_transfer", 1, False, 4, False),
            (2, "capability_transfer", 1, False, None, True),
            (3, "capability_transfer", 1, False, 2, False),
        ]
    )
    rows = round_scores(respondent_scores(answers), ["capability_transfer", "org_collaboration"])
    transfer, collaboration = rows
    assert transfer["score"] == 50.0  # (75 + 25) / 2, respondent 2 skipped
    assert transfer["n"] == 2
    assert transfer["sd"] == 25.0
    assert (transfer["min"], transfer["max"]) == (25.0, 75.0)
    assert transfer["level"] == Level.DEVELOPING
    assert collaboration["score"] is None
    assert collaboration["level"] is None


def test_round_score_is_the_mean_over_respondents_not_over_items():
    # respondent 1 answers two items (100, 100), respondent 2 one item (0): mean of means is 50, not 66.7
    answers = frame(
        [
            (1, "org_collaboration", 1, False, 5, False),
            (1, "org_collaboration", 1, False, 5, False),
            (2, "org_collaboration", 1, False, 1, False),
        ]
    )
    (row,) = round_scores(respondent_scores(answers), ["org_collaboration"])
    assert row["score"] == 50.0


def test_symptom_severity_counts_reports_and_skips_not_applicable():
    answers = pd.DataFrame(
        [(1, "low_deal_size", 3, False), (2, "low_deal_size", 0, False), (3, "low_deal_size", None, True)],
        columns=["respondent", "symptom", "value", "not_applicable"],
    )
    (row,) = symptom_severity(answers).to_dict("records")
    assert (row["n"], row["reported"], row["mean_severity"]) == (2, 1, 1.5)


@pytest.mark.parametrize(
    ("unit", "peers", "lower", "expected"),
    [
        (10, [10, 20, 30], False, Evidence.CONFIRMED),  # higher is better, below the median 20
        (30, [10, 20, 30], False, Evidence.NOT_CONFIRMED),
        (20, [10, 20, 30], False, Evidence.NOT_CONFIRMED),  # at the median is not worse
        (30, [10, 20, 30], True, Evidence.CONFIRMED),  # lower is better (churn), above the median
        (None, [10, 20, 30], False, Evidence.NO_DATA),
        (10, [10, 20], False, Evidence.NO_DATA),  # too few units to speak of a median
    ],
)
def test_triangulate(unit, peers, lower, expected):
    evidence, _median = triangulate(unit, peers, lower_is_better=lower)
    assert evidence == expected
