"""``manage.py check`` fails, naming the culprit, when a built-in indicator's declaration disagrees with the
engine, the library or the recompute marks (performance/checks.py)."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from org import platform
from performance.choices import IndicatorCategory, IndicatorTiming, IndicatorUnit, PeriodKind
from performance.engine import Additive, Custom
from performance.indicators import BuiltinIndicator
from performance.models import AcquisitionCost
from rollout.models import Story

MODULE = "tests.performance.test_indicator_checks"


@pytest.fixture
def registered():
    """Add items to a registry for one test (replacing any of the same key); they are taken out afterwards."""
    added: list[tuple[platform.Registry, str, object]] = []

    def add(registry: platform.Registry, key: str, item) -> None:
        added.append((registry, key, registry.get(key)))
        registry.add(key, item, replace=True)

    yield add
    for registry, key, before in reversed(added):
        registry.discard(key)
        if before is not None:
            registry.add(key, before)


def _declaration(code: str, **changes) -> BuiltinIndicator:
    """A well-formed declaration at a free position; ``changes`` make it wrong."""
    fields = dict(
        code=code,
        order=900,
        name_en="Probe",
        name_zh="探针",
        definition_en="A throw-away indicator of the checks' tests.",
        definition_zh="检查测试用的临时指标。",
        formula="1 / 1",
        category=IndicatorCategory.DEAL_QUALITY,
        unit=IndicatorUnit.PERCENT,
        timing=IndicatorTiming.LAGGING,
        review_cycle=PeriodKind.QUARTER,
        departments=("sales",),
        computation=Additive(
            source="performance_lead f",
            unit="f.org_unit_id",
            owner="f.owner_id",
            date="f.created_on",
            numerator="1",
            denominator="1",
        ),
        module=MODULE,
    )
    return BuiltinIndicator(**{**fields, **changes})


def _check_fails_with(*texts: str) -> str:
    with pytest.raises(SystemCheckError) as failure:
        call_command("check")
    message = str(failure.value)
    for text in texts:
        assert text in message
    return message


def test_the_project_passes_its_indicator_checks():
    messages = [message for message in run_checks() if message.is_serious()]
    assert messages == []
    # every built-in indicator is declared once, with a computation
    assert len(platform.INDICATORS) == 19


def test_the_probe_declaration_itself_passes(registered):
    registered(platform.INDICATORS, "probe_rate", _declaration("probe_rate"))
    assert [message for message in run_checks() if message.is_serious()] == []


def test_a_declaration_without_a_computation_fails_the_check(registered):
    registered(platform.INDICATORS, "uncomputed_rate", _declaration("uncomputed_rate", computation=None))
    _check_fails_with(
        f"(performance.E001) The built-in indicator uncomputed_rate (declared in {MODULE}) has no computation",
        "computation=Additive(...) or Custom(...)",
    )


def test_a_computation_that_is_not_one_fails_the_check(registered):
    # given statements handed over bare instead of wrapped in a Custom computation
    registered(platform.INDICATORS, "bare_rate", _declaration("bare_rate", computation=lambda: []))
    _check_fails_with("(performance.E001) The built-in indicator bare_rate")


def test_values_the_library_does_not_know_fail_the_check(registered):
    registered(
        platform.INDICATORS,
        "odd_rate",
        _declaration("odd_rate", category="growth", review_cycle="week", departments=("sales", "legal")),
    )
    message = _check_fails_with(
        "(performance.E002) The built-in indicator odd_rate (declared in",
        "category 'growth' is not one of acquisition_efficiency, deal_quality",
        "review_cycle 'week' is not one of month, quarter, year",
        "the departments 'legal' are not in the library's DEPARTMENTS",
    )
    assert "unit" not in message.split("odd_rate")[1].split("\n")[0]  # what is right is not reported


def test_a_code_that_is_not_a_slug_fails_the_check(registered):
    registered(platform.INDICATORS, "win rate", _declaration("win rate"))
    _check_fails_with("(performance.E002) The built-in indicator win rate", "is not a slug of at most 64 characters")


def test_a_fact_table_that_leaves_no_marks_fails_the_check(registered):
    # given an indicator on acquisition costs, which no dataset or service marks for recompute
    costs = AcquisitionCost._meta.db_table
    computation = Additive(
        source=f"{costs} f", unit="f.org_unit_id", owner="NULL", date="f.month", numerator="f.amount", denominator="1"
    )
    registered(platform.INDICATORS, "cost_per_deal", _declaration("cost_per_deal", computation=computation))
    _check_fails_with(
        f"(performance.E003) The built-in indicator cost_per_deal (declared in {MODULE}) reads {costs}, which no "
        "dataset or service marks for recompute",
        "org.marks.marks_table(Model, by=...)",
    )


def test_a_real_indicator_fails_the_check_when_its_table_stops_leaving_marks(registered):
    # given stories no longer declared as marked (as if rollout.indicators forgot its marks_table)
    story_table = Story._meta.db_table
    before = platform.MARKED_TABLES[story_table]
    platform.MARKED_TABLES.discard(story_table)
    try:
        _check_fails_with(
            "(performance.E003) The built-in indicator playbooks_captured (declared in "
            "rollout.indicators) reads rollout_story"
        )
    finally:
        platform.MARKED_TABLES.add(story_table, before)


def test_custom_computations_are_checked_by_what_they_declare_they_read(registered):
    costs = AcquisitionCost._meta.db_table
    windowed = Custom(build=lambda window=None: [], windowed=True, reads=(AcquisitionCost,))
    registered(platform.INDICATORS, "cost_trend", _declaration("cost_trend", computation=windowed))
    _check_fails_with(f"(performance.E003) The built-in indicator cost_trend (declared in {MODULE}) reads {costs}")
    # recomputed whole on every run (no window): no marks needed
    whole = dataclasses.replace(windowed, windowed=False)
    registered(platform.INDICATORS, "cost_trend", _declaration("cost_trend", computation=whole))
    assert [message for message in run_checks() if message.is_serious()] == []


def test_two_declarations_at_one_position_fail_the_check(registered):
    registered(platform.INDICATORS, "second_win_rate", _declaration("second_win_rate", order=3))
    _check_fails_with(
        "(performance.E004) The built-in indicators second_win_rate, win_rate share the position 3 in the library"
    )


def test_a_code_declares_once():
    from django.core.exceptions import ImproperlyConfigured

    from performance.indicators import builtin_indicator

    twin = _declaration("win_rate")
    fields = {field.name: getattr(twin, field.name) for field in dataclasses.fields(twin)}
    with pytest.raises(ImproperlyConfigured, match="'win_rate' is registered twice"):
        builtin_indicator(**fields)
