"""The built-in questionnaire from the seed's part 1: bilingual, six or more statements per root cause."""

from collections import Counter

from django.utils import translation

from diagnosis.choices import RootCause, Symptom
from diagnosis.models import Item, Questionnaire


def test_default_questionnaire_is_complete(db):
    questionnaire = Questionnaire.objects.get(family="default", is_builtin=True)
    items = list(Item.objects.filter(questionnaire=questionnaire))
    per_root = Counter(item.root_cause for item in items if item.kind == "likert")
    reverse_per_root = Counter(item.root_cause for item in items if item.reverse)
    assert set(per_root) == set(RootCause.values)
    assert min(per_root.values()) >= 6
    assert set(reverse_per_root) == set(RootCause.values)
    assert {item.symptom for item in items if item.kind == "symptom"} == set(Symptom.values)
    assert all(item.text_zh and item.text_en and item.text_zh != item.text_en for item in items)
    assert [s.position for s in questionnaire.sections.all()] == [1, 2, 3, 4, 5]


def test_texts_follow_the_active_language(db):
    item = Item.objects.get(questionnaire__family="default", code="ts1")
    with translation.override("zh-hans"):
        assert "成功画像" in item.text
    with translation.override("en"):
        assert "success profile" in item.text
