"""Fixtures of the diagnosis tests: a small hand-built questionnaire and a round with three respondents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from diagnosis.choices import ItemKind, SectionKind
from diagnosis.models import Item, Questionnaire, Section
from diagnosis.services import AnswerInput, response_submit, round_open
from org.choices import PersonRole
from org.models import Person
from org.services import user_profile_set
from tests.conftest import make_user


def build_questionnaire() -> Questionnaire:
    """Talent: t1 (weight 2), t2 (reverse), t3 (optional); Transfer: c1; Symptoms: lead, churn."""
    questionnaire = Questionnaire.objects.create(family="test", version=1, name_zh="测试问卷", name_en="Test")
    talent = Section.objects.create(
        questionnaire=questionnaire,
        position=1,
        root_cause="talent_standards",
        title_zh="人才",
        title_en="Talent",
    )
    transfer = Section.objects.create(
        questionnaire=questionnaire,
        position=2,
        root_cause="capability_transfer",
        title_zh="赋能",
        title_en="Transfer",
    )
    symptoms = Section.objects.create(
        questionnaire=questionnaire, position=3, kind=SectionKind.SYMPTOMS, title_zh="症状", title_en="Symptoms"
    )

    def item(section, code, position, **kwargs):
        kwargs.setdefault("root_cause", section.root_cause)
        return Item.objects.create(
            questionnaire=questionnaire,
            section=section,
            code=code,
            position=position,
            text_zh=f"{code} 中文",
            text_en=f"{code} text",
            **kwargs,
        )

    item(talent, "t1", 1, weight=Decimal("2"))
    item(talent, "t2", 2, reverse=True)
    item(talent, "t3", 3, required=False)
    item(transfer, "c1", 1)
    item(symptoms, "s_lead", 1, kind=ItemKind.SYMPTOM, root_cause="", symptom="low_lead_conversion")
    item(symptoms, "s_churn", 2, kind=ItemKind.SYMPTOM, root_cause="", symptom="high_new_customer_churn")
    return questionnaire


def answers(**values) -> list[AnswerInput]:
    """answers(t1=5, t2="na") -> AnswerInput rows."""
    return [
        AnswerInput(item=code, not_applicable=True) if value == "na" else AnswerInput(item=code, value=value)
        for code, value in values.items()
    ]


@pytest.fixture
def questionnaire(db):
    return build_questionnaire()


@pytest.fixture
def respondents(org_tree):
    """Three logins that are people of team T1 ("Respondent 1" to "Respondent 3")."""
    users = []
    for i in (1, 2, 3):
        user = make_user(f"resp{i}", "program_member")
        person = Person.objects.create(
            external_id=f"R{i}",
            name=f"Respondent {i}",
            org_unit=org_tree["T1"],
            role=PersonRole.SALES_REP,
            hire_date=dt.date(2024, 1, 1),
        )
        user_profile_set(user=user, person=person)
        users.append(user)
    return users


@pytest.fixture
def t1_round(questionnaire, org_tree, hr_lead, respondents):
    """A round of team T1 (inside East) owned by the HR lead, three respondents, data quarter 2025-Q1."""
    return round_open(
        questionnaire=questionnaire,
        org_unit=org_tree["T1"],
        owner=hr_lead,
        respondents=respondents,
        title="T1 check",
        data_period_start=dt.date(2025, 1, 1),
        opened_at=timezone.now(),
    )


def submit(assessment_round, user, **values):
    return response_submit(assessment_round=assessment_round, user=user, answers=answers(**values))
