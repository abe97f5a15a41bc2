"""Questionnaires (versioned), assessment rounds, responses and answers of the self-check."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.model_bases import BilingualDescription, BilingualName, CreatedAt, CreatedBy, Timestamped, UpdatedAt
from org.models import OrgUnit
from org.text import in_language

from .choices import VALUE_RANGE, ItemKind, RadarAxis, RadarSeries, RootCause, SectionKind, Symptom

# A round never shows results below this many submissions, whatever its setting says.
MIN_RESPONDENTS_FLOOR = 3


class Questionnaire(BilingualName, BilingualDescription, CreatedBy, Timestamped):
    """One version of a self-check questionnaire; copies of a family get the next version number.

    A version that a round uses is frozen: answers point at its items, so edits go to a copy.
    """

    family = models.SlugField(_("family"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_builtin = models.BooleanField(_("built in"), default=False)
    based_on = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    class Meta:
        ordering = ["family", "-version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [models.UniqueConstraint(fields=["family", "version"], name="diag_questionnaire_version")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Section(models.Model):
    """A question group of a questionnaire, answered as one step: one root cause, or the symptoms."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections", verbose_name=_("questionnaire")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=16, choices=SectionKind.choices, default=SectionKind.ROOT_CAUSE)
    root_cause = models.CharField(_("root cause"), max_length=32, choices=RootCause.choices, blank=True, default="")
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True, default="")
    intro_en = models.TextField(_("introduction (English)"), blank=True, default="")

    class Meta:
        ordering = ["questionnaire", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "position"], name="diag_section_position")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self.title_zh, self.title_en)

    @property
    def intro(self) -> str:
        return in_language(self.intro_zh, self.intro_en)


class Item(models.Model):
    """A Likert statement about one root cause, or a symptom rated by severity.

    ``root_cause`` is set for Likert items and ``symptom`` for symptom items; answers
    reference the item of the questionnaire version they answered.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="items", verbose_name=_("questionnaire")
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("section"))
    code = models.SlugField(_("code"), max_length=64)
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind.choices, default=ItemKind.LIKERT)
    root_cause = models.CharField(_("root cause"), max_length=32, choices=RootCause.choices, blank=True, default="")
    symptom = models.CharField(_("symptom"), max_length=32, choices=Symptom.choices, blank=True, default="")
    text_zh = models.TextField(_("text (Chinese)"))
    text_en = models.TextField(_("text (English)"))
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    reverse = models.BooleanField(_("reverse-scored"), default=False)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["section__position", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="diag_item_position"),
            models.UniqueConstraint(fields=["questionnaire", "code"], name="diag_item_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="diag_item_weight_positive"),
            models.CheckConstraint(
                condition=Q(kind="likert", symptom="") & ~Q(root_cause="")
                | Q(kind="symptom", root_cause="") & ~Q(symptom=""),
                name="diag_item_kind_target",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        return in_language(self.text_zh, self.text_en)

    @property
    def value_range(self) -> tuple[int, int]:
        return VALUE_RANGE[self.kind]

    def clean(self) -> None:
        if self.kind == ItemKind.LIKERT and (not self.root_cause or self.symptom):
            raise ValidationError({"root_cause": _("A statement belongs to exactly one root cause.")})
        if self.kind == ItemKind.SYMPTOM and (not self.symptom or self.root_cause):
            raise ValidationError({"symptom": _("A symptom item names exactly one symptom of Table 1.")})


class AssessmentRound(CreatedAt):
    """A self-check of one org unit: who is invited, when it opened and closed, when results show."""

    questionnaire = models.ForeignKey(
        Questionnaire, verbose_name=_("questionnaire"), on_delete=models.PROTECT, related_name="rounds"
    )
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_rounds"
    )
    respondents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("respondents"), related_name="assessment_rounds"
    )
    min_respondents = models.PositiveSmallIntegerField(
        _("minimum submissions before results show"),
        default=MIN_RESPONDENTS_FLOOR,
        validators=[MinValueValidator(MIN_RESPONDENTS_FLOOR)],
    )
    data_period_start = models.DateField(
        _("data quarter"), help_text=_("Symptoms are checked against indicator values of the quarter starting here.")
    )
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        indexes = [models.Index(fields=["org_unit", "closed_at"], name="diag_round_unit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_respondents__gte=MIN_RESPONDENTS_FLOOR), name="diag_round_min_respondents"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | Q(closed_at__gte=models.F("opened_at")),
                name="diag_round_closed_after_open",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Response(UpdatedAt):
    """One respondent's answers to a round: a draft until ``submitted_at`` is set, then final."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="responses", verbose_name=_("round")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("respondent")
    )
    current_step = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [models.UniqueConstraint(fields=["round", "respondent"], name="diag_response_once")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.pk}"


class Answer(models.Model):
    """One answer: a value in the item's range, or "not applicable" (no value)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers", verbose_name=_("item"))
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="diag_answer_once"),
            models.CheckConstraint(
                condition=Q(not_applicable=True, value__isnull=True) | Q(not_applicable=False, value__isnull=False),
                name="diag_answer_value_or_na",
            ),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__lte=5), name="diag_answer_value_range"),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.item_id}"


class RadarSnapshot(models.Model):
    """One axis of one series of an org unit's capability radar, as the last recompute left it.

    Keyed by (unit, series, axis) so that a rerun overwrites instead of adding rows. ``value``
    is 0-100, or null for "no data" (never stored as 0). ``parts`` keeps the inputs of the
    axis formula (code, value, numerator, denominator) so the page can show the computation.
    """

    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("org unit"))
    series = models.CharField(_("series"), max_length=16, choices=RadarSeries.choices)
    axis = models.CharField(_("axis"), max_length=32, choices=RadarAxis.choices)
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=2, null=True, blank=True)
    parts = models.JSONField(_("formula inputs"), default=list, blank=True)
    assessment_round = models.ForeignKey(
        AssessmentRound,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("assessment round"),
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("radar snapshot")
        verbose_name_plural = _("radar snapshots")
        constraints = [
            models.UniqueConstraint(fields=["org_unit", "series", "axis"], name="diag_radar_key"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0, value__lte=100), name="diag_radar_value_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.series} {self.axis}"
