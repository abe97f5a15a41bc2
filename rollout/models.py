"""Change programs: joint team, five steps with checklists and gates, milestones, pilots against controls."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.model_bases import CreatedAt, CreatedBy, Timestamped
from org.models import OrgUnit
from org.text import in_language
from performance.choices import IndicatorTiming, PeriodKind
from performance.models import Indicator

from .choices import (
    OPEN_MILESTONE_STATUSES,
    InitiativeKind,
    MilestoneStatus,
    StepNumber,
    StepStatus,
    TeamRole,
)

# A milestone due within this many days is "due soon" (and its owner is reminded).
DUE_SOON_DAYS = 7


class Program(CreatedBy, Timestamped):
    """A change program run jointly by a business sponsor and an HR co-lead over some org units."""

    name = models.CharField(_("name"), max_length=200)
    # Demo programs keep their Chinese name in ``name`` and their English one here.
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("business sponsor"),
        on_delete=models.PROTECT,
        related_name="sponsored_programs",
    )
    hr_co_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("HR co-lead"), on_delete=models.PROTECT, related_name="+"
    )
    org_units = models.ManyToManyField(OrgUnit, verbose_name=_("org units in scope"), related_name="+")
    focus_dimensions = models.JSONField(_("focus dimensions"), default=list, blank=True)
    start_date = models.DateField(_("start date"))
    baseline_period = models.CharField(
        _("baseline period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.QUARTER
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("change program")
        verbose_name_plural = _("change programs")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the viewer's language: the English one on English pages when there is one."""
        return in_language(self.name, self.name_en)


class ProgramIndicator(models.Model):
    """One of a program's 3 to 5 key indicators, with its baseline at the start, target and leading/lagging mark."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="key_indicators", verbose_name=_("program")
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    timing = models.CharField(_("leading or lagging"), max_length=8, choices=IndicatorTiming.choices)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline"), max_digits=24, decimal_places=4, null=True, blank=True)
    baseline_period_start = models.DateField(_("baseline period start"), null=True, blank=True)
    baseline_taken_at = models.DateTimeField(_("baseline taken at"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program", "position", "id"]
        verbose_name = _("key indicator")
        verbose_name_plural = _("key indicators")
        constraints = [models.UniqueConstraint(fields=["program", "indicator"], name="rollout_key_indicator_once")]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.indicator_id}"


class ProgramMember(models.Model):
    """A joint-team member and their role in the program; members may edit the program."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="members", verbose_name=_("program"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="program_memberships"
    )
    role = models.CharField(_("role in the program"), max_length=20, choices=TeamRole.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "role", "id"]
        verbose_name = _("joint team member")
        verbose_name_plural = _("joint team members")
        constraints = [models.UniqueConstraint(fields=["program", "user"], name="rollout_member_once")]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.user_id} ({self.role})"


class ProgramStep(models.Model):
    """One of the five steps of a program; its gate closes it when every exit criterion is checked
    and both co-leads have signed."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="steps", verbose_name=_("program"))
    number = models.PositiveSmallIntegerField(_("step"), choices=StepNumber.choices)
    status = models.CharField(_("status"), max_length=8, choices=StepStatus.choices, default=StepStatus.PENDING)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    business_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("business signed by"),
    )
    business_signed_at = models.DateTimeField(_("business co-lead signed at"), null=True, blank=True)
    hr_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hr signed by"),
    )
    hr_signed_at = models.DateTimeField(_("HR co-lead signed at"), null=True, blank=True)

    class Meta:
        ordering = ["program", "number"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [
            models.UniqueConstraint(fields=["program", "number"], name="rollout_step_once"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=5), name="rollout_step_number_range"),
            # A closed step carries both signatures: the database's last guard for the gate rule.
            models.CheckConstraint(
                condition=~Q(status=StepStatus.CLOSED)
                | Q(business_signed_at__isnull=False, hr_signed_at__isnull=False, closed_on__isnull=False),
                name="rollout_closed_step_signed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id}: {self.get_number_display()}"


class ChecklistItem(models.Model):
    """A checklist line of a step, bilingual; an exit criterion must be checked before the gate closes."""

    step = models.ForeignKey(ProgramStep, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("step"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text_zh = models.TextField(_("text (Chinese)"), blank=True, default="")
    text_en = models.TextField(_("text (English)"), blank=True, default="")
    is_exit_criterion = models.BooleanField(_("exit criterion"), default=True)
    is_builtin = models.BooleanField(default=False)
    done = models.BooleanField(_("done"), default=False)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["step", "position", "id"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.CheckConstraint(condition=~Q(text_zh="", text_en=""), name="rollout_checklist_has_text"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self.text_zh, self.text_en)


class Milestone(CreatedAt):
    """A dated deliverable of a step with an owner; open and past its due date means overdue."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("program"))
    step = models.PositiveSmallIntegerField(_("step"), choices=StepNumber.choices)
    title = models.CharField(_("title"), max_length=200)
    # Demo milestones keep their Chinese title in ``title`` and their English one here.
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True, default="")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True, default="")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    class Meta:
        ordering = ["program", "due_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [models.Index(fields=["status", "due_date"], name="rollout_milestone_due")]
        constraints = [
            models.CheckConstraint(condition=Q(step__gte=1, step__lte=5), name="rollout_milestone_step_range"),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        """The title in the viewer's language: the English one on English pages when there is one."""
        return in_language(self.title, self.title_en)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_MILESTONE_STATUSES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Open and its due date has passed: due today is not yet overdue."""
        today = today or timezone.localdate()
        return self.is_open and self.due_date < today

    def is_due_soon(self, today: dt.date | None = None) -> bool:
        """Open and due between today and DUE_SOON_DAYS days from now, both included."""
        today = today or timezone.localdate()
        return self.is_open and today <= self.due_date <= today + dt.timedelta(days=DUE_SOON_DAYS)

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def display_status(self) -> str:
        """The status as shown: "overdue" replaces an open status once the due date has passed."""
        return "overdue" if self.overdue else self.status


class Pilot(CreatedAt):
    """A pilot of the program: pilot units get the initiatives from ``start`` to ``end``; control units do not.

    The initiatives are links (``PilotInitiative``) to what the pilot applies; ``notes`` says the rest in words.

    The pre window is the ``pre_months`` calendar months before ``start``; the post window runs from
    ``start`` to ``end`` (months).
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pilots", verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=200)
    pilot_units = models.ManyToManyField(OrgUnit, verbose_name=_("pilot units"), related_name="+")
    control_units = models.ManyToManyField(OrgUnit, verbose_name=_("control units"), related_name="+")
    notes = models.TextField(
        _("notes on the initiatives"), blank=True, default="", help_text=_("Free text beside the linked initiatives.")
    )
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    pre_months = models.PositiveSmallIntegerField(_("months before the start to compare"), default=6)

    class Meta:
        ordering = ["program", "start", "id"]
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="rollout_pilot_end_after_start"),
            models.CheckConstraint(condition=Q(pre_months__gte=1), name="rollout_pilot_pre_months"),
        ]

    def __str__(self) -> str:
        return self.name


class InitiativeLink(NamedTuple):
    """The foreign key an initiative kind must set, the URL name of the linked object's page and the
    attribute of the object that URL takes (its id unless said otherwise)."""

    field: str
    url_name: str
    url_arg: str = "pk"


# kind -> the link it carries. A new kind adds an entry here, its nullable foreign key on PilotInitiative and a
# migration (the check constraint below is built from this mapping, so it changes with it).
INITIATIVE_LINKS: dict[str, InitiativeLink] = {
    InitiativeKind.SUCCESS_PROFILE.value: InitiativeLink("success_profile", "talent:profile"),
    InitiativeKind.SCORECARD.value: InitiativeLink("scorecard", "performance:scorecard"),
    InitiativeKind.PROJECT_TEAM.value: InitiativeLink("project_team", "performance:team"),
    InitiativeKind.LEARNING_ACTIVITY.value: InitiativeLink("learning_activity", "enablement:activity", "code"),
}


def _initiative_link_condition() -> Q:
    """Each kind sets its own foreign key and no other; ``other`` sets none and has a label or a URL."""
    fields = [link.field for link in INITIATIVE_LINKS.values()]
    condition = Q(kind=InitiativeKind.OTHER.value, **{f"{name}__isnull": True for name in fields}) & ~Q(
        label="", url=""
    )
    for kind, link in INITIATIVE_LINKS.items():
        condition |= Q(kind=kind, **{f"{name}__isnull": name != link.field for name in fields})
    return condition


class PilotInitiative(models.Model):
    """One initiative a pilot applies: a link to a success profile, a scorecard, a customer project team, or
    another page (a label and an optional URL)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="initiatives", verbose_name=_("pilot"))
    kind = models.CharField(_("kind"), max_length=24, choices=InitiativeKind.choices)
    success_profile = models.ForeignKey(
        "talent.SuccessProfile",
        verbose_name=_("success profile"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scorecard = models.ForeignKey(
        "performance.Scorecard",
        verbose_name=_("scorecard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    project_team = models.ForeignKey(
        "performance.CustomerProjectTeam",
        verbose_name=_("customer project team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    learning_activity = models.ForeignKey(
        "enablement.LearningActivity",
        verbose_name=_("learning activity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    label = models.CharField(_("label"), max_length=200, blank=True, default="")
    url = models.URLField(_("link"), max_length=500, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["pilot", "position", "id"]
        verbose_name = _("pilot initiative")
        verbose_name_plural = _("pilot initiatives")
        constraints = [
            models.CheckConstraint(
                condition=_initiative_link_condition(),
                name="rollout_initiative_link_matches_kind",
                violation_error_message=_("An initiative links the object of its kind, and nothing else."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_label

    def get_absolute_url(self) -> str:
        """The linked object's page, or the URL given (empty when there is none)."""
        link = INITIATIVE_LINKS.get(self.kind)
        target_id = getattr(self, f"{link.field}_id") if link else None
        if target_id is not None:
            argument = target_id if link.url_arg == "pk" else getattr(self.target, link.url_arg)
            return reverse(link.url_name, args=[argument])
        return self.url

    @property
    def target(self):
        """The linked object (None for ``other``)."""
        link = INITIATIVE_LINKS.get(self.kind)
        return getattr(self, link.field) if link else None

    @property
    def display_label(self) -> str:
        if self.label:
            return self.label
        target = self.target
        return str(target) if target is not None else self.url

    def clean(self) -> None:
        """Name the field that is missing (the check constraint is the last guard)."""
        link = INITIATIVE_LINKS.get(self.kind)
        if link is not None and getattr(self, f"{link.field}_id") is None:
            raise ValidationError({link.field: _("Choose the %(kind)s to link.") % {"kind": self.get_kind_display()}})
        if self.kind == InitiativeKind.OTHER and not (self.label or self.url):
            raise ValidationError({"label": _("Give a label or a link.")})


class PilotResult(models.Model):
    """The nightly snapshot of a pilot's result on one key indicator: the DiD estimate, its interval, the
    naive before/after and the monthly series of the chart, so that pages need not recompute them."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="results", verbose_name=_("pilot"))
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+")
    estimate = models.FloatField(_("difference in differences"), null=True, blank=True)
    ci_low = models.FloatField(_("lower end of the interval (95%)"), null=True, blank=True)
    ci_high = models.FloatField(_("upper end of the interval (95%)"), null=True, blank=True)
    naive = models.FloatField(_("naive before/after"), null=True, blank=True)
    pilot_pre = models.FloatField(_("pilot, before"), null=True, blank=True)
    pilot_post = models.FloatField(_("pilot, after"), null=True, blank=True)
    control_pre = models.FloatField(_("control, before"), null=True, blank=True)
    control_post = models.FloatField(_("control, after"), null=True, blank=True)
    observations = models.PositiveIntegerField(_("observations"), default=0)
    # The chart: first days of the months (ISO dates) and the pilot's and control's monthly means (null: no value).
    months = models.JSONField(_("months"), default=list)
    pilot_means = models.JSONField(_("pilot's monthly means"), default=list)
    control_means = models.JSONField(_("control's monthly means"), default=list)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["pilot", "id"]
        verbose_name = _("pilot result")
        verbose_name_plural = _("pilot results")
        constraints = [models.UniqueConstraint(fields=["pilot", "indicator"], name="rollout_pilot_result_once")]

    def __str__(self) -> str:
        return f"{self.pilot_id}: {self.indicator_id}"


class RadarKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline (step 1 closed)")
    NIGHTLY = "nightly", _("Nightly snapshot")


class ProgramRadarSnapshot(models.Model):
    """A program unit's capability radar at one moment: the baseline when step 1 closes, then one a night.

    ``self_assessed`` and ``data_derived`` map each radar axis to its 0-100 value (null: no data),
    copied from the diagnosis radar of that day.
    """

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="radar_snapshots", verbose_name=_("program")
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("org unit"))
    kind = models.CharField(_("kind"), max_length=8, choices=RadarKind.choices)
    taken_on = models.DateField(_("taken on"))
    self_assessed = models.JSONField(default=dict)
    data_derived = models.JSONField(default=dict)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["program", "org_unit", "taken_on"]
        verbose_name = _("radar snapshot")
        verbose_name_plural = _("radar snapshots")
        constraints = [
            models.UniqueConstraint(fields=["program", "org_unit", "kind", "taken_on"], name="rollout_radar_day"),
            models.UniqueConstraint(
                fields=["program", "org_unit"], condition=Q(kind="baseline"), name="rollout_radar_one_baseline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.org_unit_id} {self.kind} {self.taken_on}"


class ReviewMeeting(CreatedAt):
    """A joint review (step 5 and any time): who came, what was said and decided."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("program"))
    held_on = models.DateField(_("held on"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), blank=True, related_name="+"
    )
    notes = models.TextField(_("notes"), blank=True, default="")
    decisions = models.TextField(_("decisions"), blank=True, default="")

    class Meta:
        ordering = ["program", "-held_on", "-id"]
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")

    def __str__(self) -> str:
        return f"{self.program_id} {self.held_on}"


class ActionItem(models.Model):
    """An action agreed in a review, with an owner and a due date."""

    review = models.ForeignKey(
        ReviewMeeting, on_delete=models.CASCADE, related_name="action_items", verbose_name=_("review")
    )
    text = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["review", "due_date", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")

    def __str__(self) -> str:
        return self.text


class Story(CreatedAt):
    """A story or case from the field, linked to the indicator it gives evidence for.

    Stories count for ``playbooks_captured`` in the month they were recorded, for their unit and owner.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="stories", verbose_name=_("program"))
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        "org.Person", verbose_name=_("told by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("story"))
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("evidence for"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True, default="")
    recorded_on = models.DateField(_("recorded on"))

    class Meta:
        ordering = ["program", "-recorded_on", "-id"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [models.Index(fields=["recorded_on"], name="rollout_story_recorded")]

    def __str__(self) -> str:
        return self.title


class RolloutWave(models.Model):
    """A wave of the scale step: which units take the program up, and when."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="waves", verbose_name=_("program"))
    name = models.CharField(_("name"), max_length=200)
    org_units = models.ManyToManyField(OrgUnit, verbose_name=_("org units"), related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    class Meta:
        ordering = ["program", "starts_on", "id"]
        verbose_name = _("rollout wave")
        verbose_name_plural = _("rollout waves")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="rollout_wave_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class Workshop(models.Model):
    """A train-the-manager workshop of the scale step, with who was invited and who came."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="workshops", verbose_name=_("program"))
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    invited = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("invited"), blank=True, related_name="+")
    attended = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attended"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["program", "held_on", "id"]
        verbose_name = _("manager workshop")
        verbose_name_plural = _("manager workshops")

    def __str__(self) -> str:
        return self.title
