"""Customer facts, the indicator library and the computed indicator values."""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from org.choices import PersonRole
from org.model_bases import BilingualName, CreatedAt, Timestamped, UpdatedAt
from org.models import OrgUnit, Person

from .choices import (
    ContractKind,
    Direction,
    IndicatorCategory,
    IndicatorSource,
    IndicatorTiming,
    IndicatorUnit,
    OpportunityStatus,
    PeriodKind,
    Segment,
    TeamFunction,
)

MONEY = {"max_digits": 16, "decimal_places": 2}


# --- facts --------------------------------------------------------------------------


class Customer(models.Model):
    """A customer account, with when it was acquired and (if so) when it churned."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    segment = models.CharField(_("segment"), max_length=16, choices=Segment.choices)
    industry = models.CharField(_("industry"), max_length=100, blank=True, default="")
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="customers", verbose_name=_("org unit")
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="customers", verbose_name=_("owner")
    )
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    churned_on = models.DateField(_("churned on"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        indexes = [
            models.Index(fields=["org_unit", "acquired_on"], name="perf_customer_unit_acq_idx"),
            models.Index(fields=["owner", "acquired_on"], name="perf_customer_owner_acq_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.external_id})"


class Lead(models.Model):
    """A marketing or sales lead; qualified leads that convert feed lead_conversion_rate."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="leads", verbose_name=_("org unit"))
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads", verbose_name=_("owner")
    )
    created_on = models.DateField(_("created on"))
    source = models.CharField(_("source"), max_length=64, blank=True, default="")
    is_qualified = models.BooleanField(_("qualified"), default=False)
    converted_on = models.DateField(_("converted on"), null=True, blank=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        indexes = [
            models.Index(fields=["org_unit", "created_on"], name="perf_lead_unit_created_idx"),
            models.Index(fields=["owner", "created_on"], name="perf_lead_owner_created_idx"),
        ]

    def __str__(self) -> str:
        return self.external_id


class Opportunity(models.Model):
    """A sales opportunity; closed ones feed win rates and the sales cycle."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("customer")
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("org unit")
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities", verbose_name=_("owner")
    )
    created_on = models.DateField(_("created on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=OpportunityStatus.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    is_key_account = models.BooleanField(_("key account"), default=False)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["org_unit", "closed_on"], name="perf_opp_unit_closed_idx"),
            models.Index(fields=["owner", "closed_on"], name="perf_opp_owner_closed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(closed_on__isnull=False), name="perf_opp_closed_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.external_id


class Contract(models.Model):
    """A signed contract: new business, a renewal (``renews`` links the chain), an upsell or cross-sell."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("customer")
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("org unit")
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="contracts", verbose_name=_("owner")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ContractKind.choices)
    signed_on = models.DateField(_("signed on"))
    start_on = models.DateField(_("starts on"))
    end_on = models.DateField(_("ends on"))
    value = models.DecimalField(_("value"), **MONEY)
    gross_margin = models.DecimalField(_("gross margin"), **MONEY)
    renews = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="renewed_by",
        verbose_name=_("renews"),
    )

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [
            models.Index(fields=["org_unit", "signed_on"], name="perf_contract_unit_signed_idx"),
            models.Index(fields=["owner", "signed_on"], name="perf_contract_owner_signed_idx"),
            models.Index(fields=["customer", "signed_on"], name="perf_contract_cust_signed_idx"),
            models.Index(fields=["end_on"], name="perf_contract_end_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="perf_contract_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.external_id


class NpsResponse(models.Model):
    """One customer's answer to the net-promoter question (0–10)."""

    external_id = models.CharField(_("external id"), max_length=64, unique=True)
    customer = models.ForeignKey(
        Customer, on_delete=models.PROTECT, related_name="nps_responses", verbose_name=_("customer")
    )
    responded_on = models.DateField(_("responded on"))
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("NPS response")
        verbose_name_plural = _("NPS responses")
        indexes = [models.Index(fields=["customer", "responded_on"], name="perf_nps_cust_resp_idx")]
        constraints = [models.CheckConstraint(condition=Q(score__lte=10), name="perf_nps_score_0_10")]

    def __str__(self) -> str:
        return self.external_id


class Usage(models.Model):
    """A customer's share of active seats or users in a month (0–1)."""

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="usage", verbose_name=_("customer"))
    month = models.DateField(_("month"))
    active_ratio = models.DecimalField(_("active ratio"), max_digits=6, decimal_places=4)

    class Meta:
        verbose_name = _("usage")
        verbose_name_plural = _("usage")
        constraints = [
            models.UniqueConstraint(fields=["customer", "month"], name="perf_usage_customer_month"),
            models.CheckConstraint(condition=Q(active_ratio__gte=0, active_ratio__lte=1), name="perf_usage_ratio_0_1"),
        ]

    def __str__(self) -> str:
        return f"{self.customer_id} {self.month:%Y-%m}"


class AcquisitionCost(models.Model):
    """Sales and marketing spend of a unit in a month, for CAC and LTV/CAC."""

    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="acquisition_costs", verbose_name=_("org unit")
    )
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("amount"), **MONEY)

    class Meta:
        verbose_name = _("acquisition cost")
        verbose_name_plural = _("acquisition costs")
        constraints = [models.UniqueConstraint(fields=["org_unit", "month"], name="perf_cost_unit_month")]

    def __str__(self) -> str:
        return f"{self.org_unit_id} {self.month:%Y-%m}"


# --- indicator library ------------------------------------------------------------------


class Indicator(BilingualName, UpdatedAt):
    """One indicator of the LTV-oriented library (Table 2): built-in formula or entered by hand."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    category = models.CharField(_("category"), max_length=32, choices=IndicatorCategory.choices)
    unit = models.CharField(_("unit"), max_length=12, choices=IndicatorUnit.choices)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices, default=Direction.HIGHER)
    timing = models.CharField(_("leading or lagging"), max_length=8, choices=IndicatorTiming.choices)
    review_cycle = models.CharField(_("review cycle"), max_length=8, choices=PeriodKind.choices)
    departments = models.JSONField(_("responsible departments"), default=list, blank=True)
    definition_en = models.TextField(_("definition (English)"), blank=True, default="")
    definition_zh = models.TextField(_("definition (Chinese)"), blank=True, default="")
    formula = models.TextField(_("formula"), blank=True, default="")
    source = models.CharField(
        _("source"), max_length=8, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4, null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    last_computed_at = models.DateTimeField(_("last computed at"), null=True, blank=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def definition(self) -> str:
        text = self.definition_zh if (get_language() or "").startswith("zh") else self.definition_en
        return text or self.definition_en

    @property
    def is_builtin(self) -> bool:
        return self.source == IndicatorSource.BUILTIN

    @property
    def formula_text(self) -> str:
        """The formula in the viewer's language: a built-in formula is stored in English and translated."""
        return gettext(self.formula) if self.is_builtin and self.formula else self.formula


class IndicatorValue(models.Model):
    """An indicator's value for one org unit (its whole subtree) or one person, in one period.

    Exactly one of org_unit and person is set. ``value`` is null where the denominator is 0.
    """

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("org unit")
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    period = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    numerator = models.DecimalField(max_digits=24, decimal_places=4)
    denominator = models.DecimalField(max_digits=24, decimal_places=4)
    value = models.DecimalField(max_digits=24, decimal_places=4, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.CheckConstraint(
                condition=Q(org_unit__isnull=True, person__isnull=False)
                | Q(org_unit__isnull=False, person__isnull=True),
                name="perf_value_one_subject",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "org_unit", "period_start"],
                condition=Q(person__isnull=True),
                name="perf_value_unit_key",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period", "person", "period_start"],
                condition=Q(org_unit__isnull=True),
                name="perf_value_person_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.period} {self.period_start}"


class ManualIndicatorValue(models.Model):
    """A value of a hand-entered indicator for a unit and period, entered by an HR lead or ingested."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="manual_values", verbose_name=_("indicator")
    )
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("org unit"))
    period = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    period_start = models.DateField(_("period start"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("entered indicator value")
        verbose_name_plural = _("entered indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "org_unit", "period", "period_start"], name="perf_manual_value_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.org_unit_id} {self.period_start}"


# --- scorecards ---------------------------------------------------------------------------


class Scorecard(Timestamped):
    """3 to 5 key indicators with weights and targets for a role (optionally within one unit's subtree)."""

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scorecards",
        help_text=_("Leave empty for the whole company."),
    )
    period = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.QUARTER)

    class Meta:
        ordering = ["role", "name"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self) -> str:
        return self.name


class ScorecardItem(models.Model):
    """One indicator on a scorecard, with its weight (percent of the card) and target."""

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="items", verbose_name=_("scorecard")
    )
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    weight = models.DecimalField(_("weight (%)"), max_digits=6, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    timing = models.CharField(_("leading or lagging"), max_length=8, choices=IndicatorTiming.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("scorecard item")
        verbose_name_plural = _("scorecard items")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "indicator"], name="perf_scorecard_item_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="perf_scorecard_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.scorecard_id}: {self.indicator_id}"


# --- customer project teams -----------------------------------------------------------------


class CustomerProjectTeam(CreatedAt):
    """A cross-department team around one key account, with a shared goal and a shared action board."""

    name = models.CharField(_("name"), max_length=200)
    customer = models.ForeignKey(
        Customer, verbose_name=_("customer"), on_delete=models.PROTECT, related_name="project_teams"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), on_delete=models.PROTECT, related_name="project_teams"
    )
    goal = models.TextField(_("shared goal"), blank=True, default="")
    goal_indicators = models.ManyToManyField(Indicator, verbose_name=_("goal indicators"), blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer project team")
        verbose_name_plural = _("customer project teams")

    def __str__(self) -> str:
        return self.name


class ProjectTeamMember(models.Model):
    team = models.ForeignKey(
        CustomerProjectTeam, on_delete=models.CASCADE, related_name="members", verbose_name=_("team")
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    function = models.CharField(_("function"), max_length=20, choices=TeamFunction.choices)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="perf_team_member_unique")]

    def __str__(self) -> str:
        return f"{self.team_id}: {self.person_id}"


class ProjectAction(models.Model):
    """One action on a project team's shared board; closing time feeds cross_dept_closure_days."""

    team = models.ForeignKey(
        CustomerProjectTeam, on_delete=models.CASCADE, related_name="actions", verbose_name=_("team")
    )
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        Person, verbose_name=_("owner"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["closed_on", "due_on", "id"]
        verbose_name = _("project action")
        verbose_name_plural = _("project actions")
        indexes = [models.Index(fields=["closed_on"], name="perf_action_closed_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="perf_action_closed_after_open",
            ),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("opened_on")), name="perf_action_due_after_open"),
        ]

    def __str__(self) -> str:
        return self.title


# --- customer lifetime value ----------------------------------------------------------------


class CustomerLtv(models.Model):
    """A customer's lifetime value: realized gross margin to date plus a projected part (nightly)."""

    customer = models.OneToOneField(Customer, on_delete=models.CASCADE, related_name="ltv", verbose_name=_("customer"))
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("org unit"))
    owner = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("owner"))
    cohort = models.DateField(_("acquisition quarter"))
    realized_margin = models.DecimalField(_("realized gross margin"), **MONEY)
    annual_margin = models.DecimalField(_("gross margin of the last 12 months"), **MONEY)
    renewal_probability = models.DecimalField(max_digits=6, decimal_places=4)
    expected_years = models.DecimalField(_("expected further years"), max_digits=8, decimal_places=4)
    projected_margin = models.DecimalField(_("projected gross margin"), **MONEY)
    ltv = models.DecimalField(_("LTV"), **MONEY)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("customer LTV")
        verbose_name_plural = _("customer LTVs")
        indexes = [models.Index(fields=["org_unit", "cohort"], name="perf_ltv_unit_cohort_idx")]

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.ltv}"


class LtvCohort(models.Model):
    """LTV of the customers a unit's subtree (or a person) acquired in one quarter, with CAC where costs exist."""

    org_unit = models.ForeignKey(
        OrgUnit, null=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("org unit")
    )
    person = models.ForeignKey(Person, null=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("person"))
    cohort = models.DateField(_("acquisition quarter"))
    customers = models.PositiveIntegerField(_("customers"))
    ltv_total = models.DecimalField(**MONEY)
    realized_total = models.DecimalField(**MONEY)
    acquisition_cost = models.DecimalField(_("acquisition cost"), null=True, **MONEY)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("LTV cohort")
        verbose_name_plural = _("LTV cohorts")
        indexes = [
            models.Index(fields=["org_unit", "cohort"], name="perf_ltvcohort_unit_idx"),
            models.Index(fields=["person", "cohort"], name="perf_ltvcohort_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.org_unit_id or self.person_id} {self.cohort}"

    @property
    def average_ltv(self):
        return self.ltv_total / self.customers if self.customers else None

    @property
    def cac(self):
        return self.acquisition_cost / self.customers if self.customers and self.acquisition_cost is not None else None

    @property
    def ltv_to_cac(self):
        cac = self.cac
        return (self.average_ltv / cac) if cac else None


# --- incentive plans -----------------------------------------------------------------------


class IncentivePlan(CreatedAt):
    """A sales bonus with an immediate and a deferred part, plus team-level rules on shared indicators.

    Individual part: ``commission_rate`` × value of each new contract the person signs. Of that,
    ``deferred_share`` is held back and released ``deferral_months`` after signing, in proportion
    to what became of the customer (see performance.incentives).
    """

    name = models.CharField(_("name"), max_length=200)
    roles = models.JSONField(_("roles paid on new contracts"), default=list)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("org unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("payout period"), max_length=8, choices=PeriodKind.choices, default=PeriodKind.QUARTER)
    commission_rate = models.DecimalField(_("commission rate (%)"), max_digits=6, decimal_places=3)
    deferred_share = models.DecimalField(_("deferred share (%)"), max_digits=6, decimal_places=2)
    deferral_months = models.PositiveSmallIntegerField(_("deferral (months)"), default=13)

    class Meta:
        ordering = ["name"]
        verbose_name = _("incentive plan")
        verbose_name_plural = _("incentive plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(deferred_share__gte=0, deferred_share__lte=100), name="perf_plan_deferred_0_100"
            ),
            models.CheckConstraint(condition=Q(commission_rate__gte=0), name="perf_plan_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class TeamIncentiveRule(models.Model):
    """A team-level incentive: people of one role earn ``amount`` × attainment of a shared indicator."""

    plan = models.ForeignKey(IncentivePlan, on_delete=models.CASCADE, related_name="team_rules", verbose_name=_("plan"))
    role = models.CharField(_("role"), max_length=32, choices=PersonRole.choices)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("shared indicator"), on_delete=models.PROTECT, related_name="+"
    )
    target = models.DecimalField(_("target"), max_digits=20, decimal_places=4)
    amount = models.DecimalField(_("amount at 100 %"), **MONEY)

    class Meta:
        verbose_name = _("team incentive rule")
        verbose_name_plural = _("team incentive rules")
        constraints = [models.CheckConstraint(condition=Q(target__gt=0), name="perf_team_rule_target_positive")]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.role} / {self.indicator_id}"
