"""The shared UI layer (org.ui): value formatting, a service's errors on a form, the standard POST, charts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from org.ui.charts import chart_layout, series_layout, value_axis
from org.ui.formatting import (
    CENTS,
    DECIMALS,
    axis_format,
    format_decimal,
    format_money,
    format_number,
    format_percent,
    format_share,
    format_significant,
    format_value,
    hover_value,
)
from org.ui.forms import add_service_errors, message_form_errors, message_service_errors, submit_form
from performance.choices import IndicatorUnit

# --- formatting ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (Decimal("66.66667"), "percent", None, "66.7 %"),  # rounded half up, not truncated
        (Decimal("0.05"), "percent", None, "0.1 %"),
        (1500, "money", None, "¥1,500"),
        (Decimal("1234567.5"), "money", None, "¥1,234,568"),
        (Decimal("2.25"), "days", None, "2.3"),
        (7, "count", None, "7"),
        (Decimal("3.14159"), "unknown", None, "3.14"),  # a unit without its own places: two
        (Decimal("6"), "money", 1, "¥6.0"),
        (Decimal("6E+1"), "percent", None, "60.0 %"),  # a normalized Decimal never reads "6E+1"
        (Decimal("1E+7"), "count", None, "10,000,000"),
        (Decimal("-0.04"), "percent", None, "0.0 %"),  # no "-0.0"
        (float("nan"), "score", None, "–"),
        (None, "percent", None, "–"),
        (None, "money", None, "–"),
    ],
)
def test_format_value(value, unit, decimals, expected):
    with translation.override("en"):
        assert format_value(value, unit, decimals=decimals) == expected


def test_helpers_follow_the_same_rules():
    with translation.override("en"):
        assert format_number(Decimal("12345.678"), decimals=2) == "12,345.68"
        assert format_percent(Decimal("12.25")) == "12.3 %"
        assert format_percent(Decimal("12.25"), decimals=0) == "12 %"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_both_languages_group_digits_by_three(language):
    with translation.override(language):
        assert format_money(Decimal("345604.81"), decimals=CENTS) == "¥345,604.81"
        assert format_number(1234567, decimals=0) == "1,234,567"
        assert format_money(Decimal("-5")) == "-¥5"


def test_entered_figures_shares_and_measured_figures():
    with translation.override("en"):
        assert format_decimal(Decimal("6E+1")) == "60"
        assert format_decimal(Decimal("2.50")) == "2.5"
        assert format_decimal(Decimal("12500.125")) == "12,500.125"
        assert format_percent(Decimal("2.25"), entered=True) == "2.25 %"
        assert format_share(0.25) == "25 %"
        assert format_share(Decimal("0.125"), decimals=1) == "12.5 %"
        assert format_significant(12345.6) == "12,346"
        assert format_significant(3.14159) == "3.14"
        assert format_significant(0.012345) == "0.0123"
        assert format_significant(1.5e-7) == "0.000000150"


def test_a_currency_without_a_symbol_prints_its_code(settings):
    settings.CURRENCY = "CHF"
    with translation.override("en"):
        assert format_money(Decimal("1234.5"), decimals=CENTS) == "CHF 1,234.50"


def test_template_filters_follow_the_same_rules():
    template = Template(
        "{% load numbers %}{{ amount|money }} {{ amount|money:2 }} {{ rate|percent }} {{ rate|rate }} "
        "{{ share|share }} {{ rate|unit_value:'percent' }} {{ rate|decimal }} {{ none|number:1 }}"
    )
    with translation.override("zh-hans"):
        html = template.render(Context({"amount": Decimal("345604.81"), "rate": Decimal("6E+1"), "share": 0.25}))
    assert html == "¥345,605 ¥345,604.81 60.0 % 60 % 25 % 60.0 % 60 –"


def test_chart_axes_and_hovers_use_the_units_format():
    assert hover_value("money") == "¥%{y:,.0f}"
    assert hover_value("percent", axis="x") == "%{x:,.1f} %"
    assert axis_format("percent") == {
        "tickformat": ",.1~f",
        "hoverformat": ",.1f",
        "tickprefix": "",
        "ticksuffix": " %",
        "exponentformat": "none",
    }
    money = value_axis("money", range=[0, 10])
    assert (money["tickprefix"], money["tickformat"], money["separatethousands"], money["range"]) == (
        "¥",
        ",.0~f",
        True,
        [0, 10],
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_charts_group_digits_with_the_pages_marks(language):
    with translation.override(language):
        layout = series_layout()
    assert layout["separators"] == ".,"
    assert layout["yaxis"]["exponentformat"] == "none"


def test_every_indicator_unit_has_its_decimals():
    assert set(DECIMALS) == set(IndicatorUnit.values)


# --- a service's errors on a form ---------------------------------------------------------------------------


class WindowForm(forms.Form):
    name = forms.CharField(label="Name")
    window_to = forms.CharField(required=False)


def _bound() -> WindowForm:
    form = WindowForm({"name": "x"})
    assert form.is_valid()
    return form


def test_a_dict_style_error_goes_on_the_fields_the_form_has_and_the_rest_on_top():
    form = _bound()
    add_service_errors(form, ValidationError({"name": "Taken.", "items": ["Too few.", "Too many."]}))
    assert form.errors == {"name": ["Taken."], NON_FIELD_ERRORS: ["Too few.", "Too many."]}


def test_a_list_style_error_goes_on_top():
    form = _bound()
    add_service_errors(form, ValidationError(["Closed.", "Locked."]))
    assert form.non_field_errors() == ["Closed.", "Locked."]


def test_rename_and_on_fields():
    form = _bound()
    add_service_errors(form, ValidationError({"to": "Ends before it starts."}), rename={"to": "window_to"})
    assert form.errors == {"window_to": ["Ends before it starts."]}
    form = _bound()
    add_service_errors(form, ValidationError({"name": "Taken."}), on_fields=False)
    assert form.errors == {NON_FIELD_ERRORS: ["Taken."]}


def _request(rf, method="post", data=None):
    request = getattr(rf, method)("/somewhere/", data or {})
    request._messages = CookieStorage(request)
    request.user = AnonymousUser()
    return request


def test_service_and_form_errors_as_messages(rf):
    request = _request(rf)
    message_service_errors(request, ValidationError({"name": ["Taken."], "__all__": ["Closed."]}))
    form = WindowForm({})
    assert not form.is_valid()
    with translation.override("en"):
        message_form_errors(request, form)
    assert [str(m) for m in get_messages(request)] == ["Taken.", "Closed.", "Name: This field is required."]


def test_submit_form_redirects_with_a_success_message(rf):
    request = _request(rf, data={"name": "Ada"})
    answer = submit_form(
        request,
        WindowForm(request.POST),
        lambda data: data["name"],
        success=lambda name: f"{name} saved.",
        redirect_to=lambda name: f"/people/{name}/",
    )
    assert (answer.status_code, answer["Location"]) == (302, "/people/Ada/")
    assert [str(m) for m in get_messages(request)] == ["Ada saved."]


def test_service_errors_joined_as_one_message(rf):
    request = _request(rf)
    message_service_errors(request, ValidationError(["Has people.", "Has sub-units."]), joined=True)
    assert [str(m) for m in get_messages(request)] == ["Has people. Has sub-units."]


def test_submit_form_adds_the_results_warnings_after_the_success_message(rf):
    request = _request(rf, data={"name": "Ada"})
    answer = submit_form(
        request,
        WindowForm(request.POST),
        lambda data: (data["name"], ["Only one category.", "Only lagging results."]),
        success="Saved.",
        redirect_to="/",
        warnings=lambda result: result[1],
    )
    assert answer.status_code == 302
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("success", "Saved."),
        ("warning", "Only one category."),
        ("warning", "Only lagging results."),
    ]


def test_submit_form_puts_a_refusal_on_the_form(rf):
    request = _request(rf, data={"name": "Ada"})
    form = WindowForm(request.POST)

    def refuse(data):
        raise ValidationError({"name": "Taken.", "to": "Too late."})

    assert submit_form(request, form, refuse, success="Saved.", redirect_to="/", rename={"to": "window_to"}) is None
    assert form.errors == {"name": ["Taken."], "window_to": ["Too late."]}
    assert list(get_messages(request)) == []


def test_submit_form_does_nothing_on_a_get_or_an_invalid_form(rf):
    called = []
    for request, form in ((_request(rf, "get"), WindowForm()), (_request(rf), WindowForm({}))):
        assert submit_form(request, form, called.append, success="Saved.", redirect_to="/") is None
    assert called == []


# --- charts ----------------------------------------------------------------------------------------------------


def test_series_layout_is_the_chart_look_with_axes_and_replaces_keys_whole():
    layout = series_layout(height=300, yaxis={"range": [0, 100]})
    assert {key: layout[key] for key in chart_layout()} == chart_layout()
    assert (layout["height"], layout["yaxis"], layout["hovermode"]) == (300, {"range": [0, 100]}, "x unified")


def test_base_loads_the_chart_scripts_once_and_only_for_a_page_with_charts(rf):
    request = _request(rf, "get")
    charts = [{"id": "one", "figure": {"data": []}}, {"id": "two", "figure": {"data": []}}]
    with_charts = render_to_string("base.html", {"charts": charts}, request=request)
    assert with_charts.count("plotly.min.js?v=") == 1
    assert with_charts.count("js/charts.js") == 1
    assert '<script id="one" type="application/json">' in with_charts
    assert "<script>" not in with_charts  # no inline script: the content security policy allows none
    without = render_to_string("base.html", {"charts": []}, request=request)
    assert "plotly" not in without
    assert "charts.js" not in without


def test_errors_by_key_reads_dict_and_list_style_errors():
    from org.ui.forms import errors_by_key

    assert errors_by_key(ValidationError({"t1": ["Pick a value."], "c1": ["Required."]})) == {
        "t1": ["Pick a value."],
        "c1": ["Required."],
    }
    assert errors_by_key(ValidationError(["The round is closed.", "Ask its owner."])) == {
        "": ["The round is closed.", "Ask its owner."]
    }
