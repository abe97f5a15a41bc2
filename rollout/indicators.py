"""The rollout app's built-in indicator: ``playbooks_captured`` counts recorded stories."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from org.marks import marks_table
from performance.choices import IndicatorCategory, IndicatorTiming, IndicatorUnit, PeriodKind
from performance.engine import Additive
from performance.indicators import builtin_indicator

from .models import Story

# A story counts once, in the month it was recorded, for its unit and its teller (DESIGN.md section 5).
builtin_indicator(
    code="playbooks_captured",
    order=18,
    name_en="Playbooks and cases captured",
    name_zh="优秀案例/打法沉淀数量",
    category=IndicatorCategory.ORGANIZATIONAL_CONTRIBUTION,
    unit=IndicatorUnit.COUNT,
    timing=IndicatorTiming.LEADING,
    review_cycle=PeriodKind.YEAR,
    departments=["all_teams"],
    formula=gettext_noop("stories and playbooks recorded in P"),
    definition_en="Number of field stories and playbooks recorded in the period.",
    definition_zh="本期记录的一线故事与打法数量。",
    computation=Additive(
        source=f"{Story._meta.db_table} f",
        unit="f.org_unit_id",
        owner="f.owner_id",
        date="f.recorded_on",
        numerator="1",
        denominator="1",
        constant_denominator=True,
    ),
)

marks_table(Story, by="rollout.services.story_record")
