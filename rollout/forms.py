"""Forms of the rollout pages: a program, a milestone, a checklist line, a team member, a pilot with its
initiatives, a review, a story, a rollout wave and a manager workshop."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from diagnosis.choices import Dimension
from org.selectors import org_units_visible
from org.ui.forms import DateField
from org.ui.names import (
    LoginChoiceField,
    LoginMultipleChoiceField,
    PeopleSelectMultiple,
    UnitChoiceField,
    UnitMultipleChoiceField,
    UnitObjectMultipleChoiceField,
)
from performance.models import Indicator

from .choices import InitiativeKind, MilestoneStatus, StepNumber, TeamRole
from .pilots import InitiativeInput, linkable_objects
from .selectors import logins_choosable, units_choosable


def _people(user, program=None):
    """Logins that are people the user may name (never an API account): ``rollout.selectors.logins_choosable``."""
    return logins_choosable(user, program)


def _people_multiple(label, size: int):
    return LoginMultipleChoiceField(label=label, required=False, widget=PeopleSelectMultiple(attrs={"size": size}))


class ProgramForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sponsor = LoginChoiceField(label=_("Business sponsor (co-lead)"))
    hr_co_lead = LoginChoiceField(label=_("HR co-lead"))
    org_units = UnitMultipleChoiceField(
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
    start_date = DateField(label=_("Start date"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].queryset = _people(user)
        self.fields["hr_co_lead"].queryset = _people(user)
        self.fields["org_units"].queryset = org_units_visible(user).order_by("code")
        self.fields["org_units"].to_field_name = "code"


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    step = forms.TypedChoiceField(label=_("Step"), choices=StepNumber.choices, coerce=int)
    owner = LoginChoiceField(label=_("Owner"), required=False)
    due_date = DateField(label=_("Due date"))
    status = forms.ChoiceField(label=_("Status"), choices=MilestoneStatus.choices, initial=MilestoneStatus.PLANNED)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, user=None, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(user, program)


class ChecklistItemForm(forms.Form):
    text_zh = forms.CharField(label=_("Text (Chinese)"), required=False, max_length=500)
    text_en = forms.CharField(label=_("Text (English)"), required=False, max_length=500)
    is_exit_criterion = forms.BooleanField(label=_("Exit criterion"), required=False, initial=True)


class MemberForm(forms.Form):
    user = LoginChoiceField(label=_("Person"))
    role = forms.ChoiceField(label=_("Role in the program"), choices=TeamRole.choices)

    def __init__(self, *args, user=None, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(user, program)


class PilotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    pilot_units = UnitMultipleChoiceField(
        label=_("Pilot units"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    control_units = UnitMultipleChoiceField(
        label=_("Control units"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    start = DateField(label=_("Start"))
    end = DateField(label=_("End"))
    pre_months = forms.IntegerField(label=_("Months before the start to compare"), min_value=1, max_value=36, initial=6)
    success_profiles = forms.ModelMultipleChoiceField(
        label=_("Success profiles applied"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    scorecards = UnitObjectMultipleChoiceField(
        label=_("Scorecards applied"), queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    project_teams = UnitObjectMultipleChoiceField(
        label=_("Customer project teams"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    learning_activities = forms.ModelMultipleChoiceField(
        label=_("Learning activities applied"),
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    other_links = forms.CharField(
        label=_("Other initiatives"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line: a label, optionally followed by | and a link."),
    )
    notes = forms.CharField(
        label=_("Notes on the initiatives"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    # form field -> initiative kind
    LINK_FIELDS = {
        "success_profiles": InitiativeKind.SUCCESS_PROFILE,
        "scorecards": InitiativeKind.SCORECARD,
        "project_teams": InitiativeKind.PROJECT_TEAM,
        "learning_activities": InitiativeKind.LEARNING_ACTIVITY,
    }

    def __init__(self, *args, user=None, program=None, pilot=None, **kwargs):
        if pilot is not None:
            kwargs.setdefault("initial", pilot_form_initial(pilot))
        super().__init__(*args, **kwargs)
        units = units_choosable(user, program).order_by("code")
        self.fields["pilot_units"].queryset = units
        self.fields["control_units"].queryset = units
        for name, kind in self.LINK_FIELDS.items():
            self.fields[name].queryset = linkable_objects(kind, user, program)

    def clean_other_links(self) -> list[tuple[str, str]]:
        links = []
        for number, line in enumerate(self.cleaned_data["other_links"].splitlines(), start=1):
            label, _bar, url = (part.strip() for part in line.partition("|"))
            if not label and not url:
                continue
            if url:
                try:
                    URLValidator()(url)
                except ValidationError as exc:
                    raise ValidationError(
                        _("Line %(n)d: the link is not a valid URL.") % {"n": number}, code="invalid"
                    ) from exc
            links.append((label, url))
        return links

    def initiatives(self) -> list[InitiativeInput]:
        """The linked objects and the other lines, as the service takes them."""
        data = self.cleaned_data
        items = [
            InitiativeInput(kind=kind, target_id=target.pk)
            for name, kind in self.LINK_FIELDS.items()
            for target in data[name]
        ]
        items += [
            InitiativeInput(kind=InitiativeKind.OTHER, label=label, url=url) for label, url in data["other_links"]
        ]
        return items


def pilot_form_initial(pilot) -> dict:
    """A pilot's current values for its edit form."""
    initial = {
        "name": pilot.name,
        "pilot_units": list(pilot.pilot_units.all()),
        "control_units": list(pilot.control_units.all()),
        "start": pilot.start,
        "end": pilot.end,
        "pre_months": pilot.pre_months,
        "notes": pilot.notes,
    }
    links = list(pilot.initiatives.all())
    for name, kind in PilotForm.LINK_FIELDS.items():
        initial[name] = [link.target for link in links if link.kind == kind]
    initial["other_links"] = "\n".join(
        f"{link.label} | {link.url}".strip() if link.url else link.label
        for link in links
        if link.kind == InitiativeKind.OTHER
    )
    return initial


class ReviewForm(forms.Form):
    held_on = DateField(label=_("Held on"))
    attendees = _people_multiple(_("Attendees"), 5)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decisions = forms.CharField(label=_("Decisions"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.CharField(label=_("Action item"), required=False, max_length=300)
    action_owner = LoginChoiceField(label=_("Action owner"), required=False)
    action_due = DateField(label=_("Action due date"), required=False)

    def __init__(self, *args, user=None, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _people(user, program)
        self.fields["action_owner"].queryset = _people(user, program)


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Story"), widget=forms.Textarea(attrs={"rows": 4}))
    org_unit = UnitChoiceField(label=_("Org unit"), queryset=None)
    indicator = forms.ModelChoiceField(label=_("Evidence for"), queryset=Indicator.objects.all(), required=False)
    evidence_url = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https")
    recorded_on = DateField(label=_("Recorded on"))

    def __init__(self, *args, user=None, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units_choosable(user, program).order_by("code")


class WaveForm(forms.Form):
    name = forms.CharField(label=_("Wave"), max_length=200)
    org_units = UnitMultipleChoiceField(
        label=_("Org units"), queryset=None, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    starts_on = DateField(label=_("Starts on"))
    ends_on = DateField(label=_("Ends on"))

    def __init__(self, *args, user=None, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_units"].queryset = units_choosable(user, program).order_by("code")


class WorkshopForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = DateField(label=_("Held on"))
    invited = _people_multiple(_("Invited"), 6)
    attended = _people_multiple(_("Attended"), 6)

    def __init__(self, *args, user=None, program=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].help_text = _("Whoever attended counts as invited too.")
        self.fields["invited"].queryset = _people(user, program)
        self.fields["attended"].queryset = _people(user, program)
