"""Rounds end to end through the services: exact results, confidentiality, one submission, outsiders."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from diagnosis.choices import Level
from diagnosis.models import Answer, Item
from diagnosis.results import round_results
from diagnosis.services import (
    ALREADY_SUBMITTED,
    questionnaire_copy,
    questionnaire_update,
    response_save,
    round_close,
    round_open,
)
from tests.conftest import make_user

from .conftest import answers, submit


def submit_three(assessment_round, respondents):
    r1, r2, r3 = respondents
    submit(assessment_round, r1, t1=5, t2=2, t3="na", c1=4, s_lead=3, s_churn=0)
    submit(assessment_round, r2, t1=1, t2=5, t3=3, c1="na", s_lead=0, s_churn=0)
    submit(assessment_round, r3, t1=3, t2=3, t3=5, c1=2, s_lead="na", s_churn=0)


def by_root(results):
    return {row["root_cause"]: row for row in results.scores}


def test_scores_over_several_respondents(t1_round, respondents):
    # given: hand-worked talent scores 275/3, 12.5 and 62.5; transfer 75 and 25 (one "not applicable")
    submit_three(t1_round, respondents)
    # when
    results = round_results(t1_round)
    # then
    scores = by_root(results)
    assert results.available
    assert scores["talent_standards"]["score"] == pytest.approx(500 / 9)
    assert scores["talent_standards"]["level"] == Level.DEVELOPING
    assert scores["talent_standards"]["n"] == 3
    assert (scores["talent_standards"]["min"], scores["talent_standards"]["max"]) == (12.5, pytest.approx(275 / 3))
    assert scores["capability_transfer"]["score"] == 50.0
    assert scores["capability_transfer"]["sd"] == 25.0
    assert scores["incentive_alignment"]["score"] is None


def test_symptom_roots_ranked_by_the_units_weakest_root_causes(t1_round, respondents):
    submit_three(t1_round, respondents)
    results = round_results(t1_round)
    # only lead conversion was reported (churn rated 0 by everyone)
    assert [s["symptom"] for s in results.symptoms] == ["low_lead_conversion"]
    lead = results.symptoms[0]
    assert (lead["reported"], lead["n"], lead["mean_severity"]) == (1, 2, 1.5)
    # transfer (50) is weaker than talent (55.6); collaboration has no score and comes last
    assert [root["root_cause"] for root in lead["roots"]] == [
        "capability_transfer",
        "talent_standards",
        "org_collaboration",
        "org_collaboration",
    ]
    assert results.focus_dimensions == ["enablement", "talent"]
    assert [block["root_cause"] for block in results.interventions] == ["capability_transfer", "talent_standards"]
    assert results.key_indicators == ["lead_conversion_rate"]


def test_results_stay_closed_below_min_respondents(t1_round, respondents):
    r1, r2, _r3 = respondents
    submit(t1_round, r1, t1=5, t2=2, c1=4, s_lead=3, s_churn=0)
    submit(t1_round, r2, t1=1, t2=5, c1=4, s_lead=0, s_churn=0)
    results = round_results(t1_round)
    assert not results.available
    assert results.submitted == 2
    assert results.scores == []
    assert results.symptoms == []


def test_drafts_do_not_count(t1_round, respondents):
    r1, r2, r3 = respondents
    submit(t1_round, r1, t1=5, t2=2, c1=4, s_lead=3, s_churn=0)
    submit(t1_round, r2, t1=1, t2=5, c1=4, s_lead=0, s_churn=0)
    response_save(assessment_round=t1_round, user=r3, answers=answers(t1=1, t2=1, c1=1, s_lead=0, s_churn=0))
    assert not round_results(t1_round).available


def test_second_submission_is_refused_with_a_clear_message(t1_round, respondents):
    r1 = respondents[0]
    submit(t1_round, r1, t1=5, t2=2, c1=4, s_lead=3, s_churn=0)
    with pytest.raises(ValidationError) as caught:
        submit(t1_round, r1, t1=1, t2=1, c1=1, s_lead=0, s_churn=0)
    assert caught.value.code == ALREADY_SUBMITTED
    assert "already submitted" in caught.value.messages[0]
    assert Answer.objects.get(response__respondent=r1, item__code="t1").value == 5


def test_outsider_cannot_answer(t1_round, org_tree):
    outsider = make_user("outsider", "program_member")
    with pytest.raises(PermissionDenied):
        response_save(assessment_round=t1_round, user=outsider, answers=answers(t1=3))


def test_missing_required_items_are_named_one_by_one(t1_round, respondents):
    with pytest.raises(ValidationError) as caught:
        submit(t1_round, respondents[0], t1=5)
    missing = caught.value.message_dict
    # t3 is optional; everything else required is named with its step
    assert set(missing) == {"t2", "c1", "s_lead", "s_churn"}
    assert "Step 2" in missing["c1"][0]


def test_values_out_of_range_are_refused(t1_round, respondents):
    with pytest.raises(ValidationError) as caught:
        response_save(assessment_round=t1_round, user=respondents[0], answers=answers(t1=6, s_lead=4))
    assert set(caught.value.message_dict) == {"t1", "s_lead"}


def test_closed_round_takes_no_answers(t1_round, respondents):
    round_close(assessment_round=t1_round)
    with pytest.raises(ValidationError, match="closed"):
        submit(t1_round, respondents[0], t1=5, t2=2, c1=4, s_lead=3, s_churn=0)


def test_round_needs_enough_respondents(questionnaire, org_tree, hr_lead, respondents):
    with pytest.raises(ValidationError) as caught:
        round_open(questionnaire=questionnaire, org_unit=org_tree["T1"], owner=hr_lead, respondents=respondents[:2])
    assert "respondents" in caught.value.message_dict


def test_editing_a_copy_leaves_earlier_answers_alone(t1_round, respondents, hr_lead):
    # given: answers to version 1
    submit_three(t1_round, respondents)
    before = round_results(t1_round)
    # when: a copy is edited (weight, reverse flag and text of t1)
    copy = questionnaire_copy(source=t1_round.questionnaire, user=hr_lead)
    from diagnosis.services import ItemEdit

    edits = [
        ItemEdit(
            item_id=item.pk,
            text_zh=item.text_zh + "（改）",
            text_en=item.text_en + " (edited)",
            weight=item.weight * 5 if item.code == "t1" else item.weight,
            reverse=not item.reverse if item.code == "t1" else item.reverse,
            required=item.required,
        )
        for item in copy.items.all()
    ]
    questionnaire_update(questionnaire=copy, name_zh="副本", name_en="Copy", items=edits)
    # then: the first version and its results are unchanged
    assert copy.version == 2
    original = Item.objects.get(questionnaire=t1_round.questionnaire, code="t1")
    assert (original.weight, original.reverse, original.text_en) == (2, False, "t1 text")
    assert by_root(round_results(t1_round)) == by_root(before)


def test_a_version_in_use_cannot_be_edited(t1_round):
    with pytest.raises(ValidationError, match="Copy it"):
        questionnaire_update(questionnaire=t1_round.questionnaire, name_zh="x", name_en="x", items=[])
