"""The talent module's leading indicator and recompute step, registered with the performance engine.

``high_match_candidate_ratio`` (DESIGN.md section 5): candidates interviewed in P with a
match score ≥ 70 / candidates interviewed in P. A candidate counts for their own org unit
(candidates have no owner, so there are no person values). The interview date is
``interviewed_on``; without it, a candidate at stage interviewed, offered or hired counts as
interviewed on ``applied_on``. The score is the stored score against the current (latest)
profile of the candidate's role; candidates of a role without a profile have no score and
are left out of both numerator and denominator.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from org.jobs import nightly_step
from org.models import Job
from performance.choices import PeriodKind
from performance.engine import BASE, Custom, indicator_computation, month_start, period_start_of_month

from .choices import HIGH_MATCH_SCORE, INTERVIEWED_STAGES


def _high_match_statements() -> list[tuple[str, tuple]]:
    # The stage names and the score bound are constants of this module, written into the SQL so the
    # date expression is textually identical in SELECT and GROUP BY (PostgreSQL compares them as text).
    stages = ", ".join(f"'{stage}'" for stage in INTERVIEWED_STAGES)
    interview_date = f"COALESCE(c.interviewed_on, CASE WHEN c.stage IN ({stages}) THEN c.applied_on END)"
    month = month_start(interview_date)
    monthly = f"""
        INSERT INTO {BASE} (org_unit_id, owner_id, period, period_start, numerator, denominator)
        SELECT c.org_unit_id, NULL, 'month', {month},
               SUM(CASE WHEN s.score >= {int(HIGH_MATCH_SCORE)} THEN 1 ELSE 0 END), COUNT(*)
        FROM talent_candidate c
        JOIN talent_candidatescore s ON s.candidate_id = c.id
        WHERE s.profile_id = (SELECT MAX(p.id) FROM talent_successprofile p WHERE p.role = c.role)
          AND {interview_date} IS NOT NULL
        GROUP BY c.org_unit_id, {month}
    """
    statements = [(monthly, ())]
    for kind in (PeriodKind.QUARTER, PeriodKind.YEAR):
        start = period_start_of_month("period_start", kind)
        statements.append(
            (
                f"""
                INSERT INTO {BASE} (org_unit_id, owner_id, period, period_start, numerator, denominator)
                SELECT org_unit_id, owner_id, '{kind}', {start}, SUM(numerator), SUM(denominator)
                FROM {BASE} WHERE period = 'month'
                GROUP BY org_unit_id, owner_id, {start}
                """,
                (),
            )
        )
    return statements


indicator_computation("high_match_candidate_ratio", Custom(build=_high_match_statements, scale=100))


@nightly_step("candidate_scores", label=_("Candidate match scores"), order=15)
def candidate_scores_step(job: Job | None = None) -> dict:
    """Nightly step, before the indicator values: every candidate's score against their role's current profile."""
    from .services import candidate_scores_refresh

    return {"scores": candidate_scores_refresh()}
