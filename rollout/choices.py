"""Enumerations of the rollout app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StepNumber(models.IntegerChoices):
    """The seed's five steps, from blueprint to practice (part 3)."""

    ALIGN_ASSESS = 1, _("Align and assess")
    DESIGN_DEFINE = 2, _("Design and define")
    PILOT_ITERATE = 3, _("Pilot and iterate")
    SCALE_TRANSFER = 4, _("Scale and transfer")
    REVIEW_EMBED = 5, _("Review and embed")


class StepStatus(models.TextChoices):
    """Where a program step stands; labelled with a context so they read as a step's progress, not a person's."""

    PENDING = "pending", pgettext_lazy("program step status", "Not started")
    ACTIVE = "active", pgettext_lazy("program step status", "Active")
    CLOSED = "closed", pgettext_lazy("program step status", "Closed")


class TeamRole(models.TextChoices):
    """A joint-team member's role in the program."""

    BUSINESS_CO_LEAD = "business_co_lead", _("Business co-lead")
    HR_CO_LEAD = "hr_co_lead", _("HR co-lead")
    MARKETING = "marketing", _("Marketing")
    SALES = "sales", _("Sales")
    CUSTOMER_SUCCESS = "customer_success", _("Customer success")
    OTHER = "other", _("Other")


class MilestoneStatus(models.TextChoices):
    """Where a milestone stands (a context keeps these apart from a questionnaire being filled in)."""

    PLANNED = "planned", pgettext_lazy("milestone status", "Planned")
    IN_PROGRESS = "in_progress", pgettext_lazy("milestone status", "In progress")
    DONE = "done", pgettext_lazy("milestone status", "Done")
    CANCELLED = "cancelled", pgettext_lazy("milestone status", "Cancelled")


OPEN_MILESTONE_STATUSES = (MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS)


class InitiativeKind(models.TextChoices):
    """What a pilot applies, as a link to the object in its own module.

    A new kind (``learning_activity`` is planned, linking enablement.LearningActivity) adds a choice here,
    a nullable foreign key on PilotInitiative, an entry in ``rollout.models.INITIATIVE_LINKS`` (the check
    constraint, the page link and the prefetch follow from it) with a migration, a scoping rule in
    ``rollout.pilots.linkable_objects`` and a field in ``rollout.forms.PilotForm.LINK_FIELDS``.
    """

    SUCCESS_PROFILE = "success_profile", _("Success profile")
    SCORECARD = "scorecard", _("Scorecard")
    PROJECT_TEAM = "project_team", _("Customer project team")
    LEARNING_ACTIVITY = "learning_activity", _("Learning activity")
    OTHER = "other", _("Other")
