"""The clock's table: every declared job is runnable, and a wrong table stops the clock at once."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from runtime import schedule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_platform_schedule_names_only_installed_commands():
    jobs = schedule.load()
    schedule.check_commands(jobs)
    names = {job.name for job in jobs}
    assert {
        "publish_scheduled",
        "search_catch_up",
        "check_search_index",
        "prune_audit_log",
    } <= names
    repair = schedule.job_named("check_search_index")
    assert repair.args == ("--repair",)
    assert repair.schedule_label == "每天 03:00"
    assert schedule.job_named("publish_scheduled").schedule_label == "每分钟"


def test_an_unknown_command_stops_the_scheduler_at_start(settings, tmp_path):
    table = tmp_path / "schedule.toml"
    table.write_text('[tidy]\ncommand = "no_such_command"\nevery_minutes = 5\n', "utf-8")
    settings.SCHEDULE_FILE = table
    with pytest.raises(CommandError, match="「tidy」→ no_such_command"):
        call_command("run_scheduler", "--once")


@pytest.mark.parametrize(
    "text, message",
    [
        ("[a]\nevery_minutes = 1\n", "缺少 command"),
        ('[a]\ncommand = "x"\n', "须且只能设置 every_minutes 或 daily_at 之一"),
        ('[a]\ncommand = "x"\nevery_minutes = 1\ndaily_at = "03:00"\n', "须且只能设置"),
        ('[a]\ncommand = "x"\nevery_minutes = 0\n', "须为正整数"),
        ('[a]\ncommand = "x"\ndaily_at = "25:00"\n', "daily_at 须为“时:分”"),
        ('[a]\ncommand = "x"\nevery_minutes = 1\nevery = 2\n', "无法识别的设置：every"),
    ],
)
def test_a_wrongly_written_job_is_refused_with_its_name(text, message):
    import tomllib

    with pytest.raises(schedule.ScheduleError, match=message):
        schedule.parse(tomllib.loads(text))


def test_a_frequent_job_is_due_on_the_next_minute_boundary():
    job = schedule.Job(name="a", title="a", command="x", every_minutes=5)
    moment = datetime(2026, 12, 2, 10, 7, 31, tzinfo=SHANGHAI)
    assert job.next_after(moment) == datetime(2026, 12, 2, 10, 12, tzinfo=SHANGHAI)
    assert job.first_due(moment) == moment


def test_a_daily_job_is_due_at_its_local_hour():
    job = schedule.Job(name="a", title="a", command="x", daily_at=time(3, 0))
    before = datetime(2026, 12, 2, 2, 59, tzinfo=SHANGHAI)
    at = datetime(2026, 12, 2, 3, 0, tzinfo=SHANGHAI)
    assert job.next_after(before) == at
    assert job.next_after(at) == at + timedelta(days=1)
    utc_evening = datetime(2026, 12, 2, 20, 0, tzinfo=ZoneInfo("UTC"))  # 04:00 in Shanghai
    assert job.next_after(utc_evening) == datetime(2026, 12, 4, 3, 0, tzinfo=SHANGHAI)


def test_retries_back_off_and_are_bounded():
    delays = [schedule.retry_delay(failures) for failures in range(1, 10)]
    assert delays[:4] == [timedelta(minutes=minutes) for minutes in (1, 2, 4, 8)]
    assert max(delays) == timedelta(hours=1)
    assert delays == sorted(delays)
