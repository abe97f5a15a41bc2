"""Rows per second of a 50,000-row ``people`` ingest on PostgreSQL.

Measures the ingest service the API and the import page call (parsing, validation,
reference resolution, the COPY + INSERT ... ON CONFLICT upsert, one transaction):

- ``first_load``: every row is new (the benchmark's people are deleted before each run);
- ``unchanged``: the same records again (nothing is written);
- ``update``: every row changed (a new name each run);
- ``csv_update``: the same as a CSV upload (adds CSV reading);
- ``api_json_update``: once through the DRF test client with a JSON body (adds request handling).

Usage: ``.venv/bin/python -m benchmarks.ingest [--rows 50000] [--runs 3]``; prints JSON.
``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/acquisition_hr_bench``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import statistics
import time

from benchmarks._django import setup

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


def as_csv(records: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


def delete_bench_people() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM org_person WHERE external_id LIKE %s", [PREFIX + "%"])
    vacuum()


def vacuum() -> None:
    """Clear dead row versions between runs so every run starts from the same table state."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE org_person")


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
    if not result.ok or (result.created, result.updated, result.unchanged) != (
        created,
        updated,
        rows - created - updated,
    ):
        raise SystemExit(f"unexpected ingest result: {result}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-api", action="store_true", help="do not measure the run through the API client")
    args = parser.parse_args()
    url = setup()

    from django.conf import settings
    from django.db import connection

    from org.ingest.service import ingest_file, ingest_records

    rows = args.rows
    if rows > settings.INGEST_MAX_ROWS:
        raise SystemExit(f"--rows may be at most INGEST_MAX_ROWS ({settings.INGEST_MAX_ROWS})")
    units = org_unit_records()
    result = ingest_records(dataset="org-units", records=units)
    if not result.ok:
        raise SystemExit(f"could not create the benchmark org units: {result.as_dict()}")
    teams = [unit["code"] for unit in units if unit["kind"] == "team"]

    first_load, unchanged, update, csv_update = [], [], [], []
    base = people_records(rows, "v0", teams)
    for _run in range(args.runs):
        delete_bench_people()
        seconds, result = timed(lambda: ingest_records(dataset="people", records=base))
        check(result, rows, created=rows, updated=0)
        first_load.append(seconds)
    for _run in range(args.runs):
        vacuum()
        seconds, result = timed(lambda: ingest_records(dataset="people", records=base))
        check(result, rows, created=0, updated=0)
        unchanged.append(seconds)
    for run in range(args.runs):
        records = people_records(rows, f"v{run + 1}", teams)
        vacuum()
        seconds, result = timed(lambda records=records: ingest_records(dataset="people", records=records))
        check(result, rows, created=0, updated=rows)
        update.append(seconds)
    for run in range(args.runs):
        data = as_csv(people_records(rows, f"csv{run}", teams))
        vacuum()
        seconds, result = timed(lambda data=data: ingest_file(dataset="people", data=data, filename="people.csv"))
        check(result, rows, created=0, updated=rows)
        csv_update.append(seconds)

    report = {
        "benchmark": "ingest people",
        "backend": connection.vendor,
        "server_version": connection.cursor().connection.info.server_version,
        "database": connection.settings_dict["NAME"],
        "rows": rows,
        "runs": args.runs,
        "first_load": summary(first_load, rows),
        "unchanged": summary(unchanged, rows),
        "update": summary(update, rows),
        "csv_update": summary(csv_update, rows),
    }
    if not args.skip_api:
        report["api_json_update"] = summary([api_update(rows, teams)], rows)
    print(json.dumps(report, indent=2))
    if url:
        delete_bench_people()


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
    vacuum()
    seconds, response = timed(
        lambda: client.post("/api/v1/ingest/people/", data=body, content_type="application/json", HTTP_HOST="localhost")
    )
    if response.status_code != 200 or response.json()["updated"] != rows:
        raise SystemExit(f"unexpected API answer: {response.status_code} {response.content[:500]!r}")
    return seconds


if __name__ == "__main__":
    main()
