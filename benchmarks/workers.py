"""Seconds of one whole recompute job run by one and by two Celery workers on Redis, at a demo scale.

Uses the benchmark database of ``benchmarks/recompute.py`` (seeded there, or here when empty), starts
``N`` worker processes (``--pool solo``, one task at a time each) on a queue of its own, asks for a full
rebuild through ``job_start_recompute(full=True)`` and waits for the job; then the same with the next
worker count. Prints one JSON document: per worker count the job seconds per run and the median, the
seconds of the fanned-out indicator step, how the indicator parts were spread over the workers, and the
peak resident memory of each worker process (from ``/proc/<pid>/status`` VmHWM, sampled at the end).

Usage::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/acq_bench_rc REDIS_URL=redis://127.0.0.1:6379/11 \\
        .venv/bin/python benchmarks/workers.py --scale large --runs 2 --workers 1 2
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks._django import setup  # noqa: E402

BASE_DIR = Path(__file__).resolve().parent.parent


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def _start_workers(count: int, queue: str) -> list[subprocess.Popen]:
    env = {**os.environ, "CELERY_QUEUE": queue, "DJANGO_SETTINGS_MODULE": "acquisition_hr.settings"}
    celery = Path(sys.executable).with_name("celery")
    return [
        subprocess.Popen(
            [
                str(celery),
                "-A",
                "acquisition_hr",
                "worker",
                "-Q",
                queue,
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-l",
                "warning",
                "-n",
                f"bench{index}-{queue}@%h",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for index in range(count)
    ]


def run_job(timeout: float) -> dict:
    from org.jobs import job_start_recompute
    from org.models import JobTask

    job, created = job_start_recompute(trigger="benchmark", full=True)
    if not created:
        raise RuntimeError(f"a recompute is already active: job {job.pk}")
    began = time.perf_counter()
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.status in {"succeeded", "failed"}:
            break
        if time.monotonic() > deadline:
            raise RuntimeError(f"job {job.pk} did not finish in {timeout} s")
        time.sleep(0.5)
    seconds = time.perf_counter() - began
    if job.status != "succeeded":
        raise RuntimeError(job.error)
    step = next(step for step in job.steps if step["name"] == "indicator_values")
    spread: dict[str, int] = {}
    for worker in JobTask.objects.filter(job=job, step="indicator_values").values_list("worker", flat=True):
        name = worker.split("@")[0]
        spread[name] = spread.get(name, 0) + 1
    return {
        "job": job.pk,
        "seconds": round(seconds, 2),
        "indicator_step_seconds": step.get("seconds"),
        "steps": {s["name"]: s.get("seconds") for s in job.steps},
        "parts_per_worker": spread,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium", choices=["small", "medium", "large"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("set REDIS_URL: the workers need a broker")
    setup()
    from acquisition_hr.celery import app as celery_app
    from benchmarks.recompute import ensure_seeded

    seeding = ensure_seeded(args.scale, args.seed)
    document = {"scale": args.scale, "seed": args.seed, "seeding": seeding, "cores": os.cpu_count(), "runs": {}}
    for count in args.workers:
        queue = f"bench-{uuid.uuid4().hex[:10]}"
        celery_app.conf.task_default_queue = queue
        workers = _start_workers(count, queue)
        try:
            time.sleep(6)  # let the workers connect
            runs = []
            for _run in range(args.runs):
                runs.append(run_job(args.timeout))
            peaks = [_peak_rss_mb(worker.pid) for worker in workers]
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
        document["runs"][str(count)] = {
            "job_seconds": [run["seconds"] for run in runs],
            "median": round(statistics.median(run["seconds"] for run in runs), 2),
            "indicator_step_seconds": [run["indicator_step_seconds"] for run in runs],
            "parts_per_worker_last_run": runs[-1]["parts_per_worker"],
            "steps_last_run": runs[-1]["steps"],
            "worker_peak_rss_mb": peaks,
        }
    counts = [str(count) for count in args.workers]
    if len(counts) >= 2:
        document["speedup"] = round(document["runs"][counts[0]]["median"] / document["runs"][counts[-1]]["median"], 2)
    print(json.dumps(document, indent=2))


if __name__ == "__main__":
    main()
