"""The task worker (django-tasks-db's) with a heartbeat, so a task is never lost to a dead worker.

django-tasks-db marks a claimed task RUNNING and leaves it so if the worker is killed. Every
worker here beats every few seconds; any worker that finds a RUNNING task whose worker has
stopped beating puts it back in the queue. A task whose workers died MAX_ATTEMPTS times is
marked failed instead, so one task that kills its worker cannot stop the queue.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

SILENT_AFTER = timedelta(seconds=settings.TASK_WORKER_SILENT_SECONDS)
BEAT_SECONDS = SILENT_AFTER.total_seconds() / 6
MAX_ATTEMPTS = 3


def requeue_orphans(now=None):
    """Give back the tasks of workers that stopped beating. Returns (requeued, failed)."""
    now = now or timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - SILENT_AFTER).values_list(
            "worker_id", flat=True
        )
    )
    requeued = failed = 0
    for task in DBTaskResult.objects.running().only("pk", "worker_ids", "started_at"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        if task.started_at and now - task.started_at < SILENT_AFTER:
            continue  # claimed a moment ago by a worker whose first beat is on its way
        unchanged = DBTaskResult.objects.filter(
            pk=task.pk, status=TaskResultStatus.RUNNING, worker_ids=task.worker_ids
        )
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            failed += unchanged.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="runtime.worker.WorkerLost",
                traceback=f"执行此任务的后台进程已 {len(task.worker_ids)} 次中途退出，不再重试。",
            )
        else:
            requeued += unchanged.update(status=TaskResultStatus.READY, started_at=None)
    if requeued or failed:
        logger.warning("tasks of stopped workers: %d requeued, %d failed", requeued, failed)
    return requeued, failed


class Heartbeat(threading.Thread):
    def __init__(self, worker_id):
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def beat(self):
        now = timezone.now()
        WorkerHeartbeat.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={"seen_at": now, "hostname": socket.gethostname(), "pid": os.getpid()},
            create_defaults={
                "started_at": now,
                "seen_at": now,
                "hostname": socket.gethostname(),
                "pid": os.getpid(),
            },
        )
        requeue_orphans(now)

    def run(self):
        try:
            while not self.stopped.is_set():
                close_old_connections()
                try:
                    self.beat()
                except Exception:  # a busy database this time; the next beat tries again
                    logger.exception("worker heartbeat failed")
                self.stopped.wait(BEAT_SECONDS)
        finally:
            connection.close()


class BeatingWorker(Worker):
    def run(self):
        heartbeat = Heartbeat(self.worker_id)
        heartbeat.beat()  # before the first claim: this worker's own orphans go back first
        heartbeat.start()
        try:
            return super().run()
        finally:
            heartbeat.stopped.set()
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
