"""The task bench/tasks.py enqueues: nothing but the queue's own cost."""

from django_tasks import task


@task()
def noop():
    return None
