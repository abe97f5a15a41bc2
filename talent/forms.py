"""Forms of the talent pages (shape only; the rules live in talent.services)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from org.choices import PersonRole
from org.ui.forms import DateField
from org.ui.names import UnitChoiceField
from performance.choices import PeriodKind
from performance.models import Indicator

from .stats import DEFAULT_MAX_Q, DEFAULT_MIN_EFFECT, DEFAULT_TOP_SHARE


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, dt.date):
            return value.strftime("%Y-%m")
        return value


class MonthField(forms.DateField):
    widget = MonthInput
    input_formats = ["%Y-%m"]


class ProfileBuildForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices, initial=PersonRole.SALES_REP)
    criterion = forms.ModelChoiceField(
        label=_("Criterion indicator"),
        queryset=Indicator.objects.order_by("sort_order", "code"),
        to_field_name="code",
        help_text=_("High performers are the top share of the role's people by this indicator over the window."),
    )
    period = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.MONTH)
    window_from = MonthField(label=_("From (month)"))
    window_to = MonthField(label=_("To (month)"))
    top_share = forms.FloatField(
        label=_("High-performer share"), min_value=0.01, max_value=0.99, initial=DEFAULT_TOP_SHARE
    )
    # HR words first; the statistical term and what the number means in the help text.
    max_q = forms.FloatField(
        label=_("How strict: share of false discoveries allowed"),
        help_text=_(
            "0.05 keeps at most one in twenty of the factors shown as chance findings. "
            "Technical term: largest q-value (Benjamini–Hochberg false discovery rate)."
        ),
        min_value=0.0001,
        max_value=1,
        initial=DEFAULT_MAX_Q,
    )
    min_effect = forms.FloatField(
        label=_("Smallest difference worth acting on"),
        help_text=_(
            "How far high performers must stand apart from the rest: 0.2 is a small but real difference, "
            "0.5 a medium one. Technical term: smallest effect size (Cohen's d, Cohen's h for yes/no factors)."
        ),
        min_value=0,
        initial=DEFAULT_MIN_EFFECT,
    )


class CandidateFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices, initial=PersonRole.SALES_REP)
    min_score = forms.FloatField(label=_("Lowest match score"), min_value=0, max_value=100, required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)

    def __init__(self, *args, **kwargs):
        from .choices import CandidateStage

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Any stage")), *CandidateStage.choices]


class WindowForm(forms.Form):
    """A post-hire window (calibration) or the newer window of a refit."""

    window_from = MonthField(label=_("From (month)"))
    window_to = MonthField(label=_("To (month)"))

    def clean(self):
        data = super().clean()
        if data.get("window_from") and data.get("window_to") and data["window_to"] < data["window_from"]:
            self.add_error("window_to", _("The window ends before it starts."))
        return data


class HeadcountPlanForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices, initial=PersonRole.SALES_REP)
    org_unit = UnitChoiceField(label=_("Org unit"), queryset=None, to_field_name="code")
    quarter = forms.DateField(
        label=_("Quarter"),
        input_formats=["%Y-%m-%d"],
        widget=forms.Select,
        help_text=_("Head count wanted at the end of this quarter."),
    )
    target_headcount = forms.IntegerField(label=_("Target head count"), min_value=0)
    bench_successors = forms.IntegerField(label=_("Internal successors"), min_value=0, initial=0)
    bench_interns = forms.IntegerField(label=_("Interns converting"), min_value=0, initial=0)

    def __init__(self, *args, units=None, quarters=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        self.fields["quarter"].widget.choices = [(day.isoformat(), label) for day, label in quarters]


RUBRIC = [
    ("", _("not rated")),
    ("1", _("1 – no evidence")),
    ("2", _("2 – weak")),
    ("3", _("3 – meets the role's needs")),
    ("4", _("4 – strong")),
    ("5", _("5 – a role model in this scene")),
]


class ScorecardForm(forms.Form):
    """A structured interview scorecard: a 1–5 rating per competency (unrated ones are left out)."""

    interviewed_on = DateField(label=_("Interviewed on"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from .choices import Competency

        super().__init__(*args, **kwargs)
        for code, label in Competency.choices:
            self.fields[f"rating_{code}"] = forms.ChoiceField(label=label, choices=RUBRIC, required=False)

    def ratings(self) -> dict[str, int]:
        return {
            name.removeprefix("rating_"): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("rating_") and value
        }


class QuestionFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), required=False)
    scenario = forms.ChoiceField(label=_("Customer scenario"), required=False)

    def __init__(self, *args, **kwargs):
        from .choices import CustomerScenario

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("Any role")), *PersonRole.choices]
        self.fields["scenario"].choices = [("", _("Any scenario")), *CustomerScenario.choices]
