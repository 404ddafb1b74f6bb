"""Run a benchmark's worker once per database: SQLite always, PostgreSQL where it can be had.

Each worker runs in its own process with DATABASE_URL set, migrates an empty database and
prints its figures as one JSON line, which is returned here per database.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.throwaway_postgres import available, throwaway_postgres

ROOT = Path(__file__).resolve().parent.parent


def run_worker(script, database_url, worker_args):
    output = subprocess.run(
        [sys.executable, str(script), "--worker", *worker_args],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def run_on_each_database(script, worker_args, sqlite_only=False):
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        results["SQLite"] = run_worker(script, f"sqlite:///{tmp}/bench.sqlite3", worker_args)
    if sqlite_only:
        print("PostgreSQL: skipped (--sqlite-only)")
    elif os.environ.get("BENCH_POSTGRES_URL"):
        results["PostgreSQL"] = run_worker(script, os.environ["BENCH_POSTGRES_URL"], worker_args)
    elif available():
        with throwaway_postgres() as url:
            results["PostgreSQL"] = run_worker(script, url, worker_args)
    else:
        print("PostgreSQL: skipped (not root or no Debian postgresql; set BENCH_POSTGRES_URL)")
    return results
