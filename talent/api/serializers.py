"""Serializers of the talent API: they check shapes and render rows; the statistics live in talent.stats."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from org.choices import PersonRole
from org.months import FIRST_YEAR, LAST_YEAR, MonthError, parse_month
from performance.choices import PeriodKind

from ..services import profile_warning_messages
from ..stats import DEFAULT_MAX_Q, DEFAULT_MIN_EFFECT, DEFAULT_TOP_SHARE

_MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)


class MonthField(serializers.CharField):
    """YYYY-MM, as the first day of that month (years FIRST_YEAR to LAST_YEAR of org.months)."""

    default_error_messages = {"invalid_month": _("Use a month YYYY-MM between {first} and {last}.")}

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            if not _MONTH_RE.fullmatch(text):
                raise MonthError(text)
            return parse_month(text)
        except MonthError:
            self.fail("invalid_month", first=f"{FIRST_YEAR}-01", last=f"{LAST_YEAR}-12")

    def to_representation(self, value):
        return value.strftime("%Y-%m")


class ProfileBuildSerializer(serializers.Serializer):
    """What a new profile version is built from."""

    name = serializers.CharField(max_length=200)
    role = serializers.ChoiceField(choices=PersonRole.choices)
    criterion = serializers.CharField(max_length=64, help_text=_("Indicator code, e.g. win_rate."))
    period = serializers.ChoiceField(choices=PeriodKind.choices, default=PeriodKind.MONTH)
    top_share = serializers.FloatField(min_value=0.01, max_value=0.99, default=DEFAULT_TOP_SHARE)
    max_q = serializers.FloatField(min_value=0.0001, max_value=1, default=DEFAULT_MAX_Q)
    min_effect = serializers.FloatField(min_value=0, max_value=10, default=DEFAULT_MIN_EFFECT)

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword; the API names the window's ends from/to.
        fields["from"] = MonthField(help_text=_("First period of the window, YYYY-MM."))
        fields["to"] = MonthField(help_text=_("Last period of the window, YYYY-MM."))
        return fields

    def validate(self, attrs):
        if attrs["to"] < attrs["from"]:
            raise serializers.ValidationError({"to": _("The window ends before it starts.")})
        return attrs


class ProfileFactorSerializer(serializers.Serializer):
    factor = serializers.CharField(source="factor.code")
    name = serializers.CharField(source="factor.name")
    level = serializers.CharField(allow_null=True)
    feature = serializers.CharField()
    kind = serializers.CharField()
    n_high = serializers.IntegerField()
    n_control = serializers.IntegerField()
    high = serializers.FloatField(allow_null=True, help_text=_("Mean (numeric) or proportion (yes/no, level)."))
    control = serializers.FloatField(allow_null=True)
    effect = serializers.FloatField(allow_null=True, help_text=_("Cohen's d (numeric) or Cohen's h (yes/no, level)."))
    p = serializers.FloatField(allow_null=True)
    q = serializers.FloatField(allow_null=True, help_text=_("Benjamini–Hochberg q-value over the profile's tests."))
    selected = serializers.BooleanField()
    weight = serializers.FloatField(allow_null=True, help_text=_("Model coefficient, log-odds per standard deviation."))

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["level"] = instance.level or None
        return data


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class ProfileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()
    version = serializers.IntegerField()
    criterion = serializers.CharField(source="criterion.code")
    period = serializers.CharField()
    top_share = serializers.FloatField()
    max_q = serializers.FloatField()
    min_effect = serializers.FloatField()
    n_high = serializers.IntegerField()
    n_control = serializers.IntegerField()
    auc = serializers.FloatField(allow_null=True)
    cv_auc = serializers.FloatField(allow_null=True)
    built_at = serializers.DateTimeField()

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword; the API names the window's ends from/to (in the schema too).
        fields["from"] = MonthField(source="window_from")
        fields["to"] = MonthField(source="window_to")
        return fields


class ProfileDetailSerializer(ProfileSerializer):
    warnings = serializers.SerializerMethodField()
    factors = ProfileFactorSerializer(many=True)
    intercept = serializers.FloatField(source="model.intercept")

    def get_warnings(self, profile) -> list[str]:
        return profile_warning_messages(profile)


class MatchSerializer(serializers.Serializer):
    candidate = serializers.CharField(help_text=_("External id of the candidate."))
    name = serializers.CharField()
    org_unit = serializers.CharField()
    stage = serializers.CharField()
    score = serializers.FloatField(help_text=_("Match score 0–100: the model's probability × 100."))
    baseline = serializers.FloatField(help_text=_("The model's intercept (log-odds)."))
    contributions = serializers.DictField(
        child=serializers.FloatField(),
        help_text=_("Log-odds per feature; logit(score / 100) = baseline + the sum of the contributions."),
    )
    missing = serializers.ListField(child=serializers.CharField())


class CorrelationSerializer(serializers.Serializer):
    r = serializers.FloatField(allow_null=True)
    low = serializers.FloatField(allow_null=True, help_text="Lower bound of the 95% confidence interval.")
    high = serializers.FloatField(allow_null=True, help_text="Upper bound of the 95% confidence interval.")
    p = serializers.FloatField(allow_null=True)


class CalibrationHireSerializer(serializers.Serializer):
    candidate = serializers.CharField()
    score = serializers.FloatField(help_text="Match score at hire, 0–100.")
    criterion = serializers.FloatField()
    is_high = serializers.BooleanField(help_text="Reached the top share of the role's people in the window.")


class ReferenceSerializer(serializers.Serializer):
    method = serializers.CharField()
    validity = serializers.FloatField()


class CalibrationSerializer(serializers.Serializer):
    profile = serializers.IntegerField()
    window_from = serializers.DateField(help_text="First day of the post-hire window.")
    window_to = serializers.DateField(help_text="Last day of the post-hire window.")
    n = serializers.IntegerField()
    n_high = serializers.IntegerField()
    pearson = CorrelationSerializer(help_text="95% interval from Fisher's z.")
    spearman = CorrelationSerializer(help_text="95% interval from Fisher's z with the Bonett–Wright standard error.")
    auc = serializers.FloatField(allow_null=True)
    warnings = serializers.ListField(child=serializers.CharField())
    references = ReferenceSerializer(many=True)
    reference_source = serializers.CharField()
    hires = CalibrationHireSerializer(many=True)


class SupplyStageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    open = serializers.IntegerField()
    entered = serializers.IntegerField()
    conversion = serializers.FloatField(allow_null=True, help_text="% moving on to a later stage, of those decided.")
    median_days = serializers.FloatField(allow_null=True)
    p_hire = serializers.FloatField(allow_null=True, help_text="% chance of being hired from this stage.")
    days_to_hire = serializers.FloatField()
    expected_hires = serializers.FloatField()


class SupplyPlanSerializer(serializers.Serializer):
    role = serializers.CharField()
    org_unit = serializers.CharField()
    quarter = serializers.DateField()
    target_headcount = serializers.IntegerField()
    current_headcount = serializers.IntegerField()
    attrition_rate = serializers.FloatField(allow_null=True, help_text="Annual, 0–1.")
    expected_attrition = serializers.FloatField()
    expected_hires = serializers.FloatField()
    bench = serializers.IntegerField()
    gap = serializers.FloatField()
    warnings = serializers.ListField(child=serializers.CharField())
    stages = SupplyStageSerializer(many=True)


class ChannelSerializer(serializers.Serializer):
    channel = serializers.CharField()
    volume = serializers.IntegerField()
    hires = serializers.IntegerField()
    conversion = serializers.FloatField(allow_null=True, help_text="% hired of the decided (hired or rejected).")
    average_match = serializers.FloatField(allow_null=True)
    retention_base = serializers.IntegerField(help_text="Hires hired at least a year ago.")
    retention = serializers.FloatField(allow_null=True, help_text="% of them still there a year after hiring.")


class SupplySerializer(serializers.Serializer):
    as_of = serializers.DateField()
    plans = SupplyPlanSerializer(many=True)
    channels = ChannelSerializer(many=True)
