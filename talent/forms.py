"""Forms of the talent pages (shape only; the rules live in talent.services)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from org.choices import PersonRole
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
    max_q = forms.FloatField(label=_("Largest q-value"), min_value=0.0001, max_value=1, initial=DEFAULT_MAX_Q)
    min_effect = forms.FloatField(label=_("Smallest effect size"), min_value=0, initial=DEFAULT_MIN_EFFECT)


class CandidateFilterForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices, initial=PersonRole.SALES_REP)
    min_score = forms.FloatField(label=_("Lowest match score"), min_value=0, max_value=100, required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)

    def __init__(self, *args, **kwargs):
        from .choices import CandidateStage

        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [("", _("Any stage")), *CandidateStage.choices]
