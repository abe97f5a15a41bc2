"""Shapes of the rollout API: programs with their dashboard, milestones, gate signatures."""

from __future__ import annotations

from rest_framework import serializers

from ..choices import MilestoneStatus, StepNumber


class ProgramSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sponsor = serializers.CharField(source="sponsor.username")
    hr_co_lead = serializers.CharField(source="hr_co_lead.username")
    org_units = serializers.SerializerMethodField()
    focus_dimensions = serializers.ListField(child=serializers.CharField())
    start_date = serializers.DateField()

    def get_org_units(self, program) -> list[str]:
        return [unit.code for unit in program.org_units.all()]


class StepChecklistItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    text_zh = serializers.CharField()
    text_en = serializers.CharField()
    is_exit_criterion = serializers.BooleanField()
    done = serializers.BooleanField()


class ProgramStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    name = serializers.CharField(source="get_number_display")
    status = serializers.CharField()
    started_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    business_signed_at = serializers.DateTimeField(allow_null=True)
    hr_signed_at = serializers.DateTimeField(allow_null=True)
    checklist = StepChecklistItemSerializer(many=True)


class ProgramMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(max_length=200)
    step = serializers.ChoiceField(choices=StepNumber.choices)
    owner = serializers.CharField(source="owner.username", read_only=True, allow_null=True, default=None)
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED)
    evidence_url = serializers.URLField(required=False, allow_blank=True, default="")
    overdue = serializers.BooleanField(read_only=True)


class ProgramKeyIndicatorSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    timing = serializers.CharField()
    baseline = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True, coerce_to_string=False)
    baseline_period_start = serializers.DateField(allow_null=True)
    target = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True, coerce_to_string=False)
    latest = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True, coerce_to_string=False)
    latest_period_start = serializers.DateField(allow_null=True)
    on_target = serializers.BooleanField(allow_null=True)


class PilotDidSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    estimate = serializers.FloatField(allow_null=True)
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    naive = serializers.FloatField(allow_null=True)
    pilot_pre = serializers.FloatField(allow_null=True)
    pilot_post = serializers.FloatField(allow_null=True)
    control_pre = serializers.FloatField(allow_null=True)
    control_post = serializers.FloatField(allow_null=True)
    observations = serializers.IntegerField()


class ProgramPilotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    pilot_units = serializers.ListField(child=serializers.CharField())
    control_units = serializers.ListField(child=serializers.CharField())
    start = serializers.DateField()
    end = serializers.DateField()
    results = PilotDidSerializer(many=True)


class RadarAxisComparisonSerializer(serializers.Serializer):
    axis = serializers.CharField()
    self_baseline = serializers.FloatField(allow_null=True)
    self_now = serializers.FloatField(allow_null=True)
    data_baseline = serializers.FloatField(allow_null=True)
    data_now = serializers.FloatField(allow_null=True)


class ProgramRadarSerializer(serializers.Serializer):
    org_unit = serializers.CharField()
    baseline_taken_on = serializers.DateField(allow_null=True)
    now_taken_on = serializers.DateField(allow_null=True)
    axes = RadarAxisComparisonSerializer(many=True)


class ReviewActionSerializer(serializers.Serializer):
    text = serializers.CharField()
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    due_date = serializers.DateField(allow_null=True)
    done = serializers.BooleanField()


class ProgramReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    held_on = serializers.DateField()
    attendees = serializers.SerializerMethodField()
    notes = serializers.CharField()
    decisions = serializers.CharField()
    action_items = ReviewActionSerializer(many=True)

    def get_attendees(self, review) -> list[str]:
        return sorted(user.get_username() for user in review.attendees.all())


class ProgramStorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    text = serializers.CharField()
    org_unit = serializers.CharField(source="org_unit.code")
    indicator = serializers.CharField(source="indicator.code", allow_null=True, default=None)
    evidence_url = serializers.CharField()
    recorded_on = serializers.DateField()


class ProgramWaveSerializer(serializers.Serializer):
    name = serializers.CharField()
    org_units = serializers.SerializerMethodField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()

    def get_org_units(self, wave) -> list[str]:
        return [unit.code for unit in wave.org_units.all()]


class ProgramWorkshopSerializer(serializers.Serializer):
    title = serializers.CharField()
    held_on = serializers.DateField()
    invited = serializers.SerializerMethodField()
    attended = serializers.SerializerMethodField()

    def get_invited(self, workshop) -> int:
        return len(workshop.invited.all())

    def get_attended(self, workshop) -> int:
        return len(workshop.attended.all())


class ProgramDashboardSerializer(serializers.Serializer):
    program = ProgramSerializer()
    active_step = serializers.IntegerField(allow_null=True)
    steps = ProgramStepSerializer(many=True)
    milestone_counts = serializers.DictField(child=serializers.IntegerField())
    milestones = ProgramMilestoneSerializer(many=True)
    key_indicators = ProgramKeyIndicatorSerializer(many=True)
    pilots = ProgramPilotSerializer(many=True)
    radars = ProgramRadarSerializer(many=True)
    reviews = ProgramReviewSerializer(many=True)
    stories = ProgramStorySerializer(many=True)
    waves = ProgramWaveSerializer(many=True)
    workshops = ProgramWorkshopSerializer(many=True)
