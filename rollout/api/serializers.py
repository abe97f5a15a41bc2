"""Shapes of the rollout API: programs with their dashboard, and what the joint team writes.

Input serializers check types and shape only; references are resolved by their public keys (users by
username, org units by code, people by external id, indicators by code) among what the caller may see.
The rules (3 to 5 key indicators, two different co-leads, units not both pilot and control, ...) live
in the services, whose ValidationErrors the API's exception handler turns into 400 answers.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diagnosis.choices import Dimension
from org.models import OrgUnit, Person
from performance.choices import IndicatorTiming, PeriodKind
from performance.models import Indicator

from ..choices import InitiativeKind, MilestoneStatus, StepNumber, TeamRole
from ..selectors import people_choosable, units_choosable
from ..services import workshop_attendance_rate


@extend_schema_field(OpenApiTypes.STR)
class ListedChoiceField(serializers.ChoiceField):
    """A choice whose values the schema lists in the description instead of as a shared enum component.

    drf-spectacular names enum components after the field: a ``role`` or ``kind`` of our own would collide
    with another app's ``role``/``kind`` enum and rename that component for every client.
    """

    def __init__(self, *, choices, help_text="", **kwargs):
        values = ", ".join(str(value) for value, _label in choices)
        listed = format_lazy("{} ({})", help_text, values) if help_text else f"({values})"
        super().__init__(choices=choices, help_text=listed, **kwargs)


class UserField(serializers.SlugRelatedField):
    """An active login, by username."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=get_user_model().objects.filter(is_active=True), **kwargs)


class VisibleUnitField(serializers.SlugRelatedField):
    """An org unit, by code, among those the caller may name (in a program: also the program's own units)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=OrgUnit.objects.all(), **kwargs)

    def get_queryset(self):
        return units_choosable(self.context["request"].user, self.context.get("program"))


class VisiblePersonField(serializers.SlugRelatedField):
    """A person, by external id, among those the caller may name (in a program: also its units' people)."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="external_id", queryset=Person.objects.all(), **kwargs)

    def get_queryset(self):
        return people_choosable(self.context["request"].user, self.context.get("program"))


class IndicatorCodeField(serializers.SlugRelatedField):
    """An indicator of the library, by code."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Indicator.objects.all(), **kwargs)


def _kept(field, units) -> list:
    """The units the caller may see named on program answers (``keep`` in the context, else every one)."""
    keep = field.context.get("keep")
    return keep(units) if keep is not None else list(units)


class ProgramSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    sponsor = serializers.CharField(source="sponsor.username")
    hr_co_lead = serializers.CharField(source="hr_co_lead.username")
    org_units = serializers.SerializerMethodField()
    focus_dimensions = serializers.ListField(child=serializers.CharField())
    start_date = serializers.DateField()

    def get_org_units(self, program) -> list[str]:
        return [unit.code for unit in _kept(self, program.org_units.all())]


class StepChecklistItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    text_zh = serializers.CharField()
    text_en = serializers.CharField()
    is_exit_criterion = serializers.BooleanField()
    done = serializers.BooleanField()
    done_by = serializers.CharField(source="done_by.username", allow_null=True, default=None)
    done_at = serializers.DateTimeField(allow_null=True)


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


class PilotInitiativeSerializer(serializers.Serializer):
    kind = ListedChoiceField(choices=InitiativeKind.choices)
    target = serializers.IntegerField(
        allow_null=True, help_text=_("Id of the linked success profile, scorecard or customer project team.")
    )
    label = serializers.CharField()
    url = serializers.CharField(help_text=_("The linked object's page, or the link given for another initiative."))


class ProgramPilotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    pilot_units = serializers.ListField(child=serializers.CharField())
    control_units = serializers.ListField(child=serializers.CharField())
    start = serializers.DateField()
    end = serializers.DateField()
    pre_months = serializers.IntegerField()
    notes = serializers.CharField()
    initiatives = PilotInitiativeSerializer(many=True)
    computed_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the stored results were computed; null: computed for this answer.")
    )
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
    owner = serializers.CharField(source="owner.external_id", allow_null=True, default=None)
    indicator = serializers.CharField(source="indicator.code", allow_null=True, default=None)
    evidence_url = serializers.CharField()
    recorded_on = serializers.DateField()


class ProgramWaveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    org_units = serializers.SerializerMethodField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()

    def get_org_units(self, wave) -> list[str]:
        return [unit.code for unit in _kept(self, wave.org_units.all())]


class ProgramWorkshopSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    held_on = serializers.DateField()
    invited = serializers.SerializerMethodField(help_text=_("How many were invited."))
    attended = serializers.SerializerMethodField(help_text=_("How many attended."))
    attendance_rate = serializers.SerializerMethodField(help_text=_("Attended as a percentage of invited (0-100)."))
    invited_users = serializers.SerializerMethodField()
    attended_users = serializers.SerializerMethodField()

    def get_invited(self, workshop) -> int:
        return len(workshop.invited.all())

    def get_attended(self, workshop) -> int:
        return len(workshop.attended.all())

    def get_attendance_rate(self, workshop) -> float | None:
        return workshop_attendance_rate(workshop)

    def get_invited_users(self, workshop) -> list[str]:
        return sorted(user.get_username() for user in workshop.invited.all())

    def get_attended_users(self, workshop) -> list[str]:
        return sorted(user.get_username() for user in workshop.attended.all())


class ProgramMemberSerializer(serializers.Serializer):
    user = serializers.CharField(source="user.username")
    role = ListedChoiceField(choices=TeamRole.choices)


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


# --- input ------------------------------------------------------------------------------------


class KeyIndicatorInputSerializer(serializers.Serializer):
    indicator = IndicatorCodeField(help_text=_("Indicator code, e.g. win_rate."))
    timing = serializers.ChoiceField(
        choices=IndicatorTiming.choices, required=False, help_text=_("Leading or lagging; default: the library's.")
    )
    target = serializers.DecimalField(
        max_digits=20,
        decimal_places=4,
        required=False,
        allow_null=True,
        help_text=_("Target value; default: the library's."),
    )


class ProgramCreateSerializer(serializers.Serializer):
    """A new program; baselines are taken from the indicator values of the period before the start."""

    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    sponsor = UserField(help_text=_("Username of the business sponsor (business co-lead)."))
    hr_co_lead = UserField(help_text=_("Username of the HR co-lead."))
    org_units = VisibleUnitField(many=True, help_text=_("Codes of the org units in scope."))
    focus_dimensions = serializers.ListField(
        child=serializers.ChoiceField(choices=Dimension.choices), help_text=_("One or two.")
    )
    key_indicators = KeyIndicatorInputSerializer(many=True, help_text=_("Three to five."))
    start_date = serializers.DateField()
    baseline_period = ListedChoiceField(
        choices=PeriodKind.choices, default=PeriodKind.QUARTER, help_text=_("The period the baselines cover")
    )


class MemberInputSerializer(serializers.Serializer):
    user = UserField(help_text=_("Username."))
    role = ListedChoiceField(choices=TeamRole.choices, help_text=_("Role in the program"))


class ChecklistItemInputSerializer(serializers.Serializer):
    done = serializers.BooleanField()


class InitiativeInputSerializer(serializers.Serializer):
    kind = ListedChoiceField(choices=InitiativeKind.choices)
    target = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=_("Id of the success profile, scorecard or customer project team (not for kind other)."),
    )
    label = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        # A PATCH validates the pilot partially and DRF passes "partial" down to nested items, which would let
        # an initiative through without its kind; the list replaces the pilot's links, so each item is whole.
        if "kind" not in attrs:
            raise serializers.ValidationError({"kind": [self.fields["kind"].error_messages["required"]]})
        return attrs


class PilotInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    pilot_units = VisibleUnitField(many=True, help_text=_("Codes of the pilot units."))
    control_units = VisibleUnitField(many=True, help_text=_("Codes of the comparable control units."))
    start = serializers.DateField()
    end = serializers.DateField()
    pre_months = serializers.IntegerField(min_value=1, max_value=36, default=6)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    initiatives = InitiativeInputSerializer(many=True, required=False, default=list)


class ActionItemInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)
    owner = UserField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class ReviewInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    attendees = UserField(many=True, required=False, default=list)
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    decisions = serializers.CharField(required=False, allow_blank=True, default="")
    action_items = ActionItemInputSerializer(many=True, required=False, default=list)


class StoryInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    text = serializers.CharField()
    org_unit = VisibleUnitField(help_text=_("Code of the unit the story comes from."))
    owner = VisiblePersonField(required=False, allow_null=True, default=None, help_text=_("Who told it."))
    indicator = IndicatorCodeField(required=False, allow_null=True, default=None, help_text=_("Evidence for."))
    evidence_url = serializers.URLField(max_length=500, required=False, allow_blank=True, default="")
    recorded_on = serializers.DateField(required=False, allow_null=True, default=None)


class WaveInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    org_units = VisibleUnitField(many=True, help_text=_("Codes of the units that take the program up."))
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class WorkshopInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    invited = UserField(many=True, required=False, default=list)
    attended = UserField(many=True, required=False, default=list, help_text=_("Attendees count as invited too."))
