"""Forms of the performance pages; they check shape only, services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import Direction, IndicatorCategory, IndicatorTiming, IndicatorUnit, PeriodKind
from .library import DEPARTMENTS


def _department_choices():
    return [(code, label) for code, label in DEPARTMENTS.items()]


class IndicatorEditForm(forms.Form):
    """What an HR lead may edit on any indicator."""

    definition_en = forms.CharField(
        label=_("Definition (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    definition_zh = forms.CharField(
        label=_("Definition (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=20, decimal_places=4, required=False)
    departments = forms.MultipleChoiceField(
        label=_("Responsible departments"),
        choices=_department_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class CustomIndicatorForm(forms.Form):
    """A new hand-entered indicator."""

    code = forms.SlugField(label=_("Code"), max_length=64, help_text=_("Lower case letters, digits and underscores."))
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=IndicatorCategory.choices)
    unit = forms.ChoiceField(label=_("Unit"), choices=IndicatorUnit.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    timing = forms.ChoiceField(label=_("Leading or lagging"), choices=IndicatorTiming.choices)
    review_cycle = forms.ChoiceField(label=_("Review cycle"), choices=PeriodKind.choices)
    departments = forms.MultipleChoiceField(
        label=_("Responsible departments"),
        choices=_department_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    definition_en = forms.CharField(
        label=_("Definition (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    definition_zh = forms.CharField(
        label=_("Definition (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    target = forms.DecimalField(label=_("Target"), max_digits=20, decimal_places=4, required=False)
