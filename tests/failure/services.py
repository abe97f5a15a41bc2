"""Throwaway PostgreSQL and Redis servers that a test may stop, kill and start again.

Never the machine's shared servers: each lives on a free port, PostgreSQL in a cluster made by ``initdb`` in a
temporary folder. PostgreSQL refuses to run as root, so as root its programs run as the ``postgres`` user.
Used by the fixtures in ``conftest.py`` and by the scenario script (``scenario.py``), which gets the cluster's
folder and port through the environment (``ThrowawayPostgres.from_environment``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PG_USER = "postgres"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def missing_programs() -> str:
    """Why the throwaway servers cannot run here ('' when they can)."""
    needed = [PG_BIN / name for name in ("initdb", "pg_ctl", "postgres")] + [Path(REDIS_SERVER)]
    missing = [str(path) for path in needed if not os.access(path, os.X_OK)]
    if os.geteuid() == 0 and not shutil.which("runuser"):
        missing.append("runuser (to run PostgreSQL as the postgres user)")
    if missing:
        return "needs " + ", ".join(missing)
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam(PG_USER)
        except KeyError:
            return f"running as root needs a '{PG_USER}' user to run PostgreSQL"
    return ""


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", PG_USER, "--", *command] if os.geteuid() == 0 else command


class ThrowawayPostgres:
    """A PostgreSQL cluster in ``root`` on ``port``: trust authentication for ``postgres`` over TCP."""

    ENV_DIR, ENV_PORT = "FAILURE_PG_DIR", "FAILURE_PG_PORT"

    def __init__(self, root: Path, port: int):
        self.root, self.port = Path(root), port
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"

    @classmethod
    def create(cls) -> ThrowawayPostgres:
        root = Path(tempfile.mkdtemp(prefix="failure-pg-"))
        if os.geteuid() == 0:
            shutil.chown(root, user=PG_USER)
        cluster = cls(root, free_port())
        cls._run(
            cluster,
            [str(PG_BIN / "initdb"), "-D", str(cluster.data), "-A", "trust", "-U", "postgres", "-E", "UTF8"]
            + ["--no-sync", "--no-instructions", "--locale", "C"],
        )
        return cluster

    @classmethod
    def from_environment(cls) -> ThrowawayPostgres:
        return cls(Path(os.environ[cls.ENV_DIR]), int(os.environ[cls.ENV_PORT]))

    def environment(self) -> dict[str, str]:
        return {self.ENV_DIR: str(self.root), self.ENV_PORT: str(self.port)}

    def _run(self, command: list[str]) -> None:
        done = subprocess.run(_as_postgres(command), capture_output=True, text=True, timeout=60, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}\n{self._log_tail()}")

    def _log_tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            # No fsync (nothing here must survive the machine), but every commit is in the WAL before it returns:
            # a test that kills PostgreSQL checks that committed work survives.
            "-c fsync=off -c full_page_writes=off -c max_connections=30"
        )
        self._run(
            [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60"]
            + ["start"]
        )

    def stop(self, mode: str = "fast") -> None:
        """``fast``: disconnect everyone and shut down; ``immediate``: die as in a crash (recovery at start)."""
        self._run([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"])

    def is_running(self) -> bool:
        done = subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "status"]), capture_output=True, check=False
        )
        return done.returncode == 0

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, sql: str, database: str = "postgres") -> list[tuple]:
        """Run one statement outside a transaction (CREATE DATABASE may not run in one); its rows."""
        import psycopg

        with psycopg.connect(self.url(database).replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []

    def destroy(self) -> None:
        if self.data.exists() and self.is_running():
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class ThrowawayRedis:
    """A redis-server on a free port, in memory only, run as a child process."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
            + ["--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        """Kill it as a crash would (SIGKILL): connections drop, the data is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None
