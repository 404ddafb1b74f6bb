"""The clock hands each due job to the queue once, records each run, and backs off on failure."""

import tomllib
from datetime import timedelta

import pytest
from django.utils import timezone

from runtime import clock, schedule
from runtime.models import JobState

TABLE = """
[catch_up]
title = "补齐"
command = "search_catch_up"
every_minutes = 1

[prune]
title = "清理"
command = "prune_audit_log"
every_minutes = 1
"""


@pytest.fixture
def jobs(settings, tmp_path):
    settings.SCHEDULE_FILE = tmp_path / "schedule.toml"
    settings.SCHEDULE_FILE.write_text(TABLE, "utf-8")
    return schedule.load()


CATCH_UP, PRUNE = schedule.parse(tomllib.loads(TABLE))


@pytest.mark.django_db
def test_a_due_job_runs_once_and_its_run_is_recorded(jobs, django_capture_on_commit_callbacks):
    now = timezone.now()
    clock.ensure_states(jobs, now)
    with django_capture_on_commit_callbacks(execute=True):
        assert clock.tick([CATCH_UP], now) == ["catch_up"]
        assert clock.tick([CATCH_UP], now) == []  # the same due time is never handed on twice
    state = JobState.objects.get(name="catch_up")
    assert state.result == JobState.Result.SUCCEEDED
    assert state.last_duration is not None
    assert state.last_output.startswith("已更新 0 篇文档的索引")  # the command's own report
    assert state.next_run_at == CATCH_UP.next_after(now)


@pytest.mark.django_db
def test_a_job_still_queued_is_not_handed_on_again(jobs, django_capture_on_commit_callbacks):
    now = timezone.now()
    clock.ensure_states(jobs, now)
    with django_capture_on_commit_callbacks(execute=False):
        assert clock.tick([CATCH_UP], now) == ["catch_up"]
    later = now + timedelta(minutes=5)
    assert clock.tick([CATCH_UP], later) == []  # no worker ran it yet: wait, don't pile up
    lost = now + clock.LOST_AFTER + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=False):
        assert clock.tick([CATCH_UP], lost) == ["catch_up"]  # its task was lost: hand on again


@pytest.mark.django_db
def test_a_failing_job_records_its_error_and_backs_off(
    settings, jobs, django_capture_on_commit_callbacks
):
    settings.AUDIT_LOG_RETENTION_DAYS = 30  # refused by prune_audit_log: a real failure
    now = timezone.now()
    clock.ensure_states(jobs, now)
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick([PRUNE], now)
    state = JobState.objects.get(name="prune")
    assert state.result == JobState.Result.FAILED
    assert "短于等保要求的 180 天" in state.last_error
    assert state.consecutive_failures == 1
    first_retry = state.next_run_at
    assert timedelta(seconds=55) < first_retry - state.last_finished_at <= timedelta(minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        clock.tick([PRUNE], first_retry)
    state.refresh_from_db()
    assert state.consecutive_failures == 2
    assert state.next_run_at - state.last_finished_at == timedelta(minutes=2)

    settings.AUDIT_LOG_RETENTION_DAYS = 180
    with django_capture_on_commit_callbacks(execute=True):
        clock.tick([PRUNE], state.next_run_at)
    state.refresh_from_db()
    assert state.result == JobState.Result.SUCCEEDED
    assert state.consecutive_failures == 0
    assert state.last_error == ""
    assert state.next_run_at == PRUNE.next_after(state.last_finished_at)


@pytest.mark.django_db
def test_of_two_schedulers_that_saw_the_same_due_run_only_one_claims_it(
    jobs, django_capture_on_commit_callbacks
):
    now = timezone.now()
    clock.ensure_states(jobs, now)
    seen_by_first = JobState.objects.get(name="catch_up")
    seen_by_second = JobState.objects.get(name="catch_up")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert clock.claim(CATCH_UP, seen_by_first, now) is True
        assert clock.claim(CATCH_UP, seen_by_second, now) is False
    assert len(queued) == 1
