"""Rows per second of a 50,000-row ``people`` (and ``leads``) ingest.

Measures the ingest service the API and the import page call (parsing, validation,
bulk reference resolution, the COPY + INSERT ... ON CONFLICT upsert on PostgreSQL,
one transaction), in-process, median over ``--runs`` runs:

- ``first_load``: every row is new (the benchmark's rows are deleted before each run);
- ``unchanged``: the same records again (nothing is written; counts say unchanged);
- ``update``: every row changed (a new name or source each run);
- ``csv_update``: ``people`` only, the same as a CSV upload (adds CSV reading);
- ``api_json_update``: ``people`` only, once through ``POST /api/v1/ingest/people/`` with the
  DRF test client and a JSON body (adds request parsing, auth and the response).

Usage (prints JSON)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acq_bench .venv/bin/python benchmarks/ingest.py
    DATABASE_URL=sqlite:////tmp/acq_bench.sqlite3 .venv/bin/python benchmarks/ingest.py --runs 3

Options: ``--rows 50000 --runs 3 --skip-api --skip-leads``. The database is created and
migrated when missing; its name must contain ``bench``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import setup  # noqa: E402

PREFIX = "BENCH-"
ROLES = [
    "sales_rep",
    "account_manager",
    "solution_consultant",
    "presales",
    "customer_success",
    "marketing",
    "sales_manager",
    "other",
]
SOURCES = ["web", "event", "referral", "outbound", "partner"]


def org_unit_records() -> list[dict]:
    """A company with 4 business units, 5 regions each, 5 teams per region (100 teams)."""
    rows = [{"code": f"{PREFIX}CO", "name": "Bench company", "kind": "company", "parent": None}]
    for b in range(4):
        bu = f"{PREFIX}BU{b}"
        rows.append({"code": bu, "name": f"Bench BU {b}", "kind": "business_unit", "parent": f"{PREFIX}CO"})
        for r in range(5):
            region = f"{bu}-R{r}"
            rows.append({"code": region, "name": f"Bench region {b}.{r}", "kind": "region", "parent": bu})
            for t in range(5):
                rows.append(
                    {"code": f"{region}-T{t}", "name": f"Bench team {b}.{r}.{t}", "kind": "team", "parent": region}
                )
    return rows


def people_records(count: int, version: str, teams: list[str]) -> list[dict]:
    """``count`` people spread over the teams; ``version`` goes into every name (a new one changes all rows)."""
    start = dt.date(2015, 1, 1)
    records = []
    for i in range(count):
        hire = start + dt.timedelta(days=i % 3650)
        records.append(
            {
                "external_id": f"{PREFIX}{i:06d}",
                "name": f"Person {i} {version}",
                "email": f"person{i}@bench.example.com" if i % 4 else "",
                "org_unit": teams[i % len(teams)],
                "role": ROLES[i % len(ROLES)],
                "hire_date": hire.isoformat(),
                "exit_date": (hire + dt.timedelta(days=400)).isoformat() if i % 10 == 0 else None,
            }
        )
    return records


def lead_records(count: int, version: str, teams: list[str], owners: int) -> list[dict]:
    """``count`` leads over the teams, most with an owner among the benchmark's people."""
    start = dt.date(2024, 1, 1)
    records = []
    for i in range(count):
        created = start + dt.timedelta(days=i % 700)
        qualified = i % 3 != 0
        records.append(
            {
                "external_id": f"{PREFIX}L{i:07d}",
                "org_unit": teams[i % len(teams)],
                "owner": f"{PREFIX}{i % owners:06d}" if i % 5 else None,
                "created_on": created.isoformat(),
                "source": f"{SOURCES[i % len(SOURCES)]}-{version}",
                "is_qualified": qualified,
                "converted_on": (created + dt.timedelta(days=30)).isoformat() if qualified and i % 4 == 0 else None,
            }
        )
    return records


def as_csv(records: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def delete_bench_rows(table: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE external_id LIKE %s", [PREFIX + "%"])
    vacuum(table)


def vacuum(table: str) -> None:
    """Clear dead row versions between runs so every run starts from the same table state."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {table}")
        else:
            cursor.execute(f"ANALYZE {table}")


def timed(func) -> tuple[float, object]:
    started = time.perf_counter()
    result = func()
    return time.perf_counter() - started, result


def summary(seconds: list[float], rows: int) -> dict:
    median = statistics.median(seconds)
    return {
        "median_seconds": round(median, 3),
        "rows_per_second": round(rows / median),
        "runs_seconds": [round(s, 3) for s in seconds],
    }


def check(result, rows: int, *, created: int, updated: int) -> None:
    counts = (result.created, result.updated, result.unchanged)
    if not result.ok or counts != (created, updated, rows - created - updated):
        raise SystemExit(f"unexpected ingest result: {result}")


def measure(dataset: str, table: str, make_records, rows: int, runs: int) -> dict:
    """first_load / unchanged / update medians of one dataset through ``ingest_records``."""
    from org.ingest.service import ingest_records

    first_load, unchanged, update = [], [], []
    base = make_records("v0")
    for _run in range(runs):
        delete_bench_rows(table)
        seconds, result = timed(lambda: ingest_records(dataset=dataset, records=base))
        check(result, rows, created=rows, updated=0)
        first_load.append(seconds)
    for _run in range(runs):
        vacuum(table)
        seconds, result = timed(lambda: ingest_records(dataset=dataset, records=base))
        check(result, rows, created=0, updated=0)
        unchanged.append(seconds)
    for run in range(runs):
        records = make_records(f"v{run + 1}")
        vacuum(table)
        seconds, result = timed(lambda records=records: ingest_records(dataset=dataset, records=records))
        check(result, rows, created=0, updated=rows)
        update.append(seconds)
    return {
        "first_load": summary(first_load, rows),
        "unchanged": summary(unchanged, rows),
        "update": summary(update, rows),
    }


def csv_update(rows: int, runs: int, teams: list[str]) -> dict:
    from org.ingest.service import ingest_file

    seconds_list = []
    for run in range(runs):
        data = as_csv(people_records(rows, f"csv{run}", teams))
        vacuum("org_person")
        seconds, result = timed(lambda data=data: ingest_file(dataset="people", data=data, filename="people.csv"))
        check(result, rows, created=0, updated=rows)
        seconds_list.append(seconds)
    return summary(seconds_list, rows)


def api_update(rows: int, teams: list[str]) -> float:
    """One update of every row through ``POST /api/v1/ingest/people/`` (JSON encoded beforehand)."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    user, _created = get_user_model().objects.get_or_create(
        username="ingest-bench", defaults={"is_superuser": True, "is_staff": True}
    )
    client = APIClient()
    client.force_authenticate(user)
    body = json.dumps(people_records(rows, "api", teams))
    vacuum("org_person")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # WhiteNoise: no collected static files in a benchmark database
        seconds, response = timed(
            lambda: client.post(
                "/api/v1/ingest/people/", data=body, content_type="application/json", HTTP_HOST="localhost"
            )
        )
    if response.status_code != 200 or response.json()["updated"] != rows:
        raise SystemExit(f"unexpected API answer: {response.status_code} {response.content[:500]!r}")
    return seconds


def server_version(connection) -> str:
    if connection.vendor == "postgresql":
        return str(connection.cursor().connection.info.server_version)
    import sqlite3

    return sqlite3.sqlite_version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-api", action="store_true", help="do not measure the run through the API client")
    parser.add_argument("--skip-leads", action="store_true", help="measure people only")
    args = parser.parse_args()
    if args.runs < 1:
        raise SystemExit("--runs must be at least 1")
    setup()

    from django.conf import settings
    from django.db import connection

    from org.ingest.service import ingest_records

    rows = args.rows
    if rows > settings.INGEST_MAX_ROWS:
        raise SystemExit(f"--rows may be at most INGEST_MAX_ROWS ({settings.INGEST_MAX_ROWS})")
    units = org_unit_records()
    result = ingest_records(dataset="org-units", records=units)
    if not result.ok:
        raise SystemExit(f"could not create the benchmark org units: {result.as_dict()}")
    teams = [unit["code"] for unit in units if unit["kind"] == "team"]
    delete_bench_rows("performance_lead")  # leads own people; clear them before people are deleted

    report: dict = {
        "benchmark": "ingest",
        "backend": connection.vendor,
        "server_version": server_version(connection),
        "database": str(connection.settings_dict["NAME"]),
        "rows": rows,
        "runs": args.runs,
        "statistic": "median seconds over the runs; rows_per_second = rows / median",
    }
    report["people"] = measure(
        "people", "org_person", lambda version: people_records(rows, version, teams), rows, args.runs
    )
    report["people"]["csv_update"] = csv_update(rows, args.runs, teams)
    if not args.skip_api:
        report["people"]["api_json_update"] = summary([api_update(rows, teams)], rows)
    if not args.skip_leads:
        report["leads"] = measure(
            "leads",
            "performance_lead",
            lambda version: lead_records(rows, version, teams, owners=rows),
            rows,
            args.runs,
        )
        delete_bench_rows("performance_lead")
    print(json.dumps(report, indent=2))
    delete_bench_rows("org_person")


if __name__ == "__main__":
    main()
