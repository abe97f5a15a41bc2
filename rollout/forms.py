"""Forms of the rollout pages: a program, a milestone, a checklist line, a team member, a pilot."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from diagnosis.choices import Dimension
from org.selectors import org_units_visible
from performance.models import Indicator

from .choices import MilestoneStatus, StepNumber, TeamRole

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _users():
    return get_user_model().objects.filter(is_active=True).order_by("username")


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sponsor = forms.ModelChoiceField(label=_("Business sponsor (co-lead)"), queryset=None)
    hr_co_lead = forms.ModelChoiceField(label=_("HR co-lead"), queryset=None)
    org_units = forms.ModelMultipleChoiceField(
        label=_("Org units in scope"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    focus_dimensions = forms.MultipleChoiceField(
        label=_("Focus dimensions (one or two)"), choices=Dimension.choices, widget=forms.CheckboxSelectMultiple
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Key indicators (3 to 5)"),
        queryset=Indicator.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        to_field_name="code",
        help_text=_("Targets and the leading/lagging mark start from the library; baselines come from the data."),
    )
    start_date = forms.DateField(label=_("Start date"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = _users()
        self.fields["hr_co_lead"].queryset = _users()
        self.fields["org_units"].queryset = org_units_visible(user).order_by("code")
        self.fields["org_units"].to_field_name = "code"


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    step = forms.TypedChoiceField(label=_("Step"), choices=StepNumber.choices, coerce=int)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Due date"), widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices, initial=MilestoneStatus.PLANNED)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _users()


class ChecklistItemForm(forms.Form):
    text_zh = forms.CharField(label=_("Text (Chinese)"), required=False, max_length=500)
    text_en = forms.CharField(label=_("Text (English)"), required=False, max_length=500)
    is_exit_criterion = forms.BooleanField(label=_("Exit criterion"), required=False, initial=True)


class MemberForm(forms.Form):
    user = forms.ModelChoiceField(label=_("User"), queryset=None)
    role = forms.ChoiceField(label=_("Role in the program"), choices=TeamRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _users()


class PilotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    pilot_units = forms.ModelMultipleChoiceField(
        label=_("Pilot units"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    control_units = forms.ModelMultipleChoiceField(
        label=_("Control units"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    initiatives = forms.CharField(
        label=_("Initiatives applied"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Success profiles, enablement activities, scorecards, customer project teams: names or links."),
    )
    start = forms.DateField(label=_("Start"), widget=DATE)
    end = forms.DateField(label=_("End"), widget=DATE)
    pre_months = forms.IntegerField(label=_("Months before the start to compare"), min_value=1, max_value=36, initial=6)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        units = org_units_visible(user).order_by("code")
        self.fields["pilot_units"].queryset = units
        self.fields["control_units"].queryset = units


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=DATE)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 5})
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label=_("Action item"), required=False, max_length=300)
    action_owner = forms.ModelChoiceField(label=_("Action owner"), queryset=None, required=False)
    action_due = forms.DateField(label=_("Action due date"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _users()
        self.fields["action_owner"].queryset = _users()


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 4}))
    org_unit = forms.ModelChoiceField(label=_("Org unit"), queryset=None)
    indicator = forms.ModelChoiceField(label=_("Evidence for"), queryset=Indicator.objects.all(), required=False)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https")
    recorded_on = forms.DateField(label=_("Recorded on"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_units_visible(user).order_by("code")
