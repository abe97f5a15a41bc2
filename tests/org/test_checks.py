"""``manage.py check`` fails, naming the culprit, when the platform's registries disagree (org/checks.py)."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from org import platform
from org.jobs import nightly_step
from org.marks import track_dataset


@pytest.fixture
def registered():
    """Add items to a registry for one test; they are taken out again afterwards."""
    added: list[tuple[platform.Registry, str, object]] = []

    def add(registry: platform.Registry, key: str, item) -> None:
        added.append((registry, key, registry.get(key)))
        registry.add(key, item, replace=True)

    yield add
    for registry, key, before in reversed(added):
        registry.discard(key)
        if before is not None:
            registry.add(key, before)


def _check_fails_with(text: str) -> str:
    with pytest.raises(SystemCheckError) as failure:
        call_command("check")
    message = str(failure.value)
    assert text in message
    return message


def test_the_project_passes_its_checks():
    assert [message for message in run_checks() if message.is_serious()] == []


def test_two_nightly_steps_sharing_an_order_fail_the_check():
    step = platform.NIGHTLY_STEPS["org_unit_stats"]
    nightly_step("twin_of_head_counts", label="twin", order=step.order)(lambda job=None: None)
    try:
        message = _check_fails_with("(org.E001) The nightly steps org_unit_stats, twin_of_head_counts share the order")
        assert "which runs first is left to chance" in message
    finally:
        platform.NIGHTLY_STEPS.discard("twin_of_head_counts")


def test_a_step_that_needs_a_later_or_unknown_step_fails_the_check():
    nightly_step("early_reader", label="early", order=1, needs=["capability_radars", "no_such_step"])(
        lambda job=None: None
    )
    try:
        message = _check_fails_with("(org.E002) The nightly step early_reader (order 1) needs capability_radars")
        assert "which runs after it (order 40)" in message
        assert "needs 'no_such_step', which is not a nightly step" in message
    finally:
        platform.NIGHTLY_STEPS.discard("early_reader")


def test_an_audited_model_that_auditlog_does_not_keep_fails_the_check(registered):
    from auditlog.registry import auditlog

    from org.models import OrgUnit

    # given a model declared audited that auditlog does not keep (declared past org.audit.audited)
    registered(platform.AUDITED_MODELS, "org.OrgUnit", ())
    assert not auditlog.contains(OrgUnit)
    _check_fails_with("(org.E004) The audited model org.OrgUnit is not registered with auditlog")


def test_an_audited_label_naming_no_model_fails_the_check(registered):
    registered(platform.AUDITED_MODELS, "rollout.Programme", ())
    _check_fails_with("(org.E004) The audited model 'rollout.Programme' does not exist.")


def test_a_model_auditlog_keeps_without_a_declaration_fails_the_check():
    from auditlog.registry import auditlog

    from org.models import OrgUnit

    auditlog.register(OrgUnit)
    try:
        _check_fails_with("(org.E004) org.OrgUnit is registered with auditlog but not declared audited")
    finally:
        auditlog.unregister(OrgUnit)


def test_tracking_a_dataset_that_does_not_exist_fails_the_check():
    track_dataset("leeds", dates=("created_on",))
    try:
        _check_fails_with("(org.E003) track_dataset('leeds') names no registered ingest dataset")
    finally:
        platform.TRACKED_DATASETS.discard("leeds")
