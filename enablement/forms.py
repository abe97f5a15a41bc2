"""Forms of the enablement pages: map stages and items, activities, enrolments, scenarios, drills, impact."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.choices import PersonRole
from org.ui.formatting import format_decimal
from org.ui.forms import DateField
from org.ui.names import PersonSearchField
from performance.choices import Segment
from performance.models import Indicator

from .choices import SCORE_MAX, SCORE_MIN
from .impact import MAX_WINDOW
from .models import CapabilityItem, JourneyStage, LearningActivity, Scenario


class JourneyStageForm(forms.ModelForm):
    indicators = forms.ModelMultipleChoiceField(
        queryset=Indicator.objects.order_by("sort_order", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Indicators that measure the stage"),
    )

    class Meta:
        model = JourneyStage
        fields = [
            "name_zh",
            "name_en",
            "customer_goal_zh",
            "customer_goal_en",
            "high_performers_zh",
            "high_performers_en",
            "pitfalls_zh",
            "pitfalls_en",
            "indicators",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in (
                "customer_goal_zh",
                "customer_goal_en",
                "high_performers_zh",
                "high_performers_en",
                "pitfalls_zh",
                "pitfalls_en",
            )
        }
        help_texts = {
            "high_performers_en": _("One behaviour or typical phrase per line."),
            "pitfalls_en": _("One pitfall per line."),
        }


class CapabilityItemForm(forms.ModelForm):
    class Meta:
        model = CapabilityItem
        fields = ["code", "name_zh", "name_en", "levels_zh", "levels_en", "required_level"]
        widgets = {"levels_zh": forms.Textarea(attrs={"rows": 4}), "levels_en": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"levels_en": _("Four lines: what level 1, 2, 3 and 4 look like.")}


class MapCopyForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("Every role"))] + list(PersonRole.choices), required=False
    )
    segment = forms.ChoiceField(
        label=_("Customer segment"), choices=[("", _("Every segment"))] + list(Segment.choices), required=False
    )
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200, required=False)


class CapabilityItemChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: CapabilityItem) -> str:
        return f"{obj.stage.journey_map.name} › {obj.stage.name} › {obj.name}"


class LearningActivityForm(forms.ModelForm):
    capability_items = CapabilityItemChoices(
        queryset=CapabilityItem.objects.select_related("stage__journey_map"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Capability items it builds"),
        help_text=_("Design backwards: pick the capability items first, then the activity that builds them."),
    )

    class Meta:
        model = LearningActivity
        fields = ["code", "name", "name_en", "kind", "journey_stage", "hours", "description", "capability_items"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class EnrolmentForm(forms.Form):
    person = PersonSearchField(queryset=None, label=_("Person"))
    enrolled_on = DateField(label=_("Enrolled on"))
    completed_on = DateField(label=_("Completed on"), required=False)
    score = forms.DecimalField(label=_("Score (0-100)"), required=False, min_value=0, max_value=100, decimal_places=2)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["enrolled_on"].initial = timezone.localdate()


class ScenarioForm(forms.ModelForm):
    capability_item = forms.ModelChoiceField(
        queryset=CapabilityItem.objects.select_related("stage__journey_map"), label=_("Capability item")
    )

    class Meta:
        model = Scenario
        fields = ["code", "title", "capability_item", "level", "customer_case", "pass_threshold", "is_active"]
        widgets = {"customer_case": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["capability_item"].label_from_instance = lambda obj: (
            f"{obj.stage.journey_map.name} › {obj.stage.name} › {obj.name}"
        )


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    weight = forms.DecimalField(label=_("Weight"), min_value=0.01, max_digits=5, decimal_places=2, initial=1)
    guidance = forms.CharField(label=_("What a 5 looks like"), required=False)


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, min_num=1, max_num=12)


class DrillScoreForm(forms.Form):
    """The evaluator's scoring sheet: one 1-5 choice per rubric criterion, plus notes and a recording link."""

    person = PersonSearchField(queryset=None, label=_("Person"))
    held_on = DateField(label=_("Held on"))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recording_url = forms.URLField(label=_("Recording link"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, scenario: Scenario, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["held_on"].initial = timezone.localdate()
        self.criteria = list(scenario.criteria.all())
        choices = [(str(v), str(v)) for v in range(SCORE_MIN, SCORE_MAX + 1)]
        for criterion in self.criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"{criterion.name} (× {format_decimal(criterion.weight)})",
                help_text=criterion.guidance,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "score-scale"}),
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"criterion_{c.pk}"] for c in self.criteria}

    def criterion_fields(self):
        return [self[f"criterion_{c.pk}"] for c in self.criteria]


class ImpactForm(forms.Form):
    metric = forms.ChoiceField(label=_("Measured on"))
    pre = forms.IntegerField(label=_("Months before"), min_value=1, max_value=MAX_WINDOW, initial=3)
    post = forms.IntegerField(label=_("Months after"), min_value=1, max_value=MAX_WINDOW, initial=3)

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        groups = {"behaviour": [], "result": []}
        for metric in metrics:
            groups[metric.layer].append((metric.code, metric.name))
        self.fields["metric"].choices = [
            (_("Behaviour (layer 2)"), groups["behaviour"]),
            (_("Results (layer 3)"), groups["result"]),
        ]
