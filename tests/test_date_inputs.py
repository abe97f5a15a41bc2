"""Date inputs carry ISO days in every language: the browser's <input type="date"> shows nothing else.

Every form class of the apps is found by importing every module of every app; each declared date field must
use the shared widget of org.ui.forms, render 2026-12-03 in zh-Hans and en, and accept it back.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.utils import translation

from org.ui.forms import DateField, DateInput

APPS = ["org", "performance", "diagnosis", "talent", "enablement", "rollout"]
DAY = dt.date(2026, 12, 3)
# Date fields that are not typed into a date input: a month picker and a choice of quarters.
OTHER_WIDGETS = {
    ("talent.forms", "ProfileBuildForm"),
    ("talent.forms", "WindowForm"),
    ("talent.forms", "HeadcountPlanForm"),
}


def _form_classes():
    seen = {}
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".migrations" in module.name or ".management" in module.name:
                continue
            imported = importlib.import_module(module.name)
            for value in vars(imported).values():
                if isinstance(value, type) and issubclass(value, forms.BaseForm) and value.__module__ == module.name:
                    seen[(value.__module__, value.__name__)] = value
    return seen


FORMS = _form_classes()
DATE_FIELDS = [
    pytest.param(form, name, id=f"{key[1]}.{name}")
    for key, form in sorted(FORMS.items())
    if key not in OTHER_WIDGETS
    for name, field in form.base_fields.items()
    if isinstance(field, forms.DateField)
]


def test_the_forms_with_date_fields_are_found():
    names = {param.id for param in DATE_FIELDS}
    assert {"DrillScoreForm.held_on", "EnrolmentForm.enrolled_on", "ScorecardForm.interviewed_on"} <= names
    assert len(names) >= 15


@pytest.mark.parametrize(("form", "name"), DATE_FIELDS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_date_field_shows_and_takes_an_iso_day(form, name, language):
    field = form.base_fields[name]
    assert isinstance(field, DateField)
    assert isinstance(field.widget, DateInput)
    with translation.override(language):
        html = field.widget.render(name, DAY)
        assert 'type="date"' in html
        assert 'value="2026-12-03"' in html
        assert field.clean("2026-12-03") == DAY


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_even_a_plain_django_date_input_is_filled_with_an_iso_day(language):
    # given a widget that forgot the shared one; when it renders in either language; then the day is ISO
    with translation.override(language):
        assert 'value="2026-12-03"' in forms.DateInput().render("day", DAY)
        assert forms.DateField().clean("2026-12-03") == DAY


def test_a_chinese_day_is_accepted_too():
    with translation.override("zh-hans"):
        assert DateField().clean("2026年12月3日") == DAY
        assert DateField().clean("2026/12/03") == DAY
