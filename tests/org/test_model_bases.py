"""The shared model bases: bilingual names follow the active language, timestamps and the creator are kept."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from diagnosis.models import Questionnaire
from enablement.choices import StageCode
from enablement.models import JourneyMap, JourneyStage
from org.choices import OrgUnitKind
from org.model_bases import CreatedAt, CreatedBy, UpdatedAt
from org.models import OrgUnit, RecomputeMark
from performance.models import Indicator

PROJECT_APPS = {"org", "performance", "diagnosis", "talent", "enablement", "rollout"}
BOOKKEEPING = ["created_by", "created_at", "updated_at"]
NOON = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "name_zh", "name_en", "expected"),
    [
        ("zh-hans", "赢率", "Win rate", "赢率"),
        ("en", "赢率", "Win rate", "Win rate"),
        ("zh-hans", "", "Win rate", "Win rate"),  # falls back to the other language
        ("en", "赢率", "", "赢率"),
    ],
)
def test_name_is_the_active_languages_or_the_other_one(language, name_zh, name_en, expected):
    indicator = Indicator(code="win_rate", name_zh=name_zh, name_en=name_en)
    with translation.override(language):
        assert indicator.name == expected


@pytest.mark.parametrize(("language", "expected"), [("zh-hans", "中文说明"), ("en", "English text")])
def test_description_is_the_active_languages(language, expected):
    questionnaire = Questionnaire(name_zh="自检", name_en="Self-check", description_zh="中文说明")
    questionnaire.description_en = "English text"
    with translation.override(language):
        assert questionnaire.description == expected
    questionnaire.description_en = ""
    with translation.override("en"):
        assert questionnaire.description == "中文说明"


def test_optional_names_may_be_blank_and_a_stage_falls_back_to_its_label():
    # the names of maps and stages may be left blank (required ones stay required)
    assert JourneyMap._meta.get_field("name_zh").blank
    assert JourneyMap._meta.get_field("name_en").blank
    assert not Questionnaire._meta.get_field("name_en").blank
    # a stage named in neither language shows its stage's label
    stage = JourneyStage(code=StageCode.AWARENESS)
    with translation.override("en"):
        assert stage.name == "Awareness"
    stage.name_en = "Discovery call"
    with translation.override("zh-hans"):
        assert stage.name == "Discovery call"


@pytest.mark.django_db
def test_created_at_is_set_once_and_updated_at_on_every_save():
    # given a unit created at noon
    with mock.patch("django.utils.timezone.now", return_value=NOON):
        unit = OrgUnit.objects.create(code="U1", name="Unit", kind=OrgUnitKind.TEAM)
    assert unit.created_at == unit.updated_at == NOON
    # when it is saved an hour later
    with mock.patch("django.utils.timezone.now", return_value=NOON + dt.timedelta(hours=1)):
        unit.name = "Unit renamed"
        unit.save()
    # then only updated_at moved
    unit.refresh_from_db()
    assert unit.created_at == NOON
    assert unit.updated_at == NOON + dt.timedelta(hours=1)


@pytest.mark.django_db
def test_created_at_alone_is_set_on_insert():
    before = timezone.now()
    mark = RecomputeMark.objects.create(year=2025, reason="test")
    assert before <= mark.created_at <= timezone.now()
    assert not hasattr(mark, "updated_at")


@pytest.mark.django_db
def test_created_by_is_emptied_when_the_login_goes_and_has_no_reverse_accessor():
    # given a questionnaire created by a login
    user = get_user_model().objects.create_user(username="author", password="x-pass-1234")
    questionnaire = Questionnaire.objects.create(family="bases", name_zh="自检", name_en="Self-check", created_by=user)
    assert Questionnaire._meta.get_field("created_by").remote_field.related_name == "+"
    # when the login is deleted
    user.delete()
    # then the questionnaire stays, without a creator
    questionnaire.refresh_from_db()
    assert questionnaire.created_by is None


def test_bookkeeping_fields_come_last_in_every_model():
    """Forms, the admin, exports and audit entries list fields in model order; these always came last."""
    inheriting = [
        model
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and issubclass(model, CreatedBy | CreatedAt | UpdatedAt)
    ]
    assert len(inheriting) >= 20
    for model in inheriting:
        names = [field.name for field in model._meta.concrete_fields]
        kept = [name for name in BOOKKEEPING if name in names]
        assert names[-len(kept) :] == kept, model._meta.label
