"""Factors, person and candidate attributes, versioned success profiles and candidate match scores."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from org.choices import PersonRole
from org.model_bases import CreatedAt, Timestamped, UpdatedAt
from org.models import OrgUnit, Person
from org.text import in_language
from performance.choices import PeriodKind
from performance.models import Indicator

from .choices import CandidateStage, Competency, CustomerScenario, FactorKind, FactorSource


class Factor(Timestamped):
    """A measurable trait that may set high performers apart (an assessment score, years of experience...)."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # Built-in and demo factors keep their Chinese name in ``name`` and their English one here.
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=FactorKind.choices)
    source = models.CharField(_("source"), max_length=16, choices=FactorSource.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("factor")
        verbose_name_plural = _("factors")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def display_name(self) -> str:
        """The name in the viewer's language: the English one on English pages when there is one."""
        return in_language(self.name, self.name_en)


class PersonAttribute(UpdatedAt):
    """One person's value of one factor.

    ``value`` is the normalised text of the value: a plain decimal for numeric factors,
    ``true``/``false`` for yes/no factors, the level for categorical ones (the ingest
    checks it against the factor's kind).
    """

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    factor = models.ForeignKey(Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="+")
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        verbose_name = _("person attribute")
        verbose_name_plural = _("person attributes")
        constraints = [models.UniqueConstraint(fields=["person", "factor"], name="talent_person_attribute_key")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.factor_id}={self.value}"


class Candidate(Timestamped):
    """An applicant for a customer-acquisition role (from the applicant tracking system)."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices)
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="+")
    applied_on = models.DateField(_("applied on"))
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=CandidateStage.choices)
    source_channel = models.CharField(_("source channel"), max_length=64, blank=True, default="")
    hired_as = models.ForeignKey(
        Person, verbose_name=_("hired as"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["external_id"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        indexes = [models.Index(fields=["role", "org_unit"], name="talent_candidate_role_unit_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"


class CandidateAttribute(UpdatedAt):
    """One candidate's value of one factor (normalised like PersonAttribute.value)."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="attributes"
    )
    factor = models.ForeignKey(Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="+")
    value = models.CharField(_("value"), max_length=200)

    class Meta:
        verbose_name = _("candidate attribute")
        verbose_name_plural = _("candidate attributes")
        constraints = [models.UniqueConstraint(fields=["candidate", "factor"], name="talent_candidate_attribute_key")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.factor_id}={self.value}"


class SuccessProfile(models.Model):
    """One built version of a role's high-performer profile; never changed after it is built.

    ``model`` holds everything needed to reproduce a match score: the intercept and, per
    selected feature, the training mean and standard deviation used to standardise it and
    its coefficient (see talent.stats.match_scores).
    """

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices)
    version = models.PositiveIntegerField(_("version"))
    criterion = models.ForeignKey(Indicator, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    window_from = models.DateField(_("from"))
    window_to = models.DateField(_("to"))
    top_share = models.FloatField(_("top share"))
    max_q = models.FloatField(_("q-value threshold"))
    min_effect = models.FloatField(_("minimum effect size"))
    n_high = models.PositiveIntegerField(_("high performers"))
    n_control = models.PositiveIntegerField(_("control group"))
    auc = models.FloatField(_("AUC (in sample)"), null=True, blank=True)
    cv_auc = models.FloatField(_("AUC (5-fold cross-validated)"), null=True, blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    model = models.JSONField(_("model"), default=dict)
    # Person ids of the two groups as built, so the profile page's distributions stay those of this version.
    members = models.JSONField(_("members"), default=dict, blank=True)
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("built by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        ordering = ["role", "-version"]
        verbose_name = _("success profile")
        verbose_name_plural = _("success profiles")
        constraints = [
            models.UniqueConstraint(fields=["role", "version"], name="talent_profile_role_version"),
            models.CheckConstraint(condition=Q(top_share__gt=0, top_share__lt=1), name="talent_profile_top_share"),
            models.CheckConstraint(condition=Q(window_to__gte=models.F("window_from")), name="talent_profile_window"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class ProfileFactor(models.Model):
    """One test of a success profile: a numeric or yes/no factor, or one level of a categorical factor.

    ``high`` and ``control`` are group means (numeric) or proportions (yes/no, level);
    ``effect`` is Cohen's d or Cohen's h; ``q`` is the Benjamini–Hochberg q-value over
    all tests of the profile; ``weight`` is the model coefficient of a selected feature
    (log-odds per standard deviation).
    """

    profile = models.ForeignKey(
        SuccessProfile, on_delete=models.CASCADE, related_name="factors", verbose_name=_("profile")
    )
    factor = models.ForeignKey(Factor, verbose_name=_("factor"), on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("level"), max_length=200, blank=True, default="")
    kind = models.CharField(_("kind"), max_length=16, choices=FactorKind.choices)
    n_high = models.PositiveIntegerField()
    n_control = models.PositiveIntegerField()
    high = models.FloatField(null=True, blank=True)
    control = models.FloatField(null=True, blank=True)
    high_sd = models.FloatField(null=True, blank=True)
    control_sd = models.FloatField(null=True, blank=True)
    effect = models.FloatField(null=True, blank=True)
    p = models.FloatField(null=True, blank=True)
    q = models.FloatField(null=True, blank=True)
    selected = models.BooleanField(default=False)
    weight = models.FloatField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["profile", "position"]
        verbose_name = _("profile factor")
        verbose_name_plural = _("profile factors")
        constraints = [
            models.UniqueConstraint(fields=["profile", "factor", "level"], name="talent_profile_factor_key"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.factor_id} {self.level}".strip()

    @property
    def feature(self) -> str:
        """The name of the model column: the factor code, or ``code=level`` for a categorical level."""
        return f"{self.factor.code}={self.level}" if self.level else self.factor.code


class CandidateScore(models.Model):
    """A candidate's match score against the current profile of their role, stored for the indicator engine.

    Refreshed when a profile is built, when candidates or their attributes are imported,
    and by the nightly recompute; ``contributions`` are log-odds per feature.
    """

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="scores", verbose_name=_("candidate")
    )
    profile = models.ForeignKey(SuccessProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("profile"))
    score = models.FloatField(_("match score"))
    contributions = models.JSONField(default=dict)
    scored_at = models.DateTimeField(_("scored at"), auto_now=True)

    class Meta:
        verbose_name = _("candidate score")
        verbose_name_plural = _("candidate scores")
        constraints = [models.UniqueConstraint(fields=["profile", "candidate"], name="talent_score_key")]
        indexes = [models.Index(fields=["candidate", "profile"], name="talent_score_candidate_idx")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.profile_id}: {self.score:.1f}"


class CandidateStageChange(models.Model):
    """The day a candidate entered a stage: the history behind stage conversion rates and time in stage.

    Recorded when candidates are imported (a new stage is entered on the import day, or on
    ``applied_on``/``interviewed_on`` where those say when) and by the demo; one row per stage.
    """

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="stage_changes"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=CandidateStage.choices)
    entered_on = models.DateField(_("entered on"))

    class Meta:
        verbose_name = _("candidate stage change")
        verbose_name_plural = _("candidate stage changes")
        constraints = [models.UniqueConstraint(fields=["candidate", "stage"], name="talent_stage_change_key")]

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.stage} {self.entered_on}"


class HeadcountPlan(UpdatedAt):
    """The entered target head count of a role in an org unit's subtree for one quarter, with its bench.

    The bench is entered too: internal successors ready to move into the role and interns
    expected to convert during the quarter.
    """

    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices)
    org_unit = models.ForeignKey(OrgUnit, verbose_name=_("org unit"), on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField(_("quarter"), help_text=_("The first day of the quarter."))
    target_headcount = models.PositiveIntegerField(_("target head count"))
    bench_successors = models.PositiveIntegerField(_("internal successors"), default=0)
    bench_interns = models.PositiveIntegerField(_("interns converting"), default=0)

    class Meta:
        ordering = ["quarter", "role"]
        verbose_name = _("head count plan")
        verbose_name_plural = _("head count plans")
        constraints = [
            models.UniqueConstraint(fields=["role", "org_unit", "quarter"], name="talent_headcount_plan_key"),
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.org_unit_id} {self.quarter}: {self.target_headcount}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.quarter and (self.quarter.day != 1 or self.quarter.month not in (1, 4, 7, 10)):
            raise ValidationError({"quarter": _("A quarter starts on 1 January, April, July or October.")})


class InterviewQuestion(models.Model):
    """A situational interview question for a role (blank: every role) in a typical customer scenario, bilingual."""

    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices, blank=True, default="")
    scenario = models.CharField(_("customer scenario"), max_length=16, choices=CustomerScenario.choices)
    competency = models.CharField(_("competency"), max_length=32, choices=Competency.choices)
    text_zh = models.TextField(_("question (Chinese)"))
    text_en = models.TextField(_("question (English)"))
    look_for_zh = models.TextField(_("what to look for (Chinese)"), blank=True, default="")
    look_for_en = models.TextField(_("what to look for (English)"), blank=True, default="")
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["scenario", "position", "pk"]
        verbose_name = _("interview question")
        verbose_name_plural = _("interview questions")

    def __str__(self) -> str:
        return self.text_en[:80]

    def _in_language(self, zh: str, en: str) -> str:
        from django.utils.translation import get_language

        return zh if (get_language() or "").startswith("zh") and zh else en

    @property
    def text(self) -> str:
        return self._in_language(self.text_zh, self.text_en)

    @property
    def look_for(self) -> str:
        return self._in_language(self.look_for_zh, self.look_for_en)


class InterviewScorecard(CreatedAt):
    """One interviewer's structured scorecard of a candidate: a 1–5 rating per competency."""

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="scorecards"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("interviewer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    interviewed_on = models.DateField(_("interviewed on"))
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["-interviewed_on", "-pk"]
        verbose_name = _("interview scorecard")
        verbose_name_plural = _("interview scorecards")

    def __str__(self) -> str:
        return f"{self.candidate_id} {self.interviewed_on}"


class InterviewRating(models.Model):
    """A competency's rating on a scorecard (1 = no evidence … 5 = a role model in this scene)."""

    scorecard = models.ForeignKey(
        InterviewScorecard, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("scorecard")
    )
    competency = models.CharField(_("competency"), max_length=32, choices=Competency.choices)
    rating = models.PositiveSmallIntegerField(_("rating"))

    class Meta:
        verbose_name = _("interview rating")
        verbose_name_plural = _("interview ratings")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="talent_rating_key"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="talent_rating_range"),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id} {self.competency}={self.rating}"
