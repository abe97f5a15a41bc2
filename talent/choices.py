"""Enumerations of the talent app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FactorKind(models.TextChoices):
    NUMERIC = "numeric", _("Numeric")
    BOOLEAN = "boolean", _("Yes/no")
    CATEGORICAL = "categorical", _("Categorical")


class FactorSource(models.TextChoices):
    """Where a factor comes from (the seed's data dimensions of a high-performer profile)."""

    ASSESSMENT = "assessment", _("Assessment")
    BEHAVIOUR = "behaviour", _("Behaviour")
    EXPERIENCE = "experience", _("Experience")
    CAREER = "career", _("Career path")
    CUSTOMER_MIX = "customer_mix", _("Customer mix")


class CandidateStage(models.TextChoices):
    SOURCED = "sourced", _("Sourced")
    SCREENED = "screened", _("Screened")
    INTERVIEWED = "interviewed", _("Interviewed")
    OFFERED = "offered", _("Offered")
    HIRED = "hired", _("Hired")
    REJECTED = "rejected", _("Rejected")


# Stages a candidate only reaches after an interview: without an interview date, the
# candidate counts as interviewed on the day they applied (high_match_candidate_ratio).
INTERVIEWED_STAGES = (CandidateStage.INTERVIEWED, CandidateStage.OFFERED, CandidateStage.HIRED)

# A candidate at or above this match score counts as high-match (DESIGN.md section 5).
HIGH_MATCH_SCORE = 70


class CustomerScenario(models.TextChoices):
    """The typical customer scenes of the seed's customer journey, in which situational questions are set."""

    AWARENESS = "awareness", _("Awareness: reaching the customer and building first trust")
    CONSIDERATION = "consideration", _("Consideration: finding the need and presenting a structured solution")
    DECISION = "decision", _("Decision: moving the decision forward among several parties and handling objections")
    VALUE = "value", _("Use and value: helping the customer succeed and finding further value")


class Competency(models.TextChoices):
    """Competencies rated on structured interview scorecards; each becomes the candidate factor ``interview_<code>``."""

    INDUSTRY_INSIGHT = "industry_insight", _("Industry insight")
    PAIN_POINTS = "pain_points", _("Grasping the customer's business pain points")
    STRUCTURED_SOLUTION = "structured_solution", _("Structured solution presentation")
    DECISION_DRIVING = "decision_driving", _("Driving decisions and handling objections")
    INTERNAL_RESOURCES = "internal_resources", _("Pulling internal resources together")
    VALUE_GROWTH = "value_growth", _("Customer success and growing value")


INTERVIEW_FACTOR_PREFIX = "interview_"
RATING_MIN, RATING_MAX = 1, 5
