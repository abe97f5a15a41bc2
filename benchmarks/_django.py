"""Set up Django for a benchmark against its own database (created and migrated if missing).

``DATABASE_URL`` picks the database; the default is ``acquisition_hr_bench`` on the local
PostgreSQL server. ``sqlite:///<path>`` works too (the file is created). A benchmark
writes and deletes rows, so it refuses databases whose name does not contain ``bench``
and never touches the test databases (``test_*``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/acquisition_hr_bench"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _check_name(name: str) -> None:
    base = Path(name).name
    if "bench" not in base or base.startswith("test_"):
        raise SystemExit(f"refusing to benchmark on database {name!r}: use a database whose name contains 'bench'")


def _ensure_postgresql_database(url: str) -> None:
    """Create the PostgreSQL database named by ``url`` when it does not exist yet."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(url)
    name = config["NAME"]
    _check_name(name)
    params = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup(*, migrate: bool = True) -> str:
    """Point Django at the benchmark database, create and migrate it; returns the database URL."""
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if url.startswith(("postgres://", "postgresql://")):
        _ensure_postgresql_database(url)
    elif url.startswith("sqlite:///"):
        _check_name(url.removeprefix("sqlite:///"))
    else:
        raise SystemExit("set DATABASE_URL to a postgres:// URL (or sqlite:///<file> for the embedded default)")
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acquisition_hr.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    return url
