"""Tasks of the durable queue that belong to the mailboxes."""

from django_tasks import task

from .calendar_change import recompute_running


@task()
def recompute_deadlines():
    """Recompute running deadlines after a change to the working-day calendar."""
    return {"moved": recompute_running()}
