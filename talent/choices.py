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
