"""Recompute jobs when PostgreSQL or Redis dies under them: the job and its part fail with the error, nothing is
half written, and a rerun once the server is back gives exactly the rows of a clean run.

The jobs run in ``scenario.py`` (a process of its own, with the real steps) against the throwaway cluster;
it kills PostgreSQL inside a part of the indicator step, after the part has written its values and before it
commits, and starts it again 1.5 s later; then it kills its Redis while a worker fans a job out. That a
recompute is queued again once Redis is back is checked through the site (``test_request_outages.py``).
"""

from __future__ import annotations

import json

import pytest

from .conftest import _tail


@pytest.fixture(scope="module")
def facts(stack):
    """What happened in the jobs scenario (see scenario.py; the stack fixture ran it)."""
    out = stack.work / "jobs.json"
    result = json.loads(out.read_text()) if out.exists() else {}
    if stack.scenario_returncode != 0:
        pytest.fail(
            f"the jobs scenario failed ({stack.scenario_returncode}); so far: {sorted(result)}\n"
            + _tail(stack.work / "scenario.log")
        )
    return result


def test_a_clean_recompute_succeeds(facts):
    assert facts["clean"]["status"] == "succeeded", facts["clean"]["error"]
    assert set(facts["clean"]["steps"].values()) == {"succeeded"}


def test_database_killed_mid_part_fails_the_part_and_the_job_with_the_error(facts):
    # given PostgreSQL was killed inside one part and came back a moment later
    assert facts["killed"], "the part never reached its INSERT: nothing was killed"
    fault, killed = facts["fault"], facts["killed_part"]
    # then the job is failed (not left running), with the database error and the part it happened in
    assert fault["status"] == "failed"
    assert fault["error"].startswith(f"indicator_values/{killed}: OperationalError"), fault["error"][:300]
    assert fault["steps"]["indicator_values"] == "failed"
    assert fault["steps"]["org_unit_stats"] == "succeeded"
    # and the part is failed with the same text; the parts before it succeeded, the ones after never ran
    parts = fault["parts"]
    assert parts[killed]["status"] == "failed"
    assert "OperationalError" in parts[killed]["error"]
    keys = list(parts)
    assert {parts[key]["status"] for key in keys[: keys.index(killed)]} == {"succeeded"}
    assert {parts[key]["status"] for key in keys[keys.index(killed) + 1 :]} <= {"queued"}


def test_the_killed_part_leaves_nothing_half_written(facts):
    after = facts["after_fault"]
    # the killed part had inserted its values when the database died: none of them stayed
    assert after["values"].get(facts["killed_part"], 0) == 0
    assert after["killed_last_computed"] == "None"
    # while a part that committed before keeps its values
    assert after["values"].get(facts["earlier_part"], 0) > 0
    assert after["earlier_last_computed"] != "None"


def test_a_rerun_after_the_database_is_back_writes_exactly_the_rows_of_a_clean_run(facts):
    assert facts["rerun"]["status"] == "succeeded", facts["rerun"]["error"]
    clean, rerun = facts["clean_fingerprint"], facts["rerun_fingerprint"]
    assert sorted(clean) == sorted(rerun)
    differing = {table: (clean[table], rerun[table]) for table in clean if clean[table] != rerun[table]}
    assert not differing, facts["differences"]
    assert clean["performance_indicatorvalue"][0] > 1000


def test_redis_killed_while_a_worker_fans_out_fails_the_job_at_once_and_changes_no_result(facts):
    down = facts["broker_down"]
    # the worker could not queue the parts: the job failed at once with the queue's error
    assert down["status"] == "failed"
    assert down["error"].startswith("indicator_values: OperationalError"), down["error"][:300]
    assert "Connection refused" in down["error"]
    assert down["steps"]["org_unit_stats"] == "succeeded"
    assert down["steps"]["indicator_values"] == "failed"
    assert down["seconds"] < 20
    # and nothing is left queued or running to block the next recompute
    assert facts["active_jobs"] == 0
    # the steps before rewrote the same rows, and no part ran: the results are still those of a clean run
    assert facts["after_broker_down_fingerprint"] == facts["clean_fingerprint"]
