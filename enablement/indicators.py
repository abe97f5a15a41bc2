"""The enablement app's built-in indicators (DESIGN.md section 5).

* ``certification_pass_rate``: drill sessions passed in P / drill sessions held in P (each session is one
  certification attempt), for the unit the person belonged to on the day and for the person.
* ``enablement_hours``: the hours of learning activities completed in P (an activity without hours counts 0),
  for the person's unit and the person.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from org.marks import marks_table
from org.models import Person
from performance.choices import IndicatorCategory, IndicatorTiming, IndicatorUnit, PeriodKind
from performance.engine import Additive, case_one
from performance.indicators import builtin_indicator

from .models import DrillSession, Enrolment, LearningActivity

builtin_indicator(
    code="certification_pass_rate",
    order=16,
    name_en="Key capability certification pass rate",
    name_zh="关键能力认证通过率",
    category=IndicatorCategory.ORGANIZATIONAL_CONTRIBUTION,
    unit=IndicatorUnit.PERCENT,
    timing=IndicatorTiming.LEADING,
    review_cycle=PeriodKind.QUARTER,
    departments=["hr", "sales"],
    formula=gettext_noop("drill certifications passed in P / attempted in P"),
    definition_en="Of the scenario-drill certifications attempted in the period, the share that passed.",
    definition_zh="本期进行的情景演练认证中通过的比例。",
    computation=Additive(
        source=f"{DrillSession._meta.db_table} f",
        unit="f.org_unit_id",
        owner="f.person_id",
        date="f.held_on",
        numerator=case_one("f.passed"),
        denominator="1",
        scale=100,
    ),
)

builtin_indicator(
    code="enablement_hours",
    order=17,
    name_en="Internal enablement hours",
    name_zh="内部赋能课时量",
    category=IndicatorCategory.ORGANIZATIONAL_CONTRIBUTION,
    unit=IndicatorUnit.HOURS,
    timing=IndicatorTiming.LEADING,
    review_cycle=PeriodKind.QUARTER,
    departments=["all_teams"],
    formula=gettext_noop("hours of learning activities completed in P"),
    definition_en="Hours of learning activities completed in the period.",
    definition_zh="本期完成的学习活动课时合计。",
    computation=Additive(
        source=(
            f"{Enrolment._meta.db_table} f JOIN {LearningActivity._meta.db_table} a ON a.id = f.activity_id "
            f"JOIN {Person._meta.db_table} p ON p.id = f.person_id"
        ),
        unit="p.org_unit_id",
        owner="f.person_id",
        date="f.completed_on",
        numerator="COALESCE(a.hours, 0)",
        denominator="1",
        where="f.completed_on IS NOT NULL",
        constant_denominator=True,
    ),
)

# The services that write these facts leave recompute marks (besides the enrolments and learning-activities
# datasets, which are tracked in enablement.ingest).
marks_table(DrillSession, by="enablement.services.drill_session_score")
marks_table(Enrolment, by="enablement.services.enrolment_record")
marks_table(LearningActivity, by="enablement.services.learning_activity_save")
