"""Tasks for the worker tests: each run leaves a line in $MARK_FILE, so doubles and losses show."""

import os
import signal
import time

from django_tasks import task


@task()
def mark(label, seconds=0):
    time.sleep(seconds)
    with open(os.environ["MARK_FILE"], "a", encoding="utf-8") as marks:
        marks.write(f"{label}\n")
    return label


@task()
def kill_own_worker():
    os.kill(os.getpid(), signal.SIGKILL)
