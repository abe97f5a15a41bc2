"""Enumerations of the enablement app."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class StageCode(models.TextChoices):
    """The four default customer-journey stages (seed part 2.2 (1))."""

    AWARENESS = "awareness", _("Awareness")
    CONSIDERATION = "consideration", _("Consideration")
    DECISION = "decision", _("Decision")
    ADOPTION = "adoption", _("Adoption and value")


class ActivityKind(models.TextChoices):
    """Kinds of learning activity (seed part 2.2 (2): drills instead of one-way lectures)."""

    COURSE = "course", _("Course")
    ROLE_PLAY = "role_play", _("Role play")
    JOINT_VISIT = "joint_visit", _("Joint customer visit")
    RECORDING_REVIEW = "recording_review", _("Recording review")
    COACHING = "coaching", _("Coaching")


# Proficiency levels of a capability item run 1..4; a drill criterion is scored 1..5.
LEVELS = (1, 2, 3, 4)
DEFAULT_REQUIRED_LEVEL = 3
SCORE_MIN, SCORE_MAX = 1, 5
DEFAULT_PASS_THRESHOLD = Decimal("3.50")

# A readiness index of at least this counts as "ready" (the same bound as a strong self-check level).
READY_AT = 70
# Weights of the readiness parts (certification, drill score, completed learning), renormalised over the
# parts a stage has (a stage without scenarios has no drill part, one without activities no learning part).
READINESS_WEIGHTS = {"certification": 0.5, "drills": 0.3, "learning": 0.2}
