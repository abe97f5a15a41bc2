"""The built-in interview questions are there after migrate, and come back after a flush empties the bank."""

from __future__ import annotations

from talent.builtin import QUESTIONS, builtin_questions_sync
from talent.models import InterviewQuestion


def test_migrate_fills_the_bank_in_both_languages(db):
    assert InterviewQuestion.objects.count() == len(QUESTIONS) == 12
    first = InterviewQuestion.objects.get(position=0)
    assert first.text_zh.startswith("你拿到一家从未合作过的中型制造企业")
    assert first.text_en.startswith("You are given a mid-sized manufacturer")


def test_an_emptied_bank_is_filled_again_and_a_kept_one_is_left_alone(db):
    InterviewQuestion.objects.all().delete()
    assert builtin_questions_sync() == 12
    InterviewQuestion.objects.filter(position=0).update(text_en="Our own wording")
    assert builtin_questions_sync() == 0
    assert InterviewQuestion.objects.get(position=0).text_en == "Our own wording"
