"""Benchmark: the durable task queue (django-tasks-db with runtime's heartbeat worker).

For SQLite and (where it can be had) PostgreSQL, with real `manage.py run_worker` processes:
- enqueue cost per task, beside the same no-op task run inline (django-tasks' immediate backend);
- enqueue-to-done latency, p50 and p99, of tasks enqueued one by one (worker polling every
  0.1 s and every 1 s, the default);
- tasks per second draining a backlog with one worker and with two.

    .venv/bin/python bench/tasks.py [--tasks 1000] [--sqlite-only]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def start_workers(count, interval):
    return [
        subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "run_worker",
                "--interval",
                str(interval),
                "--no-startup-delay",
                "-v",
                "0",
            ],
            cwd=ROOT,
            env=os.environ,
        )
        for _ in range(count)
    ]


def stop(workers):
    for process in workers:
        process.terminate()
    for process in workers:
        process.wait(timeout=30)


def wait_until_done(DBTaskResult, timeout=600):
    deadline = time.monotonic() + timeout
    while DBTaskResult.objects.exclude(status="SUCCESSFUL").exists():
        if time.monotonic() > deadline:
            raise SystemExit("the worker did not finish in time")
        time.sleep(0.05)


def worker(count):
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test.utils import override_settings
    from django_tasks_db.models import DBTaskResult

    from bench.queue_tasks import noop
    from runtime.models import WorkerHeartbeat

    call_command("migrate", verbosity=0)
    figures = {}

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    ):
        started = time.perf_counter()
        for _ in range(count):
            noop.enqueue()
        figures["inline_ms"] = (time.perf_counter() - started) * 1000 / count

    started = time.perf_counter()
    with transaction.atomic():
        for _ in range(count):
            noop.enqueue()
    figures["enqueue_ms"] = (time.perf_counter() - started) * 1000 / count

    for workers in (1, 2):
        DBTaskResult.objects.all().delete()
        processes = start_workers(workers, 0.1)
        while WorkerHeartbeat.objects.count() < workers:  # up and polling
            time.sleep(0.1)
        with transaction.atomic():
            for _ in range(count):
                noop.enqueue()
        started = time.perf_counter()
        wait_until_done(DBTaskResult)
        figures[f"drain_{workers}"] = count / (time.perf_counter() - started)
        stop(processes)

    for interval in (0.1, 1):
        DBTaskResult.objects.all().delete()
        processes = start_workers(1, interval)
        time.sleep(3)  # the worker is up and polling
        for _ in range(100):
            noop.enqueue()
            time.sleep(0.03)
        wait_until_done(DBTaskResult)
        stop(processes)
        latencies = [
            (row.finished_at - row.enqueued_at).total_seconds() * 1000
            for row in DBTaskResult.objects.all()
        ]
        figures[f"latency_{interval}"] = (
            statistics.median(latencies),
            percentile(latencies, 0.99),
        )
    print(json.dumps(figures))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.tasks)
        return
    from bench.harness import run_on_each_database

    results = run_on_each_database(Path(__file__), ["--tasks", str(args.tasks)], args.sqlite_only)
    for database, figures in results.items():
        print(f"\n{database}: {args.tasks} no-op tasks")
        inline, enqueue = figures["inline_ms"], figures["enqueue_ms"]
        print(f"  run inline (immediate backend): {inline:.3f} ms per task")
        print(f"  enqueue (durable): {enqueue:.3f} ms per task ({enqueue / inline:.1f}× inline)")
        for workers in (1, 2):
            print(
                f"  drain a backlog, {workers} worker(s): {figures[f'drain_{workers}']:.0f} tasks/s"
            )
        for interval in (0.1, 1):
            p50, p99 = figures[f"latency_{interval}"]
            print(
                f"  enqueue → done, worker polling every {interval:g} s: "
                f"p50 {p50:.0f} ms, p99 {p99:.0f} ms"
            )


if __name__ == "__main__":
    main()
