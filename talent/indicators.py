"""The talent module's built-in indicator and recompute step.

``high_match_candidate_ratio`` (DESIGN.md section 5): candidates interviewed in P with a
match score ≥ 70 / candidates interviewed in P. A candidate counts for their own org unit
(candidates have no owner, so there are no person values). The interview date is
``interviewed_on``; without it, a candidate at stage interviewed, offered or hired counts as
interviewed on ``applied_on``. The score is the stored score against the current (latest)
profile of the candidate's role; candidates of a role without a profile have no score and
are left out of both numerator and denominator.

It is recomputed whole on every run (a Custom computation without a window): scores change when a profile
is rebuilt, without any dated fact, so its tables need no recompute marks.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from org.jobs import nightly_step
from org.models import Job
from performance.choices import IndicatorCategory, IndicatorTiming, IndicatorUnit, PeriodKind
from performance.engine import INSERT_BASE, Custom, literal, literals, month_roll_up, month_start
from performance.indicators import builtin_indicator

from .choices import HIGH_MATCH_SCORE, INTERVIEWED_STAGES
from .models import Candidate, CandidateScore, SuccessProfile


def _high_match_statements() -> list[tuple[str, tuple]]:
    # The stage names and the score bound are constants, written into the SQL so the date expression is
    # textually identical in SELECT and GROUP BY (PostgreSQL compares them as text).
    interview_date = (
        f"COALESCE(c.interviewed_on, CASE WHEN c.stage IN ({literals(*INTERVIEWED_STAGES)}) THEN c.applied_on END)"
    )
    month = month_start(interview_date)
    monthly = f"""
        {INSERT_BASE}
        SELECT c.org_unit_id, NULL, {literal(PeriodKind.MONTH)}, {month},
               SUM(CASE WHEN s.score >= {int(HIGH_MATCH_SCORE)} THEN 1 ELSE 0 END), COUNT(*)
        FROM {Candidate._meta.db_table} c
        JOIN {CandidateScore._meta.db_table} s ON s.candidate_id = c.id
        WHERE s.profile_id = (SELECT MAX(p.id) FROM {SuccessProfile._meta.db_table} p WHERE p.role = c.role)
          AND {interview_date} IS NOT NULL
        GROUP BY c.org_unit_id, {month}
    """
    return [(monthly, ()), *month_roll_up()]


builtin_indicator(
    code="high_match_candidate_ratio",
    order=15,
    name_en="High-match candidate ratio",
    name_zh="高匹配度候选人比例",
    category=IndicatorCategory.ORGANIZATIONAL_CONTRIBUTION,
    unit=IndicatorUnit.PERCENT,
    timing=IndicatorTiming.LEADING,
    review_cycle=PeriodKind.QUARTER,
    departments=["hr", "sales"],
    formula=gettext_noop("candidates interviewed in P with match score >= 70 / candidates interviewed in P"),
    definition_en="Of the candidates interviewed in the period, the share whose success-profile match is 70 or more.",
    definition_zh="本期面试的候选人中，与成功画像匹配度不低于70分的比例。",
    computation=Custom(build=_high_match_statements, scale=100, reads=(Candidate, CandidateScore, SuccessProfile)),
)


@nightly_step("candidate_scores", label=_("Candidate match scores"), order=15)
def candidate_scores_step(job: Job | None = None) -> dict:
    """Nightly step, before the indicator values: every candidate's score against their role's current profile."""
    from .services import candidate_scores_refresh

    return {"scores": candidate_scores_refresh()}
