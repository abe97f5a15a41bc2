"""Backup and restore as the README documents it: ``pg_dump -Fc`` of a seeded database, ``pg_restore`` into
an empty one, and the restored copy holds the same rows and needs no migration.

PostgreSQL only (the embedded SQLite default is backed up by copying its file). Uses two databases of its
own next to the test database, dropped afterwards.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

BASE_DIR = Path(__file__).resolve().parents[2]
TABLES = [
    "org_orgunit",
    "org_person",
    "performance_lead",
    "performance_contract",
    "performance_indicatorvalue",
    "diagnosis_answer",
    "enablement_behaviourobservation",
    "rollout_program",
]

pytestmark = pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs pg_dump and pg_restore")


def _url(settings_dict: dict, name: str) -> str:
    user = settings_dict.get("USER") or "postgres"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{user}@{host}:{port}/{name}"


def _counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in TABLES}


def test_pg_dump_and_pg_restore_round_trip(db):
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore with pg_dump concern PostgreSQL")
    settings_dict = connection.settings_dict
    suffix = uuid.uuid4().hex[:8]
    source, target = f"acq_backup_src_{suffix}", f"acq_backup_dst_{suffix}"
    admin = _url(settings_dict, "postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {source}")
        conn.execute(f"CREATE DATABASE {target}")
    dump = Path(f"/tmp/{source}.dump")
    env = {
        **os.environ,
        "DATABASE_URL": _url(settings_dict, source).replace("postgresql://", "postgres://", 1),
        "DJANGO_SETTINGS_MODULE": "acquisition_hr.settings",
    }
    env.pop("REDIS_URL", None)  # tasks in-process
    manage = [sys.executable, "manage.py"]
    try:
        # given a migrated database with the small demo
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], cwd=BASE_DIR, env=env, check=True)
        subprocess.run(
            [*manage, "seed_demo", "--scale", "small", "--seed", "1"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            capture_output=True,
        )
        before = _counts(_url(settings_dict, source))
        assert all(before.values()), before
        # when it is dumped and restored into an empty database (the README's two commands)
        subprocess.run(["pg_dump", "-Fc", "-f", str(dump), _url(settings_dict, source)], check=True)
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", _url(settings_dict, target), str(dump)], check=True
        )
        # then the copy holds the same rows and is at the same migration
        assert _counts(_url(settings_dict, target)) == before
        env["DATABASE_URL"] = _url(settings_dict, target).replace("postgresql://", "postgres://", 1)
        check = subprocess.run(
            [*manage, "migrate", "--check", "--noinput"], cwd=BASE_DIR, env=env, capture_output=True, text=True
        )
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        dump.unlink(missing_ok=True)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {source} WITH (FORCE)")
            conn.execute(f"DROP DATABASE IF EXISTS {target} WITH (FORCE)")
