"""Seconds of the nightly indicator recompute against a hand-written SQL floor, at a demo scale.

Seeds the demo company at ``--scale`` and ``--seed`` into the benchmark database unless it
already holds exactly that (a marker table, ``bench_recompute_marker``, records what was
seeded), then prints one JSON document with:

- ``facts``: rows per fact table (and the org tables the engine joins);
- ``indicator_step``: the nightly ``indicator_values`` step, seconds per run and median, in
  two flavours: ``cold`` (the values table emptied with TRUNCATE first, so every value is
  inserted and the planner's statistics of the values table are stale, as after a flush and
  a bulk load) and ``warm`` (run again right after: the idempotent nightly case, which must
  write nothing; ``written``/``deleted`` say how many rows it changed);
- ``incremental_one_day``: one day of new leads and opportunities (a day's share of the seeded
  volume, dated today) pushed through the ingest service, which marks their year and tables stale, then
  the nightly step in its default mode: only the marked years of the additive indicators that read a
  marked table are redone (``tables``, ``indicators_skipped`` say which);
- ``incremental_one_day_every_fact``: the same with a day's share of every fact kind (also contracts,
  NPS answers and this month's usage), so that nearly every indicator's year is redone;
- ``nightly_job``: every registered nightly step, each in its own transaction as ``job_run``
  runs them, seconds per run (total and per step) and median;
- ``floor``: hand-written SQL, one GROUP BY statement per built-in indicator and period kind
  over the same facts, units through the org closure table and people by owner, with the same
  period coverage, no writes (each statement's groups are counted and summed so that every
  aggregate is computed but nothing is sent back or stored); seconds per run and median;
- ``ratio``: indicator-step median / floor median, for cold and warm;
- ``peak_memory_mb``: the peak resident set size of this Python process (``getrusage``
  ``ru_maxrss``), database server memory not included.

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acq_bench_rc \\
        .venv/bin/python benchmarks/recompute.py --scale large --seed 1 --runs 3

The database must have ``bench`` in its name (it is created and migrated when missing).
PostgreSQL only for the floor (its SQL uses ``date_trunc``); on SQLite the floor is skipped.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import setup  # noqa: E402

MARKER = "bench_recompute_marker"
# In every new fact's external id, so that a second invocation on the same day adds rows instead of
# re-sending unchanged ones (which leave no recompute mark).
_INVOCATION = f"{time.time_ns() % 10**10:010d}"
FACT_TABLES = [
    "org_orgunit",
    "org_orgunitclosure",
    "org_person",
    "performance_lead",
    "performance_opportunity",
    "performance_customer",
    "performance_contract",
    "performance_npsresponse",
    "performance_usage",
    "performance_projectaction",
    "talent_candidate",
    "talent_candidatescore",
]


# --- seeding ------------------------------------------------------------------------


def _marker(cursor) -> tuple[str, int] | None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (scale varchar(16), seed integer, seeded_on date)")
    cursor.execute(f"SELECT scale, seed FROM {MARKER}")
    row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def ensure_seeded(scale: str, seed: int) -> dict:
    """Seed ``scale``/``seed`` unless the marker says the database holds it already."""
    from django.db import connection, transaction

    from org.demo import demo_flush, demo_is_empty, seed_demo

    with connection.cursor() as cursor:
        if _marker(cursor) == (scale, seed) and not demo_is_empty():
            return {"seeded": False}
    began = time.perf_counter()
    if not demo_is_empty():
        demo_flush()
    report = seed_demo(scale=scale, seed=seed, recompute=False)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER}")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, %s)", [scale, seed, report["today"]])
    return {"seeded": True, "seconds": round(time.perf_counter() - began, 2)}


def fact_rows() -> dict[str, int]:
    from django.db import connection

    existing = set(connection.introspection.table_names())
    rows = {}
    with connection.cursor() as cursor:
        for table in FACT_TABLES:
            if table in existing:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                rows[table] = cursor.fetchone()[0]
    return rows


# --- the recompute ------------------------------------------------------------------


class _FullRebuild:
    """Stands in for a job asking for a full rebuild (the step otherwise redoes only marked years)."""

    params = {"full": True}
    trigger = "benchmark"


def run_indicator_step(*, cold: bool) -> dict:
    """The indicator step as a full rebuild in one transaction (as job_run runs it); cold: values emptied first."""
    from django.db import connection, transaction

    from performance.engine import indicator_values_step

    if cold:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("TRUNCATE performance_indicatorvalue")
            else:
                cursor.execute("DELETE FROM performance_indicatorvalue")
    began = time.perf_counter()
    with transaction.atomic():
        outcome = indicator_values_step(_FullRebuild())
    return {"seconds": time.perf_counter() - began, **outcome}


def add_one_day(run: int, *, every_fact: bool = False) -> dict:
    """One day of new facts through the ingest service (so they leave recompute marks): about a day's share
    of leads and opportunities of the seeded company, dated today; with ``every_fact`` also a day's share of
    contracts, NPS answers and this month's usage. Returns rows and seconds."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from org.ingest.service import ingest_records

    today = timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*), MIN(created_on), MAX(created_on) FROM performance_lead")
        leads, first, last = cursor.fetchone()
        cursor.execute("SELECT COUNT(*) FROM performance_opportunity")
        opportunities = cursor.fetchone()[0]
        cursor.execute(
            "SELECT l.org_unit_id, u.code, p.external_id FROM performance_lead l "
            "JOIN org_orgunit u ON u.id = l.org_unit_id "
            "LEFT JOIN org_person p ON p.id = l.owner_id ORDER BY l.id DESC LIMIT 500"
        )
        owners = [(code, external) for _unit, code, external in cursor.fetchall()]
        cursor.execute("SELECT external_id, org_unit_id FROM performance_customer ORDER BY id DESC LIMIT 200")
        customers = cursor.fetchall()
        cursor.execute("SELECT id, code FROM org_orgunit")
        unit_codes = dict(cursor.fetchall())
    days = max(1, (last - first).days + 1) if first and last else 1
    prefix = f"BENCH{'-all' if every_fact else ''}-{run}-{today:%Y%m%d}-{_INVOCATION}"
    n_leads, n_opps = max(1, leads // days), max(1, opportunities // days)
    lead_rows = [
        {
            "external_id": f"{prefix}-L{i}",
            "org_unit": owners[i % len(owners)][0],
            "owner": owners[i % len(owners)][1] or "",
            "created_on": today.isoformat(),
            "is_qualified": i % 3 != 0,
        }
        for i in range(n_leads)
    ]
    opportunity_rows = [
        {
            "external_id": f"{prefix}-O{i}",
            "customer": customers[i % len(customers)][0],
            "org_unit": unit_codes[customers[i % len(customers)][1]],
            "created_on": (today - dt.timedelta(days=30)).isoformat(),
            "closed_on": today.isoformat(),
            "status": "won" if i % 3 else "lost",
            "amount": "10000",
            "is_key_account": i % 5 == 0,
        }
        for i in range(n_opps)
    ]
    batches = [("leads", lead_rows), ("opportunities", opportunity_rows)]
    if every_fact:
        batches += _every_other_fact(prefix, today, days, customers, unit_codes)
    began = time.perf_counter()
    for dataset, rows in batches:
        result = ingest_records(dataset=dataset, records=rows)
        if result.errors:
            raise RuntimeError(f"{dataset}: {result.errors[:3]}")
    added = {name.replace("-", "_"): len(rows) for name, rows in batches}
    return {**added, "ingest_seconds": round(time.perf_counter() - began, 3)}


def _every_other_fact(prefix: str, today, days: int, customers: list, unit_codes: dict) -> list[tuple[str, list]]:
    """A day's share of contracts and NPS answers, dated today, and this month's usage of as many customers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM performance_contract")
        contracts = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM performance_npsresponse")
        answers = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM performance_usage")
        usage = cursor.fetchone()[0]
    n_contracts, n_answers = max(1, contracts // days), max(1, answers // days)
    n_usage = min(len(customers), max(1, usage // days))
    month = f"{today:%Y-%m}"
    contract_rows = [
        {
            "external_id": f"{prefix}-K{i}",
            "customer": customers[i % len(customers)][0],
            "org_unit": unit_codes[customers[i % len(customers)][1]],
            "kind": "new",
            "signed_on": today.isoformat(),
            "start_on": today.isoformat(),
            "end_on": today.replace(year=today.year + 1).isoformat(),
            "value": "12000",
            "gross_margin": "4000",
        }
        for i in range(n_contracts)
    ]
    answer_rows = [
        {
            "external_id": f"{prefix}-N{i}",
            "customer": customers[i % len(customers)][0],
            "responded_on": today.isoformat(),
            "score": i % 11,
        }
        for i in range(n_answers)
    ]
    # Ratios differ from any earlier run's (a repeated value would be an unchanged row, leaving no mark).
    shift = time.time_ns() % 97
    usage_rows = [
        {"customer": customers[i][0], "month": month, "active_ratio": f"{((i + shift) % 100) / 100:.2f}"}
        for i in range(n_usage)
    ]
    return [("contracts", contract_rows), ("nps-responses", answer_rows), ("usage", usage_rows)]


def run_incremental_step() -> dict:
    """The nightly indicator step after one day of new facts: only the marked years are redone."""
    from django.db import transaction

    from performance.engine import indicator_values_step

    began = time.perf_counter()
    with transaction.atomic():
        outcome = indicator_values_step(None)
    return {"seconds": time.perf_counter() - began, **outcome}


def _incremental_summary(runs: list[dict]) -> dict:
    """Seconds per incremental run and their median, what the last run redid and what it was given."""
    return {
        "seconds": [round(run["seconds"], 2) for run in runs],
        "median": _median([run["seconds"] for run in runs]),
        "mode": [run["mode"] for run in runs],
        "years": runs[-1].get("years"),
        "tables": runs[-1].get("tables"),
        "indicators_skipped": len(runs[-1].get("skipped") or ()),
        "written": [run["written"] for run in runs],
        "added_last_run": runs[-1]["added"],
    }


def run_nightly_job() -> dict:
    """Every nightly step, each in its own transaction; seconds per step and in total."""
    from django.db import transaction

    from org.jobs import nightly_steps

    steps = {}
    began = time.perf_counter()
    for step in nightly_steps():
        step_began = time.perf_counter()
        with transaction.atomic():
            step.func(None)
        steps[step.name] = round(time.perf_counter() - step_began, 3)
    return {"seconds": time.perf_counter() - began, "steps": steps}


# --- the floor ----------------------------------------------------------------------

CLOSURE = "JOIN org_orgunitclosure c ON c.descendant_id = {unit}"


def _additive(
    source: str, unit: str, owner: str, date: str, numerator: str, denominator: str, where: str = "TRUE"
) -> list[str]:
    """One statement per period kind: unit groups through the closure and person groups, aggregated."""
    statements = []
    for kind in ("month", "quarter", "year"):
        start = f"date_trunc('{kind}', {date})"
        statements.append(
            f"""
            SELECT COUNT(*), SUM(n), SUM(d) FROM (
                SELECT c.ancestor_id AS subject, {start} AS p, SUM({numerator}) AS n, SUM({denominator}) AS d
                FROM {source} {CLOSURE.format(unit=unit)}
                WHERE {where} GROUP BY c.ancestor_id, {start}
                UNION ALL
                SELECT {owner}, {start}, SUM({numerator}), SUM({denominator})
                FROM {source} WHERE {where} AND {owner} IS NOT NULL GROUP BY {owner}, {start}
            ) g
            """
        )
    return statements


def _case(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def floor_statements() -> dict[str, list[str]]:
    """Hand-written SQL per built-in indicator (DESIGN.md section 5), written apart from the engine."""
    lead = ("performance_lead f", "f.org_unit_id", "f.owner_id", "f.created_on")
    opp = ("performance_opportunity f", "f.org_unit_id", "f.owner_id", "f.closed_on")
    signed = ("performance_contract f", "f.org_unit_id", "f.owner_id", "f.signed_on")
    ending = ("performance_contract f", "f.org_unit_id", "f.owner_id", "f.end_on")
    renewed = "EXISTS (SELECT 1 FROM performance_contract r WHERE r.renews_id = f.id)"
    closed = "f.status IN ('won', 'lost') AND f.closed_on IS NOT NULL"
    nps = ("performance_customer cu JOIN performance_npsresponse f ON f.customer_id = cu.id", "cu.org_unit_id")
    usage = ("performance_customer cu JOIN performance_usage f ON f.customer_id = cu.id", "cu.org_unit_id")
    interviewed = (
        "COALESCE(f.interviewed_on, CASE WHEN f.stage IN ('interviewed', 'offered', 'hired') THEN f.applied_on END)"
    )
    statements = {
        "lead_conversion_rate": _additive(
            *lead, _case("f.is_qualified AND f.converted_on IS NOT NULL"), _case("f.is_qualified")
        ),
        "sales_cycle_days": _additive(*opp, "f.closed_on - f.created_on", "1", "f.status = 'won'"),
        "win_rate": _additive(*opp, _case("f.status = 'won'"), "1", closed),
        "key_account_win_rate": _additive(*opp, _case("f.status = 'won'"), "1", f"{closed} AND f.is_key_account"),
        "new_contract_value": _additive(*signed, "f.value", "1", "f.kind = 'new'"),
        "average_contract_value": _additive(*signed, "f.value", "1", "f.kind = 'new'"),
        "first_order_gross_margin": _additive(*signed, "f.gross_margin", "f.value", "f.kind = 'new'"),
        "upsell_share": _additive(
            *signed, "CASE WHEN f.kind IN ('upsell', 'cross_sell') THEN f.value ELSE 0 END", "f.value"
        ),
        "renewal_rate": _additive(*ending, _case(renewed), "1", "f.kind IN ('new', 'renewal')"),
        "first_year_renewal_rate": _additive(*ending, _case(renewed), "1", "f.kind = 'new'"),
        "nps": _additive(
            *nps, "cu.owner_id", "f.responded_on", "CASE WHEN f.score >= 9 THEN 1 WHEN f.score <= 6 THEN -1 END", "1"
        ),
        "product_usage_activity": _additive(*usage, "cu.owner_id", "f.month", "f.active_ratio", "1"),
        "new_customer_churn_rate": _additive(
            "performance_customer cu",
            "cu.org_unit_id",
            "cu.owner_id",
            "cu.acquired_on",
            _case("cu.churned_on - cu.acquired_on <= 365"),
            "1",
            "cu.acquired_on IS NOT NULL",
        ),
        "cross_dept_closure_days": _additive(
            "performance_projectaction f JOIN performance_customerprojectteam t ON t.id = f.team_id",
            "t.org_unit_id",
            "f.owner_id",
            "f.closed_on",
            "f.closed_on - f.opened_on",
            "1",
            "f.closed_on IS NOT NULL",
        ),
        "playbooks_captured": _additive("rollout_story f", "f.org_unit_id", "f.owner_id", "f.recorded_on", "1", "1"),
        "high_match_candidate_ratio": _additive(
            "talent_candidate f JOIN talent_candidatescore s ON s.candidate_id = f.id",
            "f.org_unit_id",
            "NULL::bigint",
            interviewed,
            _case("s.score >= 70"),
            "1",
            "s.profile_id = (SELECT MAX(p.id) FROM talent_successprofile p WHERE p.role = f.role)"
            f" AND {interviewed} IS NOT NULL",
        ),
    }
    # Existing customers at each period's start (acquired before it, not churned before it), and
    # whether they signed a renewal, upsell or cross-sell in it; periods from the first acquisition
    # to the last contract signed, as the engine covers them.
    repeat = []
    for kind in ("month", "quarter", "year"):
        step = {"month": "1 month", "quarter": "3 months", "year": "1 year"}[kind]
        repeat.append(
            f"""
            WITH periods AS MATERIALIZED (
                SELECT s::date AS period_start FROM generate_series(
                    (SELECT date_trunc('{kind}', MIN(acquired_on)) FROM performance_customer),
                    (SELECT MAX(signed_on) FROM performance_contract), interval '{step}') s
            ),
            bought AS MATERIALIZED (
                SELECT DISTINCT customer_id, date_trunc('{kind}', signed_on)::date AS period_start
                FROM performance_contract WHERE kind IN ('renewal', 'upsell', 'cross_sell')
            ),
            existing AS MATERIALIZED (
                SELECT cu.org_unit_id, cu.owner_id, p.period_start,
                       CASE WHEN b.customer_id IS NULL THEN 0 ELSE 1 END AS repeated
                FROM performance_customer cu
                JOIN periods p ON cu.acquired_on < p.period_start
                 AND (cu.churned_on IS NULL OR cu.churned_on >= p.period_start)
                LEFT JOIN bought b ON b.customer_id = cu.id AND b.period_start = p.period_start
            )
            SELECT COUNT(*), SUM(n), SUM(d) FROM (
                SELECT c.ancestor_id, e.period_start, SUM(e.repeated) AS n, COUNT(*) AS d
                FROM existing e JOIN org_orgunitclosure c ON c.descendant_id = e.org_unit_id
                GROUP BY c.ancestor_id, e.period_start
                UNION ALL
                SELECT e.owner_id, e.period_start, SUM(e.repeated), COUNT(*)
                FROM existing e WHERE e.owner_id IS NOT NULL GROUP BY e.owner_id, e.period_start
            ) g
            """
        )
    statements["repeat_purchase_rate"] = repeat
    return statements


def run_floor(statements: dict[str, list[str]]) -> dict:
    from django.db import connection, transaction

    from performance.engine import WORK_MEM

    seconds = {}
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # The same memory per sort and hash as the engine gets: the floor is not handicapped.
        cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
        for code, sqls in statements.items():
            code_began = time.perf_counter()
            for sql in sqls:
                cursor.execute(sql)
                cursor.fetchall()
            seconds[code] = round(time.perf_counter() - code_began, 3)
    return {"seconds": time.perf_counter() - began, "per_indicator": seconds}


# --- main ---------------------------------------------------------------------------


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-nightly", action="store_true", help="skip the whole nightly job")
    args = parser.parse_args()
    setup()

    from django.db import connection

    from performance.engine import registered_computations

    seeding = ensure_seeded(args.scale, args.seed)
    vendor = connection.vendor
    cold, warm, incremental, incremental_all, nightly, floor = [], [], [], [], [], []
    # Nightly steps may print (the console e-mail backend): keep stdout for the JSON document.
    with contextlib.redirect_stdout(sys.stderr):
        for _run in range(args.runs):
            # Interleaved, so that the other load on the machine weighs on all of them alike.
            cold.append(run_indicator_step(cold=True))
            warm.append(run_indicator_step(cold=False))
            added = add_one_day(_run)
            incremental.append({**run_incremental_step(), "added": added})
            added = add_one_day(_run, every_fact=True)
            incremental_all.append({**run_incremental_step(), "added": added})
            if not args.skip_nightly:
                nightly.append(run_nightly_job())
            if vendor == "postgresql":
                floor.append(run_floor(floor_statements()))

    floor_codes = set(floor_statements())
    document = {
        "database": vendor,
        "database_name": str(connection.settings_dict["NAME"]),
        "scale": args.scale,
        "seed": args.seed,
        "runs": args.runs,
        "seeding": seeding,
        "facts": fact_rows(),
        "indicators": sorted(registered_computations()),
        "indicator_step": {
            "cold": {
                "seconds": [round(run["seconds"], 2) for run in cold],
                "median": _median([run["seconds"] for run in cold]),
                "rows": cold[-1]["rows"],
                "written": [run["written"] for run in cold],
            },
            "warm": {
                "seconds": [round(run["seconds"], 2) for run in warm],
                "median": _median([run["seconds"] for run in warm]),
                "written": [run["written"] for run in warm],
                "deleted": [run.get("deleted") for run in warm],
            },
            "incremental_one_day": _incremental_summary(incremental),
            "incremental_one_day_every_fact": _incremental_summary(incremental_all),
            "phases_last_cold": cold[-1].get("phases"),
            "phases_last_warm": warm[-1].get("phases"),
        },
    }
    if nightly:
        document["nightly_job"] = {
            "seconds": [round(run["seconds"], 2) for run in nightly],
            "median": _median([run["seconds"] for run in nightly]),
            "steps_last_run": nightly[-1]["steps"],
        }
    if floor:
        floor_median = statistics.median(run["seconds"] for run in floor)
        document["floor"] = {
            "seconds": [round(run["seconds"], 2) for run in floor],
            "median": round(floor_median, 2),
            "statements": sum(len(sqls) for sqls in floor_statements().values()),
            "per_indicator_last_run": floor[-1]["per_indicator"],
            "missing": sorted(set(registered_computations()) - floor_codes),
        }
        document["ratio"] = {
            "cold_over_floor": round(statistics.median(run["seconds"] for run in cold) / floor_median, 2),
            "warm_over_floor": round(statistics.median(run["seconds"] for run in warm) / floor_median, 2),
        }
    document["peak_memory_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    document["peak_memory_kind"] = "ru_maxrss of the benchmark process (Python + Django + pandas), not the server"
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
