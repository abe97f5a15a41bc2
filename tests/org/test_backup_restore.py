"""Backup and restore as the README documents it: ``pg_dump -Fc`` of a database holding data of every module,
``pg_restore`` into an empty one, and the restored copy holds the same rows in every table and needs no migration.

PostgreSQL only (the embedded SQLite default is backed up by copying its file). The source is this test's own
database: the test commits its rows (``transaction=True``, emptied again afterwards), so the migrated schema
with its built-in content is dumped as it is, without migrating and seeding another database first. The
restored copy is a database of its own, dropped afterwards.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from org.demo import demo_recompute
from performance.models import Contract, Customer, Lead
from tests.conftest import make_user
from tests.diagnosis.conftest import answers, build_questionnaire

BASE_DIR = Path(__file__).resolve().parents[2]
# Tables that must hold rows before the dump: facts, what the recompute makes of them, answers, built-in content.
FILLED = [
    "org_orgunit",
    "org_person",
    "performance_lead",
    "performance_contract",
    "performance_indicator",
    "performance_indicatorvalue",
    "diagnosis_answer",
    "enablement_journeymap",
    "talent_interviewquestion",
]

pytestmark = [
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump and pg_restore"),
    pytest.mark.django_db(transaction=True),
]


def _url(settings_dict: dict, name: str) -> str:
    user = settings_dict.get("USER") or "postgres"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{user}@{host}:{port}/{name}"


def _counts(url: str) -> dict[str, int]:
    """Rows per table of the public schema."""
    with psycopg.connect(url) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def _data_of_every_module(org_tree, people, hr_lead) -> None:
    """Facts, a recompute over them and a submitted self-check: rows in each app's tables."""
    from diagnosis.services import response_submit, round_open

    customer = Customer.objects.create(
        external_id="C1",
        name="Client 1",
        segment="enterprise",
        org_unit=org_tree["T1"],
        owner=people["P1"],
        acquired_on=dt.date(2026, 1, 5),
    )
    Lead.objects.bulk_create(
        Lead(
            external_id=f"L{index}",
            org_unit=org_tree["T1" if index % 2 else "T2"],
            owner=people["P1" if index % 2 else "P2"],
            created_on=dt.date(2026, 1, 1 + index),
            is_qualified=True,
            converted_on=dt.date(2026, 2, 1) if index % 3 == 0 else None,
        )
        for index in range(12)
    )
    Contract.objects.create(
        external_id="K1",
        customer=customer,
        org_unit=org_tree["T1"],
        owner=people["P1"],
        kind="new",
        signed_on=dt.date(2026, 1, 20),
        start_on=dt.date(2026, 2, 1),
        end_on=dt.date(2027, 1, 31),
        value=120000,
        gross_margin=30000,
    )
    demo_recompute()
    questionnaire = build_questionnaire()
    assessment_round = round_open(
        questionnaire=questionnaire,
        org_unit=org_tree["T1"],
        owner=hr_lead,
        respondents=[hr_lead, *(make_user(f"respondent{index}", "program_member") for index in (1, 2))],
        title="Q1 self-check",
        data_period_start=dt.date(2026, 1, 1),
        opened_at=timezone.now(),
    )
    response_submit(
        assessment_round=assessment_round, user=hr_lead, answers=answers(t1=4, t2=2, c1=3, s_lead=2, s_churn=1)
    )


def test_pg_dump_and_pg_restore_round_trip(org_tree, people, hr_lead):
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore with pg_dump concern PostgreSQL")
    settings_dict = connection.settings_dict
    source = settings_dict["NAME"]
    target = f"acq_backup_dst_{uuid.uuid4().hex[:8]}"
    admin = _url(settings_dict, "postgres")
    dump = Path(f"/tmp/{target}.dump")
    env = {
        **os.environ,
        "DATABASE_URL": _url(settings_dict, target).replace("postgresql://", "postgres://", 1),
        "DJANGO_SETTINGS_MODULE": "acquisition_hr.settings",
    }
    env.pop("REDIS_URL", None)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {target}")
    try:
        # given a migrated database with data of every module
        _data_of_every_module(org_tree, people, hr_lead)
        before = _counts(_url(settings_dict, source))
        assert {table: before[table] for table in FILLED if not before[table]} == {}
        # when it is dumped and restored into an empty database (the README's commands)
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), _url(settings_dict, source)], check=True)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", _url(settings_dict, target), str(dump)],
            check=True,
            env={**os.environ, "PGOPTIONS": "-c synchronous_commit=off"},  # a test copy: no fsync per table
        )
        # then the copy holds the same rows in every table and is at the same migration
        assert _counts(_url(settings_dict, target)) == before
        check = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check", "--noinput"],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        dump.unlink(missing_ok=True)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
