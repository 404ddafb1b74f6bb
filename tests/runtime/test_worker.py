"""The durable queue with real worker and scheduler processes: nothing enqueued is lost, nothing
is run twice, and of several schedulers only one hands each run on.

The worker and the enqueuing run as separate `manage.py` processes on one SQLite file (the
demo's set-up), so what is proved is what survives a process, not an in-memory queue.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from runtime import schedule
from runtime import worker as worker_module

ROOT = Path(__file__).resolve().parents[2]
SILENT_SECONDS = 2
TABLE = "django_tasks_database_dbtaskresult"


@pytest.fixture(scope="module")
def queue(tmp_path_factory):
    folder = tmp_path_factory.mktemp("queue")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MARK_FILE": str(folder / "marks.txt"),
        "TASK_WORKER_SILENT_SECONDS": str(SILENT_SECONDS),
        "DEBUG": "0",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    return Queue(folder, env)


class Queue:
    def __init__(self, folder, env):
        self.folder, self.env = folder, env
        self.marks_file = folder / "marks.txt"

    def reset(self):
        self.marks_file.unlink(missing_ok=True)
        with self.db() as db:
            db.execute(f"DELETE FROM {TABLE}")

    def db(self):
        return sqlite3.connect(self.folder / "db.sqlite3", timeout=20)

    def enqueue(self, *calls):
        """Enqueue from a process of its own, as a request would."""
        code = "from tests.runtime import worker_tasks as t\n" + "\n".join(
            f"t.{name}.enqueue(*{args!r})" for name, args in calls
        )
        self.manage("shell", "-c", code)

    def manage(self, *args, **kwargs):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            **kwargs,
        )

    def start_worker(self):
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def tasks(self):
        with self.db() as db:
            return db.execute(f"SELECT status, worker_ids, traceback FROM {TABLE}").fetchall()

    def marks(self):
        return self.marks_file.read_text("utf-8").split() if self.marks_file.exists() else []

    def wait_for(self, condition, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"timed out; tasks: {self.tasks()}, marks: {self.marks()}")


def stop(worker):
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)


def test_tasks_enqueued_while_no_worker_runs_are_done_once_one_starts(queue):
    queue.reset()
    queue.enqueue(("mark", ("a",)), ("mark", ("b",)), ("mark", ("c",)))
    time.sleep(1)
    assert queue.marks() == []  # queued, waiting
    queue.manage("run_worker", "--batch", "--interval", "0", "--no-startup-delay", timeout=120)
    assert sorted(queue.marks()) == ["a", "b", "c"]
    assert {status for status, *_ in queue.tasks()} == {"SUCCESSFUL"}


def test_a_task_cut_off_by_a_killed_worker_is_run_again_by_the_next(queue):
    queue.reset()
    queue.enqueue(("mark", ("slow", 4)))
    first = queue.start_worker()
    queue.wait_for(lambda: [status for status, *_ in queue.tasks()] == ["RUNNING"])
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert queue.marks() == []
    assert [status for status, *_ in queue.tasks()] == ["RUNNING"]  # as the dead worker left it

    second = queue.start_worker()
    try:
        queue.wait_for(lambda: [status for status, *_ in queue.tasks()] == ["SUCCESSFUL"])
    finally:
        stop(second)
    assert queue.marks() == ["slow"]  # run to the end once
    [(_, worker_ids, _)] = queue.tasks()
    assert len(json.loads(worker_ids)) == 2


def test_a_task_that_keeps_killing_its_worker_is_failed_not_retried_for_ever(queue):
    queue.reset()
    queue.enqueue(("kill_own_worker", ()), ("mark", ("after",)))
    deaths, worker = 0, queue.start_worker()
    deadline = time.monotonic() + 120
    try:
        while "FAILED" not in {status for status, *_ in queue.tasks()}:
            assert time.monotonic() < deadline, queue.tasks()
            if worker.poll() is not None:
                deaths += 1
                worker = queue.start_worker()
            time.sleep(0.2)
        queue.wait_for(lambda: queue.marks() == ["after"])
    finally:
        if worker.poll() is None:
            stop(worker)
    assert deaths == worker_module.MAX_ATTEMPTS
    assert sorted(status for status, *_ in queue.tasks()) == ["FAILED", "SUCCESSFUL"]
    [trace] = [trace for status, _, trace in queue.tasks() if status == "FAILED"]
    assert f"已 {worker_module.MAX_ATTEMPTS} 次中途退出，不再重试" in trace


def test_of_several_schedulers_started_at_once_only_one_hands_each_run_on(queue):
    queue.reset()
    with queue.db() as db:
        db.execute("DELETE FROM runtime_jobstate")
    schedulers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "run_scheduler", "--once", "-v", "0"],
            cwd=ROOT,
            env=queue.env,
        )
        for _ in range(4)
    ]
    assert [scheduler.wait(timeout=120) for scheduler in schedulers] == [0] * 4
    with queue.db() as db:
        handed = [
            json.loads(args)["args"][0]
            for (args,) in db.execute(
                f"SELECT args_kwargs FROM {TABLE} WHERE task_path = 'runtime.tasks.run_job'"
            )
        ]
    due_now = {job.name for job in schedule.load() if job.every_minutes}
    assert sorted(handed) == sorted(due_now)  # each due job once, whoever won the race
