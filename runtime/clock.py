"""One tick of the scheduler: hand every due job to the task queue, once, whoever else ticks.

The lock is the job's own row: a run is claimed by moving `next_run_at` forward with a
compare-and-set update, so of two schedulers that see the same due run only one hands it on.
"""

import logging
import traceback
from datetime import timedelta
from io import StringIO
from time import monotonic

from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import schedule
from .models import JobState

logger = logging.getLogger(__name__)

# A run still queued or running after this long is taken as lost (its task row was removed)
# and handed on again; a worker that dies mid-run is recovered sooner (runtime.worker).
LOST_AFTER = timedelta(hours=2)
OUTPUT_LIMIT = 4000


def ensure_states(jobs, now=None):
    """A row for every declared job; new jobs get their first due time."""
    now = now or timezone.now()
    existing = set(JobState.objects.values_list("name", flat=True))
    JobState.objects.bulk_create(
        [
            JobState(name=job.name, next_run_at=job.first_due(now))
            for job in jobs
            if job.name not in existing
        ],
        ignore_conflicts=True,
    )


def tick(jobs, now=None):
    """Hand every due job to the queue. Returns the names handed on."""
    now = now or timezone.now()
    by_name = {job.name: job for job in jobs}
    handed = []
    for state in JobState.objects.filter(name__in=by_name, next_run_at__lte=now):
        busy = state.result in (JobState.Result.QUEUED, JobState.Result.RUNNING)
        if busy and state.queued_at and now - state.queued_at < LOST_AFTER:
            continue  # the previous run has not finished; never two at once
        if claim(by_name[state.name], state, now):
            handed.append(state.name)
    return handed


def claim(job, seen, now):
    """Take the run `seen` as due and queue it, unless another scheduler took it first."""
    from .tasks import run_job

    with transaction.atomic():
        claimed = JobState.objects.filter(name=job.name, next_run_at=seen.next_run_at).update(
            next_run_at=job.next_after(now), result=JobState.Result.QUEUED, queued_at=now
        )
        if claimed:
            transaction.on_commit(lambda: run_job.enqueue(job.name))
    return bool(claimed)


def run(job):
    """Run one job now and record the outcome on its row (called by the worker's task)."""
    started = timezone.now()
    JobState.objects.filter(name=job.name).update(
        result=JobState.Result.RUNNING, last_started_at=started
    )
    clock = monotonic()
    output = StringIO()
    try:
        call_command(job.command, *job.args, stdout=output, stderr=output)
    except (Exception, SystemExit) as error:  # a command may exit; the clock must not
        _record_failure(job, started, monotonic() - clock, output.getvalue(), error)
        return False
    finished = timezone.now()
    state = JobState.objects.get(name=job.name)
    JobState.objects.filter(name=job.name).update(
        result=JobState.Result.SUCCEEDED,
        last_finished_at=finished,
        last_duration=timedelta(seconds=monotonic() - clock),
        last_output=output.getvalue()[-OUTPUT_LIMIT:],
        last_error="",
        consecutive_failures=0,
        # after a retry the job returns to its own schedule
        next_run_at=job.next_after(finished) if state.consecutive_failures else F("next_run_at"),
    )
    return True


def _record_failure(job, started, seconds, output, error):
    logger.error("scheduled job %s failed: %s", job.name, error)
    state = JobState.objects.get(name=job.name)
    failures = state.consecutive_failures + 1
    finished = timezone.now()
    JobState.objects.filter(name=job.name).update(
        result=JobState.Result.FAILED,
        last_finished_at=finished,
        last_duration=timedelta(seconds=seconds),
        last_output=output[-OUTPUT_LIMIT:],
        last_error="".join(traceback.format_exception(error))[-OUTPUT_LIMIT:],
        consecutive_failures=failures,
        next_run_at=finished + schedule.retry_delay(failures),
    )
