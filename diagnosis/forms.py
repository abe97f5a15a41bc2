"""Forms of the diagnosis pages: opening a round, editing a questionnaire copy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from org.selectors import org_units_visible, people_logins_visible
from org.ui.forms import DateField
from org.ui.names import LoginMultipleChoiceField, PeopleSelectMultiple, UnitChoiceField

from .models import MIN_RESPONDENTS_FLOOR, Questionnaire


class RoundOpenForm(forms.Form):
    questionnaire = forms.ModelChoiceField(label=_("Questionnaire"), queryset=Questionnaire.objects.all())
    org_unit = UnitChoiceField(label=_("Org unit"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    respondents = LoginMultipleChoiceField(
        label=_("Respondents"),
        widget=PeopleSelectMultiple(attrs={"size": 10}),
        help_text=_("People with a login in your part of the organization; managers may be respondents too."),
    )
    min_respondents = forms.IntegerField(
        label=_("Results open after this many submissions"),
        min_value=MIN_RESPONDENTS_FLOOR,
        initial=MIN_RESPONDENTS_FLOOR,
    )
    data_period_start = DateField(
        label=_("Data quarter (first day)"),
        required=False,
        help_text=_("Empty: the last complete quarter before today."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_units_visible(user).order_by("code")
        self.fields["respondents"].queryset = people_logins_visible(user)


class QuestionnaireForm(forms.Form):
    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200)
    description_zh = forms.CharField(label=_("Description (Chinese)"), widget=forms.Textarea, required=False)
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea, required=False)


class ItemEditForm(forms.Form):
    item_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section_id = forms.TypedChoiceField(label=_("Section"), coerce=int, required=False, choices=())
    text_zh = forms.CharField(label=_("Text (Chinese)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    text_en = forms.CharField(label=_("Text (English)"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    weight = forms.DecimalField(
        label=_("Weight"), max_digits=5, decimal_places=2, min_value=0.01, initial=1, required=False
    )
    reverse = forms.BooleanField(label=_("Reverse-scored"), required=False)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    delete = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_id"].choices = [("", "—"), *((s.pk, s.title) for s in sections)]


ItemEditFormSet = forms.formset_factory(ItemEditForm, extra=2, max_num=200)
