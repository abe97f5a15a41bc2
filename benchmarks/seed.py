"""Seconds per step and row counts of ``seed_demo`` at one scale, on PostgreSQL.

Flushes the benchmark database's demo data, seeds the scale (demo steps in one
transaction, then the nightly recompute) and prints JSON: seconds per demo step and
per recompute step, totals, rows per table and the process's peak memory.

Usage: ``.venv/bin/python -m benchmarks.seed --scale small|medium|large [--seed 1]``.
``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/acquisition_hr_bench``.
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from benchmarks._django import setup


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-recompute", action="store_true", help="time the demo steps only")
    args = parser.parse_args()
    url = setup()

    from django.db import connection

    from org.demo import demo_flush, demo_is_empty, seed_demo

    began = time.perf_counter()
    flushed = demo_flush() if not demo_is_empty() else {}
    flush_seconds = time.perf_counter() - began

    began = time.perf_counter()
    report = seed_demo(scale=args.scale, seed=args.seed, recompute=not args.no_recompute)
    total = time.perf_counter() - began

    tables = [
        "org_orgunit",
        "org_orgunitclosure",
        "org_person",
        "performance_lead",
        "performance_opportunity",
        "performance_customer",
        "performance_contract",
        "performance_usage",
        "performance_npsresponse",
        "performance_acquisitioncost",
        "performance_indicatorvalue",
        "performance_customerltv",
        "performance_ltvcohort",
    ]
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            rows[table] = cursor.fetchone()[0]
    seed_seconds = sum(step["seconds"] for step in report["steps"])
    recompute_seconds = sum(step.get("seconds", 0.0) for step in report["recompute"])
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "database_name": connection.settings_dict["NAME"],
                "url_is_default": url.endswith("acquisition_hr_bench"),
                "scale": args.scale,
                "seed": args.seed,
                "flush_seconds": round(flush_seconds, 2),
                "flushed_rows": sum(flushed.values()),
                "seed_steps": {step["name"]: step["seconds"] for step in report["steps"]},
                "recompute_steps": {step["name"]: step.get("seconds") for step in report["recompute"]},
                "seed_seconds": round(seed_seconds, 2),
                "recompute_seconds": round(recompute_seconds, 2),
                "total_seconds": round(total, 2),
                "rows": rows,
                "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
