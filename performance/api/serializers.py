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
