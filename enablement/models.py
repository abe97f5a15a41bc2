"""Journey maps, learning activities, enrolments, scenario drills, certifications and behaviour observations."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from org.choices import PersonRole
from org.model_bases import BilingualDescription, CreatedAt, CreatedBy, OptionalBilingualName, Timestamped
from org.models import OrgUnit, Person
from org.text import in_language
from performance.choices import Segment
from performance.models import Indicator

from .choices import DEFAULT_PASS_THRESHOLD, DEFAULT_REQUIRED_LEVEL, SCORE_MAX, SCORE_MIN, ActivityKind, StageCode


class JourneyMap(OptionalBilingualName, BilingualDescription, CreatedBy, Timestamped):
    """A customer-journey learning map for one role and customer segment (blank: every role / segment).

    The built-in default map is written from the seed; HR leads copy it for a role or segment and edit the copy.
    """

    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices, blank=True, default="")
    segment = models.CharField(_("customer segment"), max_length=16, choices=Segment.choices, blank=True, default="")
    is_builtin = models.BooleanField(_("built in"), default=False)
    based_on = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["-is_builtin", "role", "segment", "id"]
        verbose_name = _("journey map")
        verbose_name_plural = _("journey maps")
        constraints = [
            models.UniqueConstraint(fields=["role", "segment"], name="enablement_map_role_segment"),
            models.CheckConstraint(condition=~Q(name_zh="", name_en=""), name="enablement_map_named"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enablement:map", args=[self.pk])


class JourneyStage(OptionalBilingualName):
    """One stage of a map: what high performers do and say, where typical performers drop the ball,
    and the indicators that measure the stage."""

    journey_map = models.ForeignKey(
        JourneyMap, on_delete=models.CASCADE, related_name="stages", verbose_name=_("journey map")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("stage"), max_length=16, choices=StageCode.choices)
    customer_goal_zh = models.TextField(_("what the customer needs (Chinese)"), blank=True, default="")
    customer_goal_en = models.TextField(_("what the customer needs (English)"), blank=True, default="")
    high_performers_zh = models.TextField(_("what high performers do and say (Chinese)"), blank=True, default="")
    high_performers_en = models.TextField(_("what high performers do and say (English)"), blank=True, default="")
    pitfalls_zh = models.TextField(_("where typical performers drop the ball (Chinese)"), blank=True, default="")
    pitfalls_en = models.TextField(_("where typical performers drop the ball (English)"), blank=True, default="")
    indicators = models.ManyToManyField(
        Indicator, verbose_name=_("indicators that measure the stage"), blank=True, related_name="+"
    )

    class Meta:
        ordering = ["journey_map", "position"]
        verbose_name = _("journey stage")
        verbose_name_plural = _("journey stages")
        constraints = [
            models.UniqueConstraint(fields=["journey_map", "code"], name="enablement_stage_code"),
            models.UniqueConstraint(fields=["journey_map", "position"], name="enablement_stage_position"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language; a stage named in neither language shows its stage's label."""
        return super().name or self.get_code_display()

    @property
    def customer_goal(self) -> str:
        return in_language(self.customer_goal_zh, self.customer_goal_en)

    @property
    def high_performers(self) -> str:
        return in_language(self.high_performers_zh, self.high_performers_en)

    @property
    def pitfalls(self) -> str:
        return in_language(self.pitfalls_zh, self.pitfalls_en)

    def lines(self, field: str) -> list[str]:
        """A text field of the active language as its non-blank lines (the map shows them as bullets)."""
        return [line.strip(" -•") for line in getattr(self, field).splitlines() if line.strip(" -•")]

    @property
    def high_performer_lines(self) -> list[str]:
        return self.lines("high_performers")

    @property
    def pitfall_lines(self) -> list[str]:
        return self.lines("pitfalls")


class CapabilityItem(OptionalBilingualName):
    """A key capability of a stage, with what proficiency levels 1-4 look like.

    ``levels_*`` hold one line per level (four lines); ``required_level`` is the level a person needs to be
    ready for the stage. Codes are unique within a map.
    """

    stage = models.ForeignKey(
        JourneyStage, on_delete=models.CASCADE, related_name="capability_items", verbose_name=_("stage")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    code = models.SlugField(_("code"), max_length=64)
    levels_zh = models.TextField(_("proficiency levels 1-4 (Chinese, one line each)"), blank=True, default="")
    levels_en = models.TextField(_("proficiency levels 1-4 (English, one line each)"), blank=True, default="")
    required_level = models.PositiveSmallIntegerField(
        _("level required to be ready"),
        default=DEFAULT_REQUIRED_LEVEL,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )

    class Meta:
        ordering = ["stage__journey_map", "stage__position", "position", "id"]
        verbose_name = _("capability item")
        verbose_name_plural = _("capability items")
        constraints = [
            models.UniqueConstraint(fields=["stage", "code"], name="enablement_item_code"),
            models.CheckConstraint(
                condition=Q(required_level__gte=1, required_level__lte=4), name="enablement_item_required_level"
            ),
            models.CheckConstraint(condition=~Q(name_zh="", name_en=""), name="enablement_item_named"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def levels(self) -> list[str]:
        """The four level descriptions in the active language (blank where none was written)."""
        text = in_language(self.levels_zh, self.levels_en)
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return (lines + [""] * 4)[:4]


class LearningActivity(Timestamped):
    """A course, role play, joint visit, recording review or coaching, designed backwards from capability items."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Built-in and demo activities keep their Chinese name in ``name`` and their English one here.
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    journey_stage = models.CharField(_("journey stage"), max_length=16, choices=StageCode.choices, blank=True)
    hours = models.DecimalField(
        _("hours"), max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    description = models.TextField(_("description"), blank=True, default="")
    capability_items = models.ManyToManyField(
        CapabilityItem, verbose_name=_("capability items it builds"), blank=True, related_name="activities"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("learning activity")
        verbose_name_plural = _("learning activities")
        constraints = [
            models.CheckConstraint(condition=Q(hours__isnull=True) | Q(hours__gte=0), name="enablement_hours_positive")
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the viewer's language: the English one on English pages when there is one."""
        return in_language(self.name, self.name_en)


class Enrolment(models.Model):
    """A person's enrolment in an activity; ``completed_on`` set once they finished it."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(
        LearningActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="enrolments"
    )
    enrolled_on = models.DateField(_("enrolled on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    class Meta:
        ordering = ["activity", "enrolled_on", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["person", "activity"], name="enablement_enrolment_once"),
            models.CheckConstraint(
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("enrolled_on")),
                name="enablement_enrolment_dates",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100), name="enablement_enrolment_score"
            ),
        ]
        indexes = [models.Index(fields=["completed_on"], name="enablement_enrol_completed")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.activity_id}"


class Scenario(CreatedAt):
    """A customer case for a drill: it certifies ``level`` of one capability item when the weighted rubric
    score reaches ``pass_threshold`` (1-5)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    capability_item = models.ForeignKey(
        CapabilityItem, verbose_name=_("capability item"), on_delete=models.PROTECT, related_name="scenarios"
    )
    level = models.PositiveSmallIntegerField(
        _("level certified"), default=DEFAULT_REQUIRED_LEVEL, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    customer_case = models.TextField(_("customer case"))
    pass_threshold = models.DecimalField(
        _("pass threshold (weighted score 1-5)"),
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_PASS_THRESHOLD,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="enablement_scenario_level"),
            models.CheckConstraint(
                condition=Q(pass_threshold__gte=SCORE_MIN, pass_threshold__lte=SCORE_MAX),
                name="enablement_scenario_threshold",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RubricCriterion(models.Model):
    """One weighted criterion of a scenario's rubric, scored 1-5 by the evaluator."""

    scenario = models.ForeignKey(
        Scenario, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("scenario")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    name = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("what a 5 looks like"), blank=True, default="")
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, default=Decimal(1), validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        ordering = ["scenario", "position", "id"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [models.CheckConstraint(condition=Q(weight__gt=0), name="enablement_criterion_weight")]

    def __str__(self) -> str:
        return self.name


class DrillSession(CreatedAt):
    """A person's attempt at a scenario, scored by an evaluator; one attempt at certification.

    ``org_unit`` is the person's unit on the day of the drill (the fact counts there for
    ``certification_pass_rate``); ``weighted_score`` = Σ weight × score / Σ weight.
    """

    scenario = models.ForeignKey(
        Scenario, verbose_name=_("scenario"), on_delete=models.PROTECT, related_name="sessions"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+")
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True, default="")
    recording_url = models.URLField(_("recording link"), max_length=500, blank=True, default="")
    weighted_score = models.DecimalField(_("weighted score"), max_digits=4, decimal_places=2)
    passed = models.BooleanField(_("passed"))

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("drill session")
        verbose_name_plural = _("drill sessions")
        indexes = [
            models.Index(fields=["held_on"], name="enablement_drill_held"),
            models.Index(fields=["person", "scenario"], name="enablement_drill_person"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario_id} {self.person_id} {self.held_on}"


class DrillScore(models.Model):
    """The evaluator's 1-5 score of one criterion in one session."""

    session = models.ForeignKey(
        DrillSession, on_delete=models.CASCADE, related_name="scores", verbose_name=_("session")
    )
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)]
    )

    class Meta:
        ordering = ["session", "criterion__position"]
        verbose_name = _("drill score")
        verbose_name_plural = _("drill scores")
        constraints = [
            models.UniqueConstraint(fields=["session", "criterion"], name="enablement_score_once"),
            models.CheckConstraint(condition=Q(score__gte=SCORE_MIN, score__lte=SCORE_MAX), name="enablement_score"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.criterion_id}: {self.score}"


class Certification(models.Model):
    """A person certified at ``level`` of a capability item by a passed drill (the first pass counts)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    capability_item = models.ForeignKey(
        CapabilityItem, verbose_name=_("capability item"), on_delete=models.CASCADE, related_name="certifications"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    session = models.OneToOneField(
        DrillSession, on_delete=models.CASCADE, related_name="certification", verbose_name=_("session")
    )
    certified_on = models.DateField(_("certified on"))

    class Meta:
        ordering = ["-certified_on", "-id"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")
        constraints = [
            models.UniqueConstraint(fields=["person", "capability_item", "level"], name="enablement_certified_once")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.capability_item_id} L{self.level}"


class BehaviourMetric(models.Model):
    """A key customer-facing behaviour counted per person and month (e.g. needs-discovery interviews)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, blank=True, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("behaviour metric")
        verbose_name_plural = _("behaviour metrics")

    def __str__(self) -> str:
        return self.name


class BehaviourObservation(models.Model):
    """A person's value of a behaviour metric in one month (``month`` is the first day)."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(
        BehaviourMetric, verbose_name=_("metric"), on_delete=models.CASCADE, related_name="observations"
    )
    month = models.DateField(_("month"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)

    class Meta:
        ordering = ["metric", "person", "month"]
        verbose_name = _("behaviour observation")
        verbose_name_plural = _("behaviour observations")
        constraints = [
            models.UniqueConstraint(fields=["person", "metric", "month"], name="enablement_observation_once"),
        ]
        indexes = [models.Index(fields=["metric", "month"], name="enablement_obs_metric_month")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.metric_id} {self.month:%Y-%m}"


class ReadinessSnapshot(models.Model):
    """A person's readiness as last computed: overall, ready or not, and per stage the value and its parts.

    Refreshed for one person when a drill is scored or an enrolment changes, for everyone by the nightly
    step and after edits of maps, activities or scenarios; team pages and the radar read these rows.
    ``stages``: ``[{"code", "value", "certification", "drills", "learning"}, ...]`` in map order.
    """

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    journey_map = models.ForeignKey(
        JourneyMap, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("journey map")
    )
    overall = models.FloatField(_("overall readiness"), null=True, blank=True)
    ready = models.BooleanField(_("ready"), default=False)
    stages = models.JSONField(default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("readiness snapshot")
        verbose_name_plural = _("readiness snapshots")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.overall}"
