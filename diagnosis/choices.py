"""Enumerations of the diagnosis app: the four root causes, the symptoms of Table 1, item kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RootCause(models.TextChoices):
    """The four "people and organization" root causes of the seed's part 1."""

    TALENT_STANDARDS = "talent_standards", _("Talent standards detached from the business")
    CAPABILITY_TRANSFER = "capability_transfer", _("Training that never reaches the customer conversation")
    INCENTIVE_ALIGNMENT = "incentive_alignment", _("Short-term result metrics pulling the wrong way")
    ORG_COLLABORATION = "org_collaboration", _("Department walls cutting the customer journey")


class Symptom(models.TextChoices):
    """The four business symptoms of the seed's Table 1."""

    LOW_LEAD_CONVERSION = "low_lead_conversion", _("Low lead conversion")
    LOW_DEAL_SIZE = "low_deal_size", _("Deal size hard to raise")
    HIGH_NEW_CUSTOMER_CHURN = "high_new_customer_churn", _("High new-customer churn")
    LOW_REPEAT_PURCHASE = "low_repeat_purchase", _("Low repeat purchase by existing customers")


class Dimension(models.TextChoices):
    """The three dimensions of the seed's method matrix (part 2)."""

    TALENT = "talent", _("Front end: precise talent supply")
    ENABLEMENT = "enablement", _("Middle: journey-based enablement")
    PERFORMANCE = "performance", _("Back end: LTV incentives and collaboration")


class SectionKind(models.TextChoices):
    ROOT_CAUSE = "root_cause", _("Root-cause statements")
    SYMPTOMS = "symptoms", _("Business symptoms")


class ItemKind(models.TextChoices):
    LIKERT = "likert", _("Likert statement (1-5)")
    SYMPTOM = "symptom", _("Symptom severity (0-3)")


class Level(models.TextChoices):
    WEAK = "weak", _("Weak")
    DEVELOPING = "developing", _("Developing")
    STRONG = "strong", _("Strong")


class Evidence(models.TextChoices):
    """What the data says about a reported symptom."""

    CONFIRMED = "confirmed", _("Confirmed by data")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    NO_DATA = "no_data", _("No data")


LIKERT_CHOICES = [
    (1, _("Strongly disagree")),
    (2, _("Disagree")),
    (3, _("Neither agree nor disagree")),
    (4, _("Agree")),
    (5, _("Strongly agree")),
]

SEVERITY_CHOICES = [
    (0, _("Not observed")),
    (1, _("Mild")),
    (2, _("Noticeable")),
    (3, _("Severe")),
]

VALUE_RANGE = {ItemKind.LIKERT: (1, 5), ItemKind.SYMPTOM: (0, 3)}


class RadarAxis(models.TextChoices):
    """The four axes of the capability radar (rollout step 1), one per root cause."""

    TALENT_SELECTION = "talent_selection", _("Talent selection")
    LEARNING_DEVELOPMENT = "learning_development", _("Learning and development")
    PERFORMANCE_INDICATORS = "performance_indicators", _("Performance indicators")
    ORG_COLLABORATION = "org_collaboration", _("Organizational collaboration")


class RadarSeries(models.TextChoices):
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    DATA_DERIVED = "data_derived", _("Data-derived")


# Each root cause of the self-check scores the radar axis it matches.
ROOT_CAUSE_AXIS = {
    RootCause.TALENT_STANDARDS: RadarAxis.TALENT_SELECTION,
    RootCause.CAPABILITY_TRANSFER: RadarAxis.LEARNING_DEVELOPMENT,
    RootCause.INCENTIVE_ALIGNMENT: RadarAxis.PERFORMANCE_INDICATORS,
    RootCause.ORG_COLLABORATION: RadarAxis.ORG_COLLABORATION,
}
