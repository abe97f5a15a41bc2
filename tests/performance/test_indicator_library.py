"""The indicator library: HR leads edit built-ins (not their formulas) and add their own indicators."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from performance.engine import indicator_values_recompute
from performance.library import builtin_indicators_sync
from performance.models import Indicator, IndicatorValue
from performance.services import indicator_create_custom, manual_value_set


@pytest.fixture
def custom(db):
    return indicator_create_custom(
        code="referral_share",
        name_en="Referral share",
        name_zh="转介绍占比",
        category="acquisition_efficiency",
        unit="percent",
        direction="higher",
        timing="leading",
        review_cycle="quarter",
        departments=["marketing"],
    )


def test_library_page_lists_categories(hr_lead, client):
    client.force_login(hr_lead)
    page = client.get("/performance/indicators/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    text = page.content.decode()
    for label in ("Acquisition efficiency", "Deal quality", "Customer health", "Long-term value"):
        assert label in text
    assert "/performance/indicators/new_customer_churn_rate/" in text


def test_hr_lead_edits_target_and_definition_but_not_formula(hr_lead, client):
    client.force_login(hr_lead)
    formula = Indicator.objects.get(code="win_rate").formula
    answer = client.post(
        "/performance/indicators/win_rate/",
        {
            "definition_en": "Deals won over deals decided.",
            "definition_zh": "赢单数除以已决商机数。",
            "target": "35",
            "departments": ["sales", "presales"],
            "formula": "1 / 0",
        },
    )
    assert answer.status_code == 302
    win_rate = Indicator.objects.get(code="win_rate")
    assert win_rate.target == Decimal("35")
    assert win_rate.definition_en == "Deals won over deals decided."
    assert win_rate.departments == ["sales", "presales"]
    assert win_rate.formula == formula
    # the post-migrate sync keeps the edits of definitions, targets and departments
    builtin_indicators_sync()
    win_rate.refresh_from_db()
    assert (win_rate.target, win_rate.departments) == (Decimal("35"), ["sales", "presales"])


def test_manager_cannot_edit(east_manager, client):
    client.force_login(east_manager)
    answer = client.post("/performance/indicators/win_rate/", {"target": "1"})
    assert answer.status_code == 403
    assert Indicator.objects.get(code="win_rate").target is None
    assert client.get("/performance/indicators/new/").status_code == 403


def test_add_own_indicator_through_the_page(hr_lead, client):
    client.force_login(hr_lead)
    answer = client.post(
        "/performance/indicators/new/",
        {
            "code": "demo_days",
            "name_en": "Demo days",
            "name_zh": "演示天数",
            "category": "acquisition_efficiency",
            "unit": "days",
            "direction": "lower",
            "timing": "leading",
            "review_cycle": "month",
        },
    )
    assert answer.status_code == 302
    assert Indicator.objects.get(code="demo_days").source == "manual"
    again = client.post(
        "/performance/indicators/new/",
        {
            "code": "win_rate",
            "name_en": "x",
            "name_zh": "x",
            "category": "deal_quality",
            "unit": "days",
            "direction": "lower",
            "timing": "leading",
            "review_cycle": "month",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert again.status_code == 200
    assert "An indicator with the code win_rate already exists." in again.content.decode()


_NEW_INDICATOR = {
    "code": "demo_days",
    "name_en": "Demo days",
    "name_zh": "演示天数",
    "category": "acquisition_efficiency",
    "unit": "days",
    "direction": "lower",
    "timing": "leading",
    "review_cycle": "month",
}


@pytest.mark.parametrize(
    ("service", "url", "data"),
    [
        ("indicator_create_custom", "/performance/indicators/new/", _NEW_INDICATOR),
        ("indicator_update", "/performance/indicators/win_rate/", {"definition_en": "x", "definition_zh": "x"}),
    ],
)
def test_a_refusal_about_no_field_shows_above_the_form(hr_lead, client, monkeypatch, service, url, data):
    # given a service that refuses with a list-style error (no field named), as a rule across rows would
    def refuse(**kwargs):
        raise ValidationError(["The library is being synchronised; try again in a minute."])

    monkeypatch.setattr(f"performance.views.{service}", refuse)
    client.force_login(hr_lead)
    # when the form is posted
    answer = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    # then the page comes back with the refusal on it, not a server error
    assert answer.status_code == 200
    assert "The library is being synchronised; try again in a minute." in answer.content.decode()


def test_unknown_department_is_refused(db):
    with pytest.raises(ValidationError) as info:
        indicator_create_custom(
            code="x_rate",
            name_en="X",
            name_zh="X",
            category="deal_quality",
            unit="percent",
            direction="higher",
            timing="lagging",
            review_cycle="year",
            departments=["legal"],
        )
    assert "departments" in info.value.message_dict


def test_manual_values_flow_into_indicator_values(custom, org_tree):
    manual_value_set(
        indicator=custom,
        org_unit=org_tree["EAST"],
        period="quarter",
        period_start=dt.date(2025, 4, 1),
        value=Decimal("12.5"),
    )
    indicator_values_recompute(codes=["referral_share"])
    row = IndicatorValue.objects.get(indicator=custom)
    assert (row.org_unit.code, row.period, row.period_start, row.value) == (
        "EAST",
        "quarter",
        dt.date(2025, 4, 1),
        Decimal("12.5"),
    )
    # entered values are not rolled up: the parent has no value it was not given
    assert not IndicatorValue.objects.filter(indicator=custom, org_unit__code="SALES").exists()


def test_builtin_values_cannot_be_entered(org_tree):
    with pytest.raises(ValidationError) as info:
        manual_value_set(
            indicator=Indicator.objects.get(code="win_rate"),
            org_unit=org_tree["EAST"],
            period="month",
            period_start=dt.date(2025, 1, 1),
            value=Decimal("1"),
        )
    assert "indicator" in info.value.message_dict


def test_period_start_must_be_first_day(custom, org_tree):
    with pytest.raises(ValidationError) as info:
        manual_value_set(
            indicator=custom,
            org_unit=org_tree["EAST"],
            period="quarter",
            period_start=dt.date(2025, 5, 1),
            value=Decimal("1"),
        )
    assert "period_start" in info.value.message_dict
