"""Latency (p50/p95/p99) and throughput of three read paths under concurrent clients, against gunicorn.

Starts gunicorn on a free loopback port with the production settings (``acquisition_hr.production``,
DEBUG off, a random SECRET_KEY; plain http allowed on loopback: ``SECURE_SSL_REDIRECT=0``,
``SECURE_COOKIES=0``) and measures, one endpoint after the other, ``--requests`` requests each from
``--clients`` concurrent clients (threads with ``http.client``, one new connection per request unless
``--keep-alive``):

- ``dashboard``: ``GET /performance/dashboard/<root unit>/``, the KPI dashboard page of the whole
  company, as the demo HR lead ``hr`` with a session cookie from a real login;
- ``indicator_values``: ``GET /api/v1/indicator-values/?page_size=1000&period=month``, one page of
  1,000 rows (and its count), with a read token of the demo integrator;
- ``radar``: ``GET /api/v1/org-units/<root unit>/radar/``, with the same token.

Before timing, every endpoint gets ``--warmup`` requests (not counted); after it, ``--single-client``
requests from one client give ``single_client_p50_ms``, the latency without queueing. A request
counts as an error when the answer is not 200 (or the connection fails); its latency still counts,
and the tail of gunicorn's log goes to stderr. Prints one JSON
document: per endpoint ``p50_ms``, ``p95_ms``, ``p99_ms``, ``mean_ms``, ``max_ms``,
``throughput_rps`` (requests / wall seconds of the timed run), ``errors``, ``requests``; plus the
gunicorn workers and threads, the scale, the rows of ``performance_indicatorvalue``, the
machine's cores and its load average before and after. The load generator runs on the same
machine as gunicorn and PostgreSQL and takes a share of its cores: read the numbers as a floor
for a dedicated server, and compare runs only at a similar load average.

Data: the demo company (``manage.py seed_demo --scale <scale> --seed <seed>``) is seeded when the
database is empty; a marker table (``bench_api_load_marker``) records what was seeded, and a
database holding another scale or seed is flushed and seeded again. The read token is created for
the run and deleted at the end; gunicorn is stopped (its whole process group) on every exit.

Usage::

    .venv/bin/python benchmarks/api_load.py                       # small, 500 requests, 20 clients
    .venv/bin/python benchmarks/api_load.py --scale medium --requests 2000 --workers 5 --threads 4

``DATABASE_URL`` defaults to ``postgres://postgres@127.0.0.1:5432/acq_bench_api`` (created and
migrated when missing; the name must contain ``bench``). ``REDIS_URL``, when set, is passed on to
gunicorn (Redis cache for the throttles, as in service mode); otherwise each worker has a local
cache. The per-user API throttle is raised for the run (``THROTTLE_USER``) so that the load is
not answered with 429s. The demo password is ``DEMO_PASSWORD`` or the documented default.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import PROJECT_ROOT, setup  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/acq_bench_api"
MARKER = "bench_api_load_marker"
HOST = "127.0.0.1"
TOKEN_NAME = "benchmarks/api_load.py"


# --- data: seed, token, session -------------------------------------------------------------


def _marker(cursor) -> tuple[str, int] | None:
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (scale varchar(16), seed integer, seeded_at timestamptz)")
    cursor.execute(f"SELECT scale, seed FROM {MARKER}")
    row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def ensure_seeded(scale: str, seed: int) -> dict:
    """Seed the demo at ``scale``/``seed`` when the database is empty or holds something else."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from org.demo import demo_is_empty

    with connection.cursor() as cursor:
        marker = _marker(cursor)
    empty = demo_is_empty()
    if not empty and marker == (scale, seed):
        return {"seeded": False}
    began = time.perf_counter()
    options = {"scale": scale, "seed": seed}
    # seed_demo --if-empty on an empty database; --flush when it holds another scale or seed.
    options.update({"if_empty": True} if empty else {"flush": True})
    with contextlib.redirect_stdout(sys.stderr):
        call_command("seed_demo", stdout=sys.stderr, **options)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {MARKER}")
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s, now())", [scale, seed])
    return {"seeded": True, "flushed_first": not empty, "seconds": round(time.perf_counter() - began, 1)}


def read_token() -> tuple[int, str]:
    """A read-scope token of the demo integrator (who sees every unit), for this run only."""
    from django.contrib.auth import get_user_model

    from org.choices import TokenScope
    from org.services import api_token_create

    user = get_user_model().objects.get(username="integrator")
    token, key = api_token_create(user=user, scope=TokenScope.READ, name=TOKEN_NAME)
    return token.pk, key


def token_delete(token_id: int) -> None:
    from org.models import ApiToken

    ApiToken.objects.filter(pk=token_id).delete()


def table_rows(tables: list[str]) -> dict[str, int]:
    from django.db import connection

    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            rows[table] = cursor.fetchone()[0]
    return rows


def root_unit_code() -> str:
    from org.models import OrgUnit

    root = OrgUnit.objects.filter(parent__isnull=True).order_by("code").first()
    if root is None:
        raise SystemExit("the database has no org unit: seeding failed?")
    return root.code


def postgres_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def session_login(port: int, username: str, password: str) -> str:
    """Log in through the login form (CSRF cookie and token, then the POST); returns the Cookie header."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", "/accounts/login/")
        response = connection.getresponse()
        page = response.read().decode()
        cookies = _cookies(response)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if response.status != 200 or not match or "csrftoken" not in cookies:
            raise SystemExit(f"login page: HTTP {response.status}, no CSRF token")
        body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)})
        connection.request(
            "POST",
            "/accounts/login/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookies['csrftoken']}",
                "Referer": f"http://{HOST}:{port}/accounts/login/",
            },
        )
        response = connection.getresponse()
        response.read()
        session = _cookies(response).get("sessionid")
        if response.status != 302 or not session:
            raise SystemExit(f"login as {username!r} failed (HTTP {response.status}): is DEMO_PASSWORD right?")
        return f"sessionid={session}"
    finally:
        connection.close()


# --- gunicorn ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def gunicorn_command(port: int, workers: int, threads: int) -> list[str]:
    script = Path(sys.executable).parent / "gunicorn"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]
    return command + [
        "acquisition_hr.wsgi",
        "-b",
        f"{HOST}:{port}",
        "-w",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--timeout",
        "120",
        "--log-level",
        "warning",
        "--chdir",
        str(PROJECT_ROOT),
    ]


def gunicorn_environment(database_url: str) -> dict[str, str]:
    """Production settings with DEBUG off; plain http on loopback; no 429s from the per-user throttle."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "acquisition_hr.production",
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            # No collectstatic manifest is needed: the benchmark loads pages, not their assets.
            "STATIC_PLAIN": "1",
            "THROTTLE_USER": "100000000/hour",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


@contextlib.contextmanager
def gunicorn(*, port: int, workers: int, threads: int, database_url: str, log_path: Path):
    """Run gunicorn in its own process group; on exit stop the whole group (TERM, then KILL)."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            gunicorn_command(port, workers, threads),
            cwd=PROJECT_ROOT,
            env=gunicorn_environment(database_url),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_serving(process, port, log_path)
        yield process
    finally:
        _stop_group(process)


def _wait_until_serving(process: subprocess.Popen, port: int, log_path: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}:\n{log_path.read_text()[-4000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/accounts/login/")
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return
            raise SystemExit(f"gunicorn answers the login page with HTTP {status}:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout} s:\n{log_path.read_text()[-4000:]}")


def _stop_group(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


# --- load ---------------------------------------------------------------------------------------


# Set when the run is interrupted, so that the client threads stop and gunicorn can be stopped at once.
stopping = threading.Event()


@dataclass
class Endpoint:
    """One read path under load: its URL, its credentials, and what came back."""

    name: str
    path: str
    headers: dict[str, str]
    auth: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _one_request(port: int, endpoint: Endpoint, connection: http.client.HTTPConnection | None, keep_alive: bool):
    """Send one GET; returns (seconds, status or None, body prefix, the connection to reuse)."""
    headers = dict(endpoint.headers)
    if not keep_alive:
        headers["Connection"] = "close"
    began = time.perf_counter()
    try:
        if connection is None:
            connection = http.client.HTTPConnection(HOST, port, timeout=120)
        connection.request("GET", endpoint.path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        status = response.status
        if not keep_alive or response.will_close:
            connection.close()
            connection = None
        return time.perf_counter() - began, status, body[:200], connection
    except (OSError, http.client.HTTPException) as exc:
        if connection is not None:
            connection.close()
        return time.perf_counter() - began, None, repr(exc).encode(), None


def run_load(port: int, endpoint: Endpoint, *, requests: int, clients: int, keep_alive: bool, record: bool) -> None:
    """``requests`` GETs shared by ``clients`` threads, as fast as the server answers."""
    lock = threading.Lock()
    issued = 0

    def client() -> None:
        nonlocal issued
        connection = None
        while not stopping.is_set():
            with lock:
                if issued >= requests:
                    break
                issued += 1
            seconds, status, body, connection = _one_request(port, endpoint, connection, keep_alive)
            if not record:
                continue
            with lock:
                endpoint.latencies.append(seconds)
                if status != 200:
                    endpoint.errors += 1
                    if len(endpoint.error_samples) < 3:
                        endpoint.error_samples.append(f"{status}: {body.decode(errors='replace')[:120]}")
        if connection is not None:
            connection.close()

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        try:
            for future in [pool.submit(client) for _ in range(clients)]:
                future.result()
        except BaseException:
            stopping.set()  # Ctrl-C or SIGTERM: the clients finish their request in flight and stop
            raise
    if record:
        endpoint.seconds = time.perf_counter() - began


def check_answers(port: int, endpoints: list[Endpoint]) -> dict:
    """One request each before the load: the status, and that the answer is what the benchmark means."""
    seen = {}
    for endpoint in endpoints:
        connection = http.client.HTTPConnection(HOST, port, timeout=120)
        connection.request("GET", endpoint.path, headers=endpoint.headers)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        if response.status != 200:
            raise SystemExit(f"{endpoint.name}: HTTP {response.status} for {endpoint.path}: {body[:300]!r}")
        if endpoint.name == "indicator_values":
            data = json.loads(body)
            seen[endpoint.name] = {"rows_per_page": len(data["results"]), "count": data["count"]}
        elif endpoint.name == "radar":
            data = json.loads(body)
            seen[endpoint.name] = {"org_unit": data["org_unit"], "from_snapshot": data.get("from_snapshot")}
        else:
            seen[endpoint.name] = {"bytes": len(body)}
    return seen


def percentile(ordered: list[float], share: float) -> float:
    """The ``share`` (0..1) percentile of sorted values, linear between the closest ranks (numpy's default)."""
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(endpoint: Endpoint) -> dict:
    ordered = sorted(endpoint.latencies)
    count = len(ordered)
    return {
        "path": endpoint.path,
        "auth": endpoint.auth,
        "requests": count,
        "errors": endpoint.errors,
        "p50_ms": round(percentile(ordered, 0.50) * 1000, 1),
        "p95_ms": round(percentile(ordered, 0.95) * 1000, 1),
        "p99_ms": round(percentile(ordered, 0.99) * 1000, 1),
        "mean_ms": round(sum(ordered) / count * 1000, 1) if count else None,
        "max_ms": round(ordered[-1] * 1000, 1) if count else None,
        "throughput_rps": round(count / endpoint.seconds, 1) if endpoint.seconds else None,
        "wall_seconds": round(endpoint.seconds, 2),
        **({"error_samples": endpoint.error_samples} if endpoint.error_samples else {}),
    }


# --- main -----------------------------------------------------------------------------------------


def _terminate_on_sigterm() -> None:
    """SIGTERM ends the run through the normal exit path, so gunicorn is stopped by the finally blocks."""

    def stop(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def main() -> None:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=500, help="timed requests per endpoint")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--warmup", type=int, default=40, help="untimed requests per endpoint first")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread when > 1)")
    parser.add_argument("--keep-alive", action="store_true", help="reuse one connection per client")
    parser.add_argument(
        "--single-client", type=int, default=20, help="then this many requests from one client (0: skip)"
    )
    parser.add_argument("--only", nargs="*", choices=["dashboard", "indicator_values", "radar"], help="endpoints")
    args = parser.parse_args()
    if args.requests < 1 or args.clients < 1 or args.workers < 1 or args.threads < 1:
        parser.error("--requests, --clients, --workers and --threads must be at least 1")

    _terminate_on_sigterm()
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    database_url = setup()
    from django.db import connection

    from org.demo import demo_password

    seeding = ensure_seeded(args.scale, args.seed)
    root = root_unit_code()
    rows = table_rows(["performance_indicatorvalue", "org_orgunit", "org_person"])
    database = {"vendor": connection.vendor, "name": str(connection.settings_dict["NAME"])}
    if connection.vendor == "postgresql":
        database["server_version"] = postgres_version()
    token_id, key = read_token()
    connection.close()  # the server's workers get the database to themselves

    port = free_port()
    results, checks = {}, {}
    load_before = [round(value, 2) for value in os.getloadavg()]
    try:
        with (
            tempfile.TemporaryDirectory(prefix="api_load_") as scratch,
            gunicorn(
                port=port,
                workers=args.workers,
                threads=args.threads,
                database_url=database_url,
                log_path=Path(scratch) / "gunicorn.log",
            ),
        ):
            session = session_login(port, "hr", demo_password())
            token = {"Authorization": f"Token {key}", "Accept": "application/json"}
            endpoints = [
                Endpoint("dashboard", f"/performance/dashboard/{root}/", {"Cookie": session}, "session (hr)"),
                Endpoint(
                    "indicator_values",
                    "/api/v1/indicator-values/?page_size=1000&period=month",
                    token,
                    "read token (integrator)",
                ),
                Endpoint("radar", f"/api/v1/org-units/{root}/radar/", token, "read token (integrator)"),
            ]
            if args.only:
                endpoints = [endpoint for endpoint in endpoints if endpoint.name in args.only]
            checks = check_answers(port, endpoints)
            for endpoint in endpoints:
                load = {"clients": args.clients, "keep_alive": args.keep_alive}
                run_load(port, endpoint, requests=args.warmup, record=False, **load)
                run_load(port, endpoint, requests=args.requests, record=True, **load)
                results[endpoint.name] = {**summary(endpoint), **checks.get(endpoint.name, {})}
                if args.single_client:
                    # The same request with nobody else queueing: roughly the server's time per request.
                    alone = Endpoint(endpoint.name, endpoint.path, endpoint.headers, endpoint.auth)
                    run_load(port, alone, requests=args.single_client, clients=1, keep_alive=False, record=True)
                    results[endpoint.name]["single_client_p50_ms"] = summary(alone)["p50_ms"]
            if any(endpoint.errors for endpoint in endpoints):
                # The server's own account of the errors, before its log goes with the scratch folder.
                log = (Path(scratch) / "gunicorn.log").read_text(errors="replace")
                sys.stderr.write(f"--- gunicorn log (last 20,000 characters) ---\n{log[-20000:]}\n")
    finally:
        token_delete(token_id)
        connection.close()

    document = {
        "benchmark": "api_load",
        "server": {
            "gunicorn_workers": args.workers,
            "gunicorn_threads": args.threads,
            "worker_class": "gthread" if args.threads > 1 else "sync",
            "settings": "acquisition_hr.production",
            "debug": False,
            "cache": "redis" if os.environ.get("REDIS_URL") else "local memory (per worker)",
        },
        "load": {
            "clients": args.clients,
            "requests_per_endpoint": args.requests,
            "warmup_per_endpoint": args.warmup,
            "keep_alive": args.keep_alive,
            "generator": "threads with http.client on the same machine",
        },
        "machine": {
            "cores": cores,
            "python": sys.version.split()[0],
            # Other work on the machine (other benchmarks, test suites) shows here and in the numbers.
            "load_average_1_5_15_min_before": load_before,
            "load_average_1_5_15_min_after": [round(value, 2) for value in os.getloadavg()],
        },
        "database": database,
        "scale": args.scale,
        "seed": args.seed,
        "seeding": seeding,
        "root_unit": root,
        "rows": rows,
        "endpoints": results,
    }
    print(json.dumps(document, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
