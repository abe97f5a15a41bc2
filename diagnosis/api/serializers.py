"""Shapes of the diagnosis API: questionnaires, rounds, aggregated results and answer submission."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from org.models import OrgUnit

from ..models import MIN_RESPONDENTS_FLOOR, AssessmentRound, Item, Questionnaire, Section


class ItemSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=False, read_only=True)

    class Meta:
        model = Item
        fields = [
            "code",
            "position",
            "kind",
            "root_cause",
            "symptom",
            "text",
            "text_zh",
            "text_en",
            "weight",
            "reverse",
            "required",
        ]


class SectionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = ["position", "kind", "root_cause", "title", "title_zh", "title_en", "items"]


class QuestionnaireSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    based_on = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Questionnaire
        fields = ["id", "family", "version", "name", "name_zh", "name_en", "is_builtin", "based_on", "created_at"]


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    sections = SectionSerializer(many=True, read_only=True)

    class Meta(QuestionnaireSerializer.Meta):
        fields = [*QuestionnaireSerializer.Meta.fields, "description_zh", "description_en", "sections"]


class RoundSerializer(serializers.ModelSerializer):
    """A round as listed: counts only, never who answered what."""

    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    is_open = serializers.BooleanField(read_only=True)
    submitted_count = serializers.IntegerField(read_only=True)
    respondent_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AssessmentRound
        fields = [
            "id",
            "title",
            "questionnaire",
            "org_unit",
            "owner",
            "min_respondents",
            "data_period_start",
            "opened_at",
            "closed_at",
            "is_open",
            "submitted_count",
            "respondent_count",
        ]


class SubmissionSerializer(serializers.Serializer):
    respondent = serializers.CharField()
    submitted_at = serializers.DateTimeField()


class RoundDetailSerializer(RoundSerializer):
    submissions = serializers.SerializerMethodField()

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "submissions"]

    @extend_schema_field(SubmissionSerializer(many=True, allow_null=True))
    def get_submissions(self, obj):
        rows = self.context.get("submissions")
        if rows is None:
            return None
        return [{"respondent": r.respondent.username, "submitted_at": r.submitted_at} for r in rows]


class RoundOpenSerializer(serializers.Serializer):
    questionnaire = serializers.PrimaryKeyRelatedField(queryset=Questionnaire.objects.all())
    org_unit = serializers.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    respondents = serializers.SlugRelatedField(
        slug_field="username", many=True, queryset=get_user_model().objects.filter(is_active=True)
    )
    min_respondents = serializers.IntegerField(min_value=MIN_RESPONDENTS_FLOOR, default=MIN_RESPONDENTS_FLOOR)
    data_period_start = serializers.DateField(required=False, allow_null=True, default=None)


class AnswerSerializer(serializers.Serializer):
    """One answer: ``value`` in the item's range, or ``not_applicable``; neither clears a saved answer."""

    item = serializers.CharField(max_length=64)
    value = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=5)
    not_applicable = serializers.BooleanField(required=False, default=False)


class AnswersSerializer(serializers.Serializer):
    answers = AnswerSerializer(many=True)


class MyResponseSerializer(serializers.Serializer):
    """The caller's own response to a round: their answers, the step reached, the submission time."""

    current_step = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    answers = AnswerSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField(), help_text="required item codes not yet answered")


class ScoreSerializer(serializers.Serializer):
    root_cause = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    level = serializers.CharField(allow_null=True)
    n = serializers.IntegerField(help_text="respondents with a score for this root cause")
    sd = serializers.FloatField(allow_null=True, help_text="population standard deviation of respondents' scores")
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)


class TriangulationSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator_code")
    period_start = serializers.DateField()
    evidence = serializers.CharField()
    unit_value = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    peer_count = serializers.IntegerField()
    lower_is_better = serializers.BooleanField()


class RootSerializer(serializers.Serializer):
    side = serializers.CharField()
    text = serializers.CharField()
    root_cause = serializers.CharField()
    score = serializers.FloatField(allow_null=True)


class SymptomResultSerializer(serializers.Serializer):
    symptom = serializers.CharField()
    n = serializers.IntegerField()
    reported = serializers.IntegerField()
    mean_severity = serializers.FloatField()
    roots = RootSerializer(many=True)
    triangulation = TriangulationSerializer()


class InterventionSerializer(serializers.Serializer):
    root_cause = serializers.CharField()
    level = serializers.CharField()
    dimension = serializers.CharField()
    actions = serializers.ListField(child=serializers.CharField())


class ResultsSerializer(serializers.Serializer):
    available = serializers.BooleanField()
    submitted = serializers.IntegerField()
    min_respondents = serializers.IntegerField()
    scores = ScoreSerializer(many=True)
    symptoms = SymptomResultSerializer(many=True)
    interventions = InterventionSerializer(many=True)
    focus_dimensions = serializers.ListField(child=serializers.CharField())
    key_indicators = serializers.ListField(child=serializers.CharField())


class RadarPartSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="0-100; null means no data (never 0).")
    numerator = serializers.FloatField(allow_null=True, required=False)
    denominator = serializers.FloatField(allow_null=True, required=False)
    formula = serializers.CharField()
    source = serializers.CharField()


class RadarAxisSerializer(serializers.Serializer):
    axis = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True, help_text="0-100; null means no data (never 0).")
    formula = serializers.CharField()
    parts = RadarPartSerializer(many=True)


class RadarSeriesSerializer(serializers.Serializer):
    computed_at = serializers.DateTimeField(allow_null=True)
    formula = serializers.CharField()
    round = serializers.IntegerField(allow_null=True, help_text="Self-assessed: the round the scores come from.")
    round_closed_at = serializers.DateTimeField(allow_null=True)
    axes = RadarAxisSerializer(many=True)


class UnitRadarSerializer(serializers.Serializer):
    org_unit = serializers.CharField()
    from_snapshot = serializers.BooleanField(
        help_text="False when the nightly recompute has not covered the unit yet and the radar was computed now."
    )
    self_assessed = RadarSeriesSerializer()
    data_derived = RadarSeriesSerializer()
