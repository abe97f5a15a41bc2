"""The server-side half of the failure tests, run as a script in a process of its own (one, since each Django
start costs seconds): ``python -m tests.failure.scenario OUT_DIR``, against the throwaway PostgreSQL cluster named
by FAILURE_PG_DIR / FAILURE_PG_PORT, with a Redis of its own.

1. Migrate the database ``seeded``, seed the small demo (no recompute), and make an API token of the demo
   integrator; copy ``seeded`` to ``web`` (the site's), ``jobs_clean`` and ``jobs_faulty``. OUT_DIR/prepare.json
   gets the token.
2. Recompute jobs; OUT_DIR/jobs.json gets what happened, for ``test_job_outages.py`` to check:

   * a clean run in ``jobs_clean``, and a fingerprint of every table the run writes;
   * in ``jobs_faulty``: PostgreSQL is killed mid-part (right after the part wrote its indicator's values,
     before its commit) and comes back 1.5 s later; the job, the part and what they left behind;
   * a rerun after that, and its fingerprint;
   * Redis killed while a worker runs a job (the parts cannot be queued).

The jobs run as the worker runs them (``job_run``), with the real steps; the scenario only decides when a
server dies.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sys
import threading
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(BASE_DIR))

from tests.failure.services import ThrowawayPostgres, ThrowawayRedis  # noqa: E402

# Tables the fingerprint leaves out: job bookkeeping, sessions, logs (they differ between runs by nature).
NOT_RESULTS = {"org_job", "org_jobtask", "django_session", "django_admin_log", "django_migrations", "auditlog_logentry"}
INSERT_VALUES = re.compile(r"^\s*INSERT INTO performance_indicatorvalue\b", re.IGNORECASE)
RESTART_AFTER_SECONDS = 1.5


def prepare(cluster: ThrowawayPostgres, out: Path) -> None:
    """Migrate and seed ``seeded`` (tasks run in-process), then copy it to the databases the tests use."""
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection

    from acquisition_hr.celery import app
    from org.choices import TokenScope
    from org.demo import seed_demo
    from org.services import api_token_create

    app.conf.task_always_eager = True
    call_command("migrate", verbosity=0, interactive=False)
    seed_demo(scale="small", seed=1, recompute=False)
    _token, key = api_token_create(user=User.objects.get(username="integrator"), scope=TokenScope.WRITE)
    app.conf.task_always_eager = False
    connection.close()  # a template database may have no other connection
    for name in ("web", "jobs_clean", "jobs_faulty"):
        cluster.execute(f"CREATE DATABASE {name} TEMPLATE seeded")
    out.write_text(json.dumps({"token": key}))


def _use_database(name: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def _row_texts() -> dict[str, str]:
    """Per result table, an SQL expression of one row as text, without ids and timestamps (they differ between runs)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
        columns = defaultdict(list)
        for table, column, data_type in cursor.fetchall():
            if table not in NOT_RESULTS and column != "id" and not data_type.startswith("timestamp"):
                columns[table].append(column)
    return {
        table: "concat_ws('|', " + ", ".join(f"coalesce(\"{name}\"::text, '-')" for name in names) + ")"
        for table, names in sorted(columns.items())
    }


def fingerprint() -> dict[str, list]:
    """Per table: row count and a hash of its rows (as ``_row_texts`` writes them)."""
    from django.db import connection

    result = {}
    with connection.cursor() as cursor:
        for table, row in _row_texts().items():
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) "
                f'FROM (SELECT {row} AS r FROM "{table}") AS rows'
            )
            result[table] = list(cursor.fetchone())
    return result


def rows(table: str, limit: int = 40) -> list[str]:
    """A table's rows as text (for a failure message when fingerprints differ)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT r FROM (SELECT {_row_texts()[table]} AS r FROM "{table}") AS rows ORDER BY r LIMIT %s', [limit]
        )
        return [row[0] for row in cursor.fetchall()]


def _values_per_indicator() -> dict[str, int]:
    from django.db.models import Count

    from performance.models import IndicatorValue

    return dict(
        IndicatorValue.objects.values("indicator__code").annotate(n=Count("id")).values_list("indicator__code", "n")
    )


def _recompute(*, fan_out: bool = False) -> dict:
    """Queue a full recompute (its task goes to Redis) and run it here as a worker would."""
    from org.jobs import job_run, job_start_recompute
    from org.models import Job

    job, created = job_start_recompute(trigger="api", full=True)
    assert created, "a recompute was already active"
    job_run(job.pk, fan_out=fan_out)
    return _job_facts(Job.objects.get(pk=job.pk))


def _job_facts(job) -> dict:
    return {
        "id": job.pk,
        "status": job.status,
        "error": job.error,
        "steps": {step["name"]: step.get("status") for step in job.steps},
        "parts": {
            task.key: {"status": task.status, "error": task.error}
            for task in job.tasks.filter(step="indicator_values").order_by("pk")
        },
    }


@contextmanager
def database_dies_in_part(cluster: ThrowawayPostgres, key: str):
    """Kill PostgreSQL in part ``key`` of the indicator step right after the part's INSERT of its values (the
    transaction is open, nothing committed); start it again RESTART_AFTER_SECONDS later, from another thread."""
    from django.db import connection

    from org import jobs

    state = {"part": None, "killed_at": None, "back_at": None}
    step = jobs._NIGHTLY_STEPS["indicator_values"]
    real_part = step.run_part

    def run_part(job, part_key):
        state["part"] = part_key
        try:
            return real_part(job, part_key)
        finally:
            state["part"] = None

    def restart():
        cluster.start()
        state["back_at"] = time.monotonic()

    restarter = threading.Timer(RESTART_AFTER_SECONDS, restart)

    def kill_after_insert(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if state["part"] == key and state["killed_at"] is None and INSERT_VALUES.match(sql):
            cluster.stop("immediate")
            state["killed_at"] = time.monotonic()
            restarter.start()
        return result

    jobs._NIGHTLY_STEPS.add("indicator_values", dataclasses.replace(step, run_part=run_part), replace=True)
    try:
        with connection.execute_wrapper(kill_after_insert):
            yield state
    finally:
        jobs._NIGHTLY_STEPS.add("indicator_values", step, replace=True)
        if state["killed_at"] is not None:
            restarter.join(timeout=90)


def jobs(cluster: ThrowawayPostgres, redis: ThrowawayRedis, out: Path) -> None:
    """Recompute jobs while PostgreSQL, then Redis dies under them; what happened goes to ``out``."""
    from performance.models import Indicator

    facts: dict = {}
    try:
        # A clean run from the seeded demo.
        _use_database("jobs_clean")
        facts["clean"] = _recompute()
        facts["clean_fingerprint"] = fingerprint()
        clean_values = _values_per_indicator()

        # The same from the same start, with PostgreSQL killed in the middle of a part.
        _use_database("jobs_faulty")
        seeded_values = _values_per_indicator()
        order = list(Indicator.objects.order_by("sort_order", "code").values_list("code", flat=True))
        # Parts whose values only the job writes: the first commits before the kill, the second is killed.
        written_by_job = [code for code in order if clean_values.get(code) and not seeded_values.get(code)]
        earlier, killed = written_by_job[0], written_by_job[1]
        facts["killed_part"], facts["earlier_part"] = killed, earlier
        with database_dies_in_part(cluster, killed) as state:
            began = time.monotonic()
            facts["fault"] = _recompute()
        facts["fault"]["seconds"] = round(time.monotonic() - began, 2)
        facts["killed"] = state["killed_at"] is not None
        facts["down_seconds"] = round(state["back_at"] - state["killed_at"], 2) if facts["killed"] else None
        facts["after_fault"] = {
            "values": _values_per_indicator(),
            "killed_last_computed": str(Indicator.objects.get(code=killed).last_computed_at),
            "earlier_last_computed": str(Indicator.objects.get(code=earlier).last_computed_at),
        }

        # Rerun after PostgreSQL is back.
        facts["rerun"] = _recompute()
        facts["rerun_fingerprint"] = fingerprint()

        # Redis dies while a worker runs a job: its parts cannot be queued.
        from acquisition_hr.celery import app

        assert not app.conf.task_always_eager, "the scenario needs a real broker"
        from org.jobs import job_run, job_start_recompute
        from org.models import Job

        job, _created = job_start_recompute(trigger="api", full=True)
        redis.kill()
        began = time.monotonic()
        job_run(job.pk, fan_out=True)
        facts["broker_down"] = _job_facts(Job.objects.get(pk=job.pk))
        facts["broker_down"]["seconds"] = round(time.monotonic() - began, 2)
        facts["active_jobs"] = Job.objects.filter(status__in=["queued", "running"]).count()
        facts["after_broker_down_fingerprint"] = fingerprint()

        # Where the rerun's fingerprint differs from the clean one, both sides' rows, to show what differs.
        clean, rerun = facts["clean_fingerprint"], facts["rerun_fingerprint"]
        differing = [table for table in clean if rerun.get(table) != clean[table]]
        facts["differences"] = {table: {"faulty": rows(table)} for table in differing}
        _use_database("jobs_clean")
        for table in facts["differences"]:
            facts["differences"][table]["clean"] = rows(table)
    finally:
        out.write_text(json.dumps(facts, default=str))


def main(out_dir: Path) -> None:
    cluster = ThrowawayPostgres.from_environment()
    redis = ThrowawayRedis()
    redis.start()
    try:
        os.environ.update(
            DATABASE_URL=cluster.url("seeded"),
            REDIS_URL=redis.url(),
            DJANGO_SETTINGS_MODULE="acquisition_hr.settings",
            JOB_RECORD_RETRY_SECONDS="30",
        )
        import django

        django.setup()
        prepare(cluster, out_dir / "prepare.json")
        jobs(cluster, redis, out_dir / "jobs.json")
    finally:
        redis.kill()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
