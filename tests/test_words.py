"""The words a person reads (issue 16): status labels that mean what they say, one name per root cause,
seeded content in the viewer's language only, translated formulas, factor and role labels, job steps in words."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.utils import translation

from diagnosis.builtin import builtin_questionnaire_sync
from diagnosis.choices import RootCause
from enablement.models import LearningActivity
from org.job_views import result_text
from org.models import Job
from org.ui.words import role_labels
from performance.models import Indicator
from rollout.choices import MilestoneStatus, StepStatus
from rollout.models import Milestone
from talent.models import Factor
from talent.selectors import factor_names
from tests.conftest import flat, make_user

ZH_CATALOGUE = Path(__file__).resolve().parent.parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def _zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


def test_step_and_milestone_statuses_read_as_progress_in_chinese():
    assert [_zh(label) for _, label in StepStatus.choices] == ["未开始", "进行中", "已完成"]
    assert [_zh(label) for _, label in MilestoneStatus.choices] == ["未开始", "进行中", "已完成", "已取消"]


def test_the_zh_catalogue_keeps_employment_and_questionnaire_words_where_they_belong():
    """在职 (employed) only for people's employment, 填写中 (being filled in) only for a questionnaire response."""
    wrong = []
    for entry in polib.pofile(str(ZH_CATALOGUE)):
        if entry.obsolete:
            continue
        if entry.msgstr == "在职" and entry.msgctxt != "employment":
            wrong.append((entry.msgctxt, entry.msgid, entry.msgstr))
        files = {path for path, _line in entry.occurrences}
        if entry.msgstr == "填写中" and not files <= {"diagnosis/templates/diagnosis/round_list.html"}:
            wrong.append((entry.msgctxt, entry.msgid, entry.msgstr))
        if entry.msgctxt in {"program step status", "milestone status"} and entry.msgstr in {
            "在职",
            "填写中",
            "计划中",
        }:
            wrong.append((entry.msgctxt, entry.msgid, entry.msgstr))
    assert wrong == []


@pytest.mark.django_db
def test_root_causes_have_one_name_on_the_landing_page_questionnaire_and_results(client, hr_lead):
    questionnaire = builtin_questionnaire_sync()
    client.force_login(hr_lead)
    for language in ("en", "zh-hans"):
        client.cookies["django_language"] = language
        with translation.override(language):
            names = [str(label) for _, label in RootCause.choices]
        landing = flat(client.get("/diagnosis/").content.decode())
        page = flat(client.get(f"/diagnosis/questionnaires/{questionnaire.pk}/").content.decode())
        for name in names:
            assert f"<h3>{name}</h3>" in landing
            assert f". {name}</h2>" in page
    with translation.override("en"):
        titles = list(
            questionnaire.sections.filter(kind="root_cause").order_by("position").values_list("title_en", flat=True)
        )
        assert titles == [str(label) for _, label in RootCause.choices]
    assert _zh(RootCause.CAPABILITY_TRANSFER.label) == "能力赋能“知行分离”"


@pytest.mark.django_db
def test_a_seeded_activity_shows_only_the_viewers_language(client, hr_lead):
    LearningActivity.objects.create(code="coach", name="客户成功辅导", name_en="Adoption coaching", kind="coaching")
    client.force_login(hr_lead)
    client.cookies["django_language"] = "en"
    english = client.get("/enablement/activities/coach/").content.decode()
    assert "Adoption coaching" in english
    assert "客户成功辅导" not in english
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/enablement/activities/coach/").content.decode()
    assert "客户成功辅导" in chinese
    assert "Adoption coaching" not in chinese


@pytest.mark.django_db
def test_a_name_written_in_one_language_shows_in_both():
    activity = LearningActivity(code="x", name="Objection handling", kind="course")
    assert activity.display_name == "Objection handling"
    with translation.override("zh-hans"):
        assert activity.display_name == "Objection handling"
    milestone = Milestone(title="一线访谈", title_en="Front-line interviews")
    assert milestone.display_title == "Front-line interviews"
    with translation.override("zh-hans"):
        assert milestone.display_title == "一线访谈"


@pytest.mark.django_db
def test_built_in_formulas_read_in_chinese_on_the_indicator_page(client, hr_lead):
    client.force_login(hr_lead)
    client.cookies["django_language"] = "zh-hans"
    html = flat(client.get("/performance/indicators/win_rate/").content.decode())
    assert "<code>赢单数 /（赢单数 + 丢单数），统计本期关闭的商机</code>" in html
    assert "won / (won + lost)" not in html
    assert Indicator.objects.get(code="win_rate").formula == "won / (won + lost), opportunities closed in P"


@pytest.mark.django_db
def test_factor_names_follow_the_language():
    Factor.objects.create(
        code="extraversion", name="外向性测评", name_en="Extraversion test", kind="numeric", source="assessment"
    )
    assert factor_names() == {"extraversion": "Extraversion test"}
    with translation.override("zh-hans"):
        assert factor_names() == {"extraversion": "外向性测评"}


def test_role_labels_are_translated_and_joined_per_language():
    assert role_labels(["sales_rep", "account_manager"]) == "Sales representative, Account manager"
    with translation.override("zh-hans"):
        assert role_labels(["sales_rep", "account_manager"]) == "销售代表、客户经理"


def test_a_step_result_reads_as_a_sentence():
    result = {"mode": "incremental", "rows": 15094, "years": [2025], "phases": {"x": 1}, "skipped": []}
    assert result_text(result) == "Incremental, 15,094 rows"
    with translation.override("zh-hans"):
        assert result_text(result) == "增量重算，15,094 行"
    assert result_text({"units": 1}) == "1 org unit"


@pytest.mark.django_db
def test_the_job_page_shows_step_names_without_codes(client, hr_lead):
    job = Job.objects.create(
        kind="recompute",
        status="succeeded",
        steps=[
            {"name": "indicator_values", "status": "succeeded", "seconds": 1.0, "result": {"mode": "full", "rows": 3}}
        ],
    )
    client.force_login(hr_lead)
    client.cookies["django_language"] = "zh-hans"
    html = flat(client.get(f"/org/jobs/{job.pk}/").content.decode())
    assert "indicator_values</code>" not in html
    assert "全量重算，3 行" in html


@pytest.mark.django_db
def test_the_profile_form_labels_statistics_in_hr_words(client, hr_lead):
    client.force_login(make_user("hr2", "hr_lead"))
    html = flat(client.get("/talent/profiles/").content.decode())
    assert "How strict: share of false discoveries allowed" in html
    assert "Smallest difference worth acting on" in html
    assert "Technical term: largest q-value" in html
