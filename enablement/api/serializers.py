"""Serializers of the enablement API: shapes only; rules live in services."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import SCORE_MAX, SCORE_MIN
from ..impact import MAX_WINDOW


class ActivitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    journey_stage = serializers.CharField(allow_blank=True)
    hours = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    capability_items = serializers.ListField(child=serializers.CharField())
    enrolled = serializers.IntegerField()
    completed = serializers.IntegerField()


class ImpactQuerySerializer(serializers.Serializer):
    metric = serializers.CharField(help_text="A behaviour metric code or an indicator code (person-level values).")
    pre = serializers.IntegerField(min_value=1, max_value=MAX_WINDOW, default=3)
    post = serializers.IntegerField(min_value=1, max_value=MAX_WINDOW, default=3)


class ImpactPointSerializer(serializers.Serializer):
    offset = serializers.IntegerField()
    treated = serializers.FloatField(allow_null=True)
    control = serializers.FloatField(allow_null=True)


class ImpactSerializer(serializers.Serializer):
    activity = serializers.CharField()
    metric = serializers.CharField()
    layer = serializers.ChoiceField(choices=["behaviour", "result"])
    pre = serializers.IntegerField()
    post = serializers.IntegerField()
    estimate = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    naive = serializers.FloatField(allow_null=True)
    n_treated = serializers.IntegerField()
    n_control = serializers.IntegerField()
    observations = serializers.IntegerField()
    series = ImpactPointSerializer(many=True)


class StageReadinessSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    certification = serializers.FloatField(allow_null=True)
    drills = serializers.FloatField(allow_null=True)
    learning = serializers.FloatField(allow_null=True)


class ItemProficiencySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    stage = serializers.CharField()
    certified_level = serializers.IntegerField()
    required_level = serializers.IntegerField()
    latest_drill = serializers.FloatField(allow_null=True)


class PersonReadinessSerializer(serializers.Serializer):
    person = serializers.CharField()
    journey_map = serializers.IntegerField(allow_null=True)
    overall = serializers.FloatField(allow_null=True)
    ready = serializers.BooleanField()
    stages = StageReadinessSerializer(many=True)
    items = ItemProficiencySerializer(many=True)


class TeamStageSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.FloatField(allow_null=True)
    ready_share = serializers.FloatField(allow_null=True)
    people = serializers.IntegerField()


class TeamReadinessSerializer(serializers.Serializer):
    org_unit = serializers.CharField()
    overall = serializers.FloatField(allow_null=True)
    ready_share = serializers.FloatField(allow_null=True)
    people = serializers.IntegerField()
    stages = TeamStageSerializer(many=True)


class DrillScoreInSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(help_text="Rubric criterion id (see the scenario).")
    score = serializers.IntegerField(min_value=SCORE_MIN, max_value=SCORE_MAX)


class DrillSessionInSerializer(serializers.Serializer):
    scenario = serializers.SlugField()
    person = serializers.CharField(help_text="The person's external id.")
    held_on = serializers.DateField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    recording_url = serializers.URLField(required=False, allow_blank=True, default="")
    scores = DrillScoreInSerializer(many=True)


class DrillSessionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scenario = serializers.CharField()
    person = serializers.CharField()
    held_on = serializers.DateField()
    weighted_score = serializers.DecimalField(max_digits=4, decimal_places=2)
    passed = serializers.BooleanField()
    certified = serializers.BooleanField()
