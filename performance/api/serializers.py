"""Shapes of the performance API (DESIGN.md section 4, "Metrics out")."""

from rest_framework import serializers

from ..models import Indicator


class IndicatorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    definition = serializers.CharField(read_only=True)
    cycle = serializers.CharField(source="review_cycle", read_only=True)
    leading_or_lagging = serializers.CharField(source="timing", read_only=True)
    target = serializers.DecimalField(max_digits=20, decimal_places=4, coerce_to_string=False, allow_null=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "name_en",
            "name_zh",
            "category",
            "unit",
            "direction",
            "cycle",
            "departments",
            "leading_or_lagging",
            "definition",
            "definition_en",
            "definition_zh",
            "formula",
            "source",
            "target",
            "last_computed_at",
        ]


class IndicatorValueSerializer(serializers.Serializer):
    """One computed value; reads the dict rows of selectors.indicator_values_rows."""

    indicator = serializers.CharField(source="indicator_code")
    org_unit = serializers.CharField(source="org_unit_code", allow_null=True)
    person = serializers.CharField(source="person_external_id", allow_null=True)
    period = serializers.CharField()
    period_start = serializers.DateField()
    value = serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False, allow_null=True)
    numerator = serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False)
    denominator = serializers.DecimalField(max_digits=24, decimal_places=4, coerce_to_string=False)
    computed_at = serializers.DateTimeField()


# --- shared pieces ----------------------------------------------------------------------------


def _decimal(places: int = 4, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(max_digits=24, decimal_places=places, coerce_to_string=False, **kwargs)


class PageSerializer(serializers.Serializer):
    """The page-number envelope (``count``, ``next``, ``previous``); subclasses add ``results``."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class UnitRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()


# --- LTV cohorts -----------------------------------------------------------------------------


class LtvCohortSerializer(serializers.Serializer):
    """LTV of the customers a unit's subtree (or a person) acquired in one quarter."""

    org_unit = serializers.CharField(source="org_unit.code", allow_null=True)
    person = serializers.CharField(source="person.external_id", allow_null=True)
    cohort = serializers.DateField(help_text="first day of the acquisition quarter")
    customers = serializers.IntegerField()
    ltv_total = _decimal(2)
    realized_total = _decimal(2)
    average_ltv = _decimal(2, allow_null=True)
    acquisition_cost = _decimal(2, allow_null=True)
    cac = _decimal(2, allow_null=True)
    ltv_to_cac = _decimal(4, allow_null=True)
    computed_at = serializers.DateTimeField()


# --- dashboards ------------------------------------------------------------------------------


class SeriesPointSerializer(serializers.Serializer):
    period_start = serializers.DateField()
    value = _decimal(allow_null=True)
    numerator = _decimal()
    denominator = _decimal()


class DashboardIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    category = serializers.CharField(source="indicator.category")
    unit = serializers.CharField(source="indicator.unit")
    direction = serializers.CharField(source="indicator.direction")
    leading_or_lagging = serializers.CharField(source="indicator.timing")
    target = _decimal(source="indicator.target", allow_null=True)
    latest = _decimal(allow_null=True, help_text="value in the latest period of the window")
    previous = _decimal(allow_null=True, help_text="value in the period before the latest")
    on_target = serializers.BooleanField(allow_null=True, help_text="null without a target or a latest value")
    series = SeriesPointSerializer(many=True, source="points")


def _values_field() -> serializers.DictField:
    return serializers.DictField(child=_decimal(allow_null=True), help_text="latest-period value by indicator code")


class DashboardChildSerializer(serializers.Serializer):
    code = serializers.CharField(source="subject.code")
    name = serializers.CharField(source="subject.name")
    kind = serializers.CharField(source="subject.kind")
    values = _values_field()


class DashboardPersonSerializer(serializers.Serializer):
    external_id = serializers.CharField(source="subject.external_id")
    name = serializers.CharField(source="subject.name")
    role = serializers.CharField(source="subject.role")
    org_unit = serializers.CharField(source="subject.org_unit.code")
    values = _values_field()


class DashboardChildrenSerializer(serializers.Serializer):
    sort = serializers.CharField(help_text='"name" or an indicator code')
    order = serializers.ChoiceField(choices=["asc", "desc"])
    chart_indicator = serializers.CharField(source="chart_indicator.code", allow_null=True)
    results = DashboardChildSerializer(many=True, source="children")


class DashboardPeopleSerializer(serializers.Serializer):
    sort = serializers.CharField(source="people_sort", help_text='"name" or an indicator code')
    order = serializers.ChoiceField(source="people_order", choices=["asc", "desc"])
    count = serializers.IntegerField(source="people.paginator.count")
    page = serializers.IntegerField(source="people.number")
    pages = serializers.IntegerField(source="people.paginator.num_pages")
    results = DashboardPersonSerializer(many=True, source="people.object_list")


class DashboardSerializer(serializers.Serializer):
    """What the dashboard page shows, read from precomputed values only."""

    org_unit = UnitRefSerializer(source="unit")
    ancestors = UnitRefSerializer(many=True, help_text="from the top of the caller's scope down to the unit")
    period = serializers.CharField()
    period_starts = serializers.ListField(child=serializers.DateField(), help_text="the window, oldest first")
    latest_period_start = serializers.DateField(source="latest_start", allow_null=True)
    computed_at = serializers.DateTimeField(allow_null=True, help_text="last recompute of the indicators shown")
    values_changed_at = serializers.DateTimeField(allow_null=True)
    ltv_computed_at = serializers.DateTimeField(allow_null=True)
    indicators = DashboardIndicatorSerializer(many=True, source="series")
    children = DashboardChildrenSerializer(source="*")
    people = DashboardPeopleSerializer(source="*")
    ltv_cohorts = LtvCohortSerializer(many=True)


# --- scorecards --------------------------------------------------------------------------------


class ScorecardItemSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.name")
    weight = _decimal(2)
    target = _decimal()
    leading_or_lagging = serializers.CharField(source="timing")


class ScorecardSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    org_unit = serializers.CharField(source="org_unit.code", allow_null=True)
    period = serializers.CharField()
    items = ScorecardItemSerializer(many=True, source="items.all")
    warnings = serializers.ListField(child=serializers.CharField(), help_text="result-scoreboard warnings")


class AttainmentItemSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator.code")
    weight = _decimal(2)
    target = _decimal()
    leading_or_lagging = serializers.CharField(source="timing")
    actual = _decimal(allow_null=True)
    ratio = _decimal(allow_null=True, help_text="capped attainment of the item, 0 to 1.5")
    contribution = _decimal(2, allow_null=True, help_text="percentage points of the score")


class AttainmentSerializer(serializers.Serializer):
    subject = serializers.CharField()
    score = _decimal(2, allow_null=True, help_text="percent; null when no item has a value")
    coverage = _decimal(2, help_text="share of the weight with a value, percent")
    items = AttainmentItemSerializer(many=True)


class PersonAttainmentSerializer(AttainmentSerializer):
    person = serializers.CharField(source="person.external_id")
    name = serializers.CharField(source="person.name")
    org_unit = serializers.CharField(source="person.org_unit.code")


class AttainmentPageSerializer(PageSerializer):
    scorecard = serializers.IntegerField()
    org_unit = serializers.CharField()
    period = serializers.CharField()
    period_start = serializers.DateField()
    team = AttainmentSerializer()
    results = PersonAttainmentSerializer(many=True)


# --- incentive simulation ---------------------------------------------------------------------------


class PayoutLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["immediate", "held_back", "released", "forfeited", "pending", "team"])
    amount = _decimal(2)
    explanation = serializers.CharField()
    contract = serializers.CharField(allow_null=True)
    customer = serializers.CharField(allow_null=True)


class PersonPayoutSerializer(serializers.Serializer):
    person = serializers.CharField(source="person.external_id")
    name = serializers.CharField(source="person.name")
    role = serializers.CharField(source="person.role")
    org_unit = serializers.CharField(source="person.org_unit.code")
    paid = _decimal(2)
    held_back = _decimal(2)
    forfeited = _decimal(2)
    lines = PayoutLineSerializer(many=True)


class PayoutTotalsSerializer(serializers.Serializer):
    paid = _decimal(2)
    held_back = _decimal(2)
    forfeited = _decimal(2)


class SimulationPageSerializer(PageSerializer):
    plan = serializers.IntegerField()
    plan_name = serializers.CharField()
    org_unit = serializers.CharField()
    period = serializers.CharField()
    period_start = serializers.DateField()
    totals = PayoutTotalsSerializer()
    results = PersonPayoutSerializer(many=True)
