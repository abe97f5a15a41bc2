"""Incremental recompute: uploads mark the years they touch; redoing only those years equals a full rebuild."""

from __future__ import annotations

import pytest

from org.jobs import job_run, job_start_recompute
from org.marks import pending_marks
from org.models import Job, JobTask, RecomputeMark
from performance import engine
from performance.engine import indicator_values_step, recompute_plan, values_recompute
from performance.models import Indicator, IndicatorValue


def _post(client, dataset, rows):
    response = client.post(f"/api/v1/ingest/{dataset}/", rows, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _values():
    return set(
        IndicatorValue.objects.values_list(
            "indicator__code", "org_unit_id", "person_id", "period", "period_start", "numerator", "denominator", "value"
        )
    )


@pytest.fixture
def facts(write_client, people):
    """Two years of leads, opportunities, customers, contracts (one renewed), NPS and usage, then a full run."""
    _post(
        write_client,
        "customers",
        [
            {
                "external_id": "C1",
                "name": "C1",
                "segment": "smb",
                "org_unit": "T1",
                "owner": "P1",
                "acquired_on": "2025-02-01",
            },
            {
                "external_id": "C2",
                "name": "C2",
                "segment": "enterprise",
                "org_unit": "T2",
                "owner": "P2",
                "acquired_on": "2025-05-01",
                "churned_on": "2025-11-01",
            },
        ],
    )
    _post(
        write_client,
        "leads",
        [
            {
                "external_id": f"L{i}",
                "org_unit": "T1" if i % 2 else "T3",
                "owner": "P1" if i % 2 else "P3",
                "created_on": f"{2025 + i % 2}-{1 + i % 12:02d}-10",
                "is_qualified": True,
                "converted_on": f"{2025 + i % 2}-{1 + i % 12:02d}-20" if i % 3 else None,
            }
            for i in range(24)
        ],
    )
    _post(
        write_client,
        "opportunities",
        [
            {
                "external_id": "O1",
                "customer": "C1",
                "org_unit": "T1",
                "owner": "P1",
                "created_on": "2025-01-05",
                "closed_on": "2025-03-01",
                "status": "won",
                "amount": "1000",
                "is_key_account": True,
            },
            {
                "external_id": "O2",
                "customer": "C2",
                "org_unit": "T2",
                "owner": "P2",
                "created_on": "2025-04-01",
                "closed_on": "2026-02-01",
                "status": "lost",
                "amount": "500",
                "is_key_account": False,
            },
        ],
    )
    _post(
        write_client,
        "contracts",
        [
            {
                "external_id": "K1",
                "customer": "C1",
                "org_unit": "T1",
                "owner": "P1",
                "kind": "new",
                "signed_on": "2025-02-01",
                "start_on": "2025-02-01",
                "end_on": "2025-12-31",
                "value": "1200",
                "gross_margin": "400",
            },
            {
                "external_id": "K2",
                "customer": "C2",
                "org_unit": "T2",
                "owner": "P2",
                "kind": "new",
                "signed_on": "2025-05-01",
                "start_on": "2025-05-01",
                "end_on": "2026-04-30",
                "value": "900",
                "gross_margin": "300",
            },
        ],
    )
    _post(
        write_client,
        "nps-responses",
        [{"external_id": "N1", "customer": "C1", "responded_on": "2025-06-01", "score": 9}],
    )
    _post(write_client, "usage", [{"customer": "C1", "month": "2025-06", "active_ratio": "0.5"}])
    first = indicator_values_step()
    assert first["mode"] == "full"
    assert not RecomputeMark.objects.exists()
    return first


def test_nothing_marked_redoes_only_the_non_additive_indicators(facts):
    assert recompute_plan()[0] == "none"
    step = indicator_values_step()
    assert (step["mode"], step["years"], step["written"], step["deleted"]) == ("none", [], 0, 0)
    report = values_recompute(indicators=list(Indicator.objects.all()), years=frozenset())
    assert report["indicators"]["lead_conversion_rate"] == {"skipped": "no stale year"}
    assert report["indicators"]["repeat_purchase_rate"] == {"skipped": "no stale year"}
    assert "rows" in report["indicators"]["high_match_candidate_ratio"]


def test_incremental_equals_full_with_late_arriving_and_moved_facts(write_client, facts):
    # given: a late 2025 lead, a lead moved from 2025 into 2026, a 2026 renewal of a contract that ended
    # in 2025, an opportunity that closes in 2026, a late NPS answer
    _post(
        write_client,
        "leads",
        [
            {
                "external_id": "L100",
                "org_unit": "T2",
                "owner": "P2",
                "created_on": "2025-03-15",
                "is_qualified": True,
                "converted_on": "2025-04-01",
            },
            {"external_id": "L2", "org_unit": "T3", "owner": "P3", "created_on": "2026-02-10", "is_qualified": True},
        ],
    )
    _post(
        write_client,
        "contracts",
        [
            {
                "external_id": "K3",
                "customer": "C1",
                "org_unit": "T1",
                "owner": "P1",
                "kind": "renewal",
                "signed_on": "2026-01-05",
                "start_on": "2026-01-01",
                "end_on": "2026-12-31",
                "value": "1300",
                "gross_margin": "450",
                "renews": "K1",
            },
        ],
    )
    _post(
        write_client,
        "nps-responses",
        [{"external_id": "N2", "customer": "C1", "responded_on": "2025-07-01", "score": 3}],
    )
    # a customer churns: from then on they are no longer an existing customer (repeat purchase)
    _post(
        write_client,
        "customers",
        [
            {
                "external_id": "C1",
                "name": "C1",
                "segment": "smb",
                "org_unit": "T1",
                "owner": "P1",
                "acquired_on": "2025-02-01",
                "churned_on": "2025-09-01",
            },
        ],
    )
    assert pending_marks().years == frozenset({2025, 2026})
    # when
    step = indicator_values_step()
    # then: only 2025 and 2026 were redone, the marks are gone, and a full rebuild finds nothing to change
    assert (step["mode"], step["years"]) == ("incremental", [2025, 2026])
    assert not RecomputeMark.objects.exists()
    incremental = _values()
    full = values_recompute(indicators=list(Indicator.objects.all()))
    assert (full["deleted"], full["updated"], full["inserted"]) == (0, 0, 0)
    assert _values() == incremental
    renewal = IndicatorValue.objects.get(
        indicator__code="renewal_rate", org_unit__code="T1", period="year", period_start="2025-01-01"
    )
    assert renewal.value == 100


def test_an_upload_of_leads_redoes_only_the_indicators_reading_leads(write_client, facts):
    # given a late lead and a late NPS answer... only the lead (NPS answers and usage untouched)
    _post(
        write_client,
        "leads",
        [
            {
                "external_id": "L300",
                "org_unit": "T3",
                "owner": "P3",
                "created_on": "2025-03-03",
                "is_qualified": True,
                "converted_on": "2025-03-30",
            }
        ],
    )
    marks = pending_marks()
    assert (marks.years, marks.tables) == (frozenset({2025}), frozenset({"performance_lead"}))
    # when
    step = indicator_values_step()
    # then the indicators that do not read leads were left alone, and the result equals a full rebuild
    assert step["tables"] == ["performance_lead"]
    assert {"nps", "product_usage_activity", "renewal_rate", "new_contract_value"} <= set(step["skipped"])
    assert "lead_conversion_rate" not in step["skipped"]
    incremental = _values()
    full = values_recompute(indicators=list(Indicator.objects.all()))
    assert (full["deleted"], full["updated"], full["inserted"]) == (0, 0, 0)
    assert _values() == incremental
    conversion = IndicatorValue.objects.get(
        indicator__code="lead_conversion_rate", org_unit__code="T3", period="month", period_start="2025-03-01"
    )
    assert (conversion.numerator, conversion.denominator) == (3, 3)  # two fixture leads and the late one


def test_a_person_moving_unit_concerns_every_indicator(write_client, facts):
    _post(
        write_client,
        "people",
        [{"external_id": "P1", "name": "Person P1", "org_unit": "T2", "role": "sales_rep", "hire_date": "2024-01-01"}],
    )
    marks = pending_marks()
    assert (marks.years, marks.tables) == (None, None)


def test_an_upload_that_changes_nothing_leaves_no_mark(write_client, facts):
    _post(
        write_client,
        "nps-responses",
        [{"external_id": "N1", "customer": "C1", "responded_on": "2025-06-01", "score": 9}],
    )
    assert not RecomputeMark.objects.exists()


def test_a_customer_changing_owner_marks_every_year(write_client, facts):
    _post(
        write_client,
        "customers",
        [
            {
                "external_id": "C1",
                "name": "C1",
                "segment": "smb",
                "org_unit": "T1",
                "owner": "P2",
                "acquired_on": "2025-02-01",
            }
        ],
    )
    assert pending_marks().years is None
    assert recompute_plan()[0] == "full"


def test_a_failed_run_keeps_its_marks_and_a_rerun_finishes_cleanly(write_client, facts, monkeypatch):
    # given a late lead and a late opportunity, and a recompute that dies in the middle of the indicator step
    _post(
        write_client,
        "opportunities",
        [
            {
                "external_id": "O200",
                "customer": "C1",
                "org_unit": "T1",
                "owner": "P1",
                "created_on": "2025-07-01",
                "closed_on": "2025-08-15",
                "status": "won",
                "amount": "700",
                "is_key_account": False,
            }
        ],
    )
    _post(
        write_client,
        "leads",
        [
            {
                "external_id": "L200",
                "org_unit": "T1",
                "owner": "P1",
                "created_on": "2025-08-01",
                "is_qualified": True,
                "converted_on": "2025-08-09",
            }
        ],
    )
    before = _values()
    calls = {"n": 0}
    original = engine.rollup.roll_up

    def dying_roll_up(cursor, indicator_id, computation):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("worker killed")
        return original(cursor, indicator_id, computation)

    monkeypatch.setattr(engine.rollup, "roll_up", dying_roll_up)
    job, _created = job_start_recompute(trigger="api")
    job.refresh_from_db()
    if job.status == "queued":  # Celery not eager in this environment: run it here
        job_run(job.pk)
        job.refresh_from_db()
    assert job.status == "failed"
    assert "worker killed" in job.error
    # each indicator is written in its own transaction: the one that died kept its old rows, whole
    failed = JobTask.objects.get(job=job, status="failed").key
    assert {row for row in _values() if row[0] == failed} == {row for row in before if row[0] == failed}
    assert pending_marks().years == frozenset({2025})
    # when the job is run again
    monkeypatch.setattr(engine.rollup, "roll_up", original)
    rerun, _created = job_start_recompute(trigger="api")
    rerun.refresh_from_db()
    if rerun.status == "queued":
        job_run(rerun.pk)
        rerun.refresh_from_db()
    # then
    assert rerun.status == "succeeded"
    assert not RecomputeMark.objects.exists()
    after = _values()
    full = values_recompute(indicators=list(Indicator.objects.all()))
    assert (full["deleted"], full["updated"], full["inserted"]) == (0, 0, 0)
    assert _values() == after
    assert Job.objects.filter(status="succeeded").count() == 1
