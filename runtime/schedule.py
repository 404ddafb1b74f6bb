"""The clock's table of periodic jobs (platform/schedule.toml) and when each is next due."""

import tomllib
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from functools import cache

from django.conf import settings
from django.core.management import get_commands
from django.utils import timezone

BACKOFF_START = timedelta(minutes=1)
BACKOFF_LIMIT = timedelta(hours=1)


class ScheduleError(Exception):
    """The table cannot be run as written; the message says which job and why."""


@dataclass(frozen=True)
class Job:
    name: str
    title: str
    command: str
    args: tuple[str, ...] = ()
    every_minutes: int | None = None
    daily_at: time | None = None

    @property
    def schedule_label(self):
        if self.every_minutes:
            return "每分钟" if self.every_minutes == 1 else f"每 {self.every_minutes} 分钟"
        return f"每天 {self.daily_at:%H:%M}"

    def next_after(self, moment):
        """The first due time strictly after `moment`."""
        if self.every_minutes:
            start = moment.replace(second=0, microsecond=0)
            return start + timedelta(minutes=self.every_minutes)
        local = timezone.localtime(moment)
        due = local.replace(
            hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0
        )
        if due <= local:
            due = timezone.make_aware(
                datetime.combine(local.date() + timedelta(days=1), self.daily_at)
            )
        return due

    def first_due(self, now):
        """A job never run before: a frequent one starts now, a daily one at its hour."""
        return now if self.every_minutes else self.next_after(now)


def retry_delay(consecutive_failures):
    """1, 2, 4 … minutes after each failure in a row, never more than an hour."""
    delay = BACKOFF_START * 2 ** max(consecutive_failures - 1, 0)
    return min(delay, BACKOFF_LIMIT)


def parse(table):
    """Jobs from the parsed TOML table; ScheduleError names the first problem."""
    jobs = []
    for name, spec in table.items():
        if not isinstance(spec, dict):
            raise ScheduleError(f"定时任务「{name}」的写法有误：应为一个表（[{name}]）。")
        unknown = set(spec) - {"title", "command", "args", "every_minutes", "daily_at"}
        if unknown:
            raise ScheduleError(
                f"定时任务「{name}」有无法识别的设置：{', '.join(sorted(unknown))}。"
            )
        if not spec.get("command"):
            raise ScheduleError(f"定时任务「{name}」缺少 command（要运行的管理命令）。")
        every, daily = spec.get("every_minutes"), spec.get("daily_at")
        if (every is None) == (daily is None):
            raise ScheduleError(f"定时任务「{name}」须且只能设置 every_minutes 或 daily_at 之一。")
        if every is not None and (not isinstance(every, int) or every < 1):
            raise ScheduleError(f"定时任务「{name}」的 every_minutes 须为正整数。")
        jobs.append(
            Job(
                name=name,
                title=spec.get("title", name),
                command=spec["command"],
                args=tuple(str(arg) for arg in spec.get("args", ())),
                every_minutes=every,
                daily_at=_daily_time(name, daily) if daily is not None else None,
            )
        )
    return jobs


def _daily_time(name, value):
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(value)
    except (TypeError, ValueError):
        raise ScheduleError(
            f'定时任务「{name}」的 daily_at 须为“时:分”，如 "03:00"，而不是 {value!r}。'
        ) from None


def check_commands(jobs):
    """Every job must name an installed management command (checked when the clock starts)."""
    known = get_commands()
    missing = [job for job in jobs if job.command not in known]
    if missing:
        raise ScheduleError(
            "定时任务表中有不存在的管理命令，调度器未启动："
            + "；".join(f"「{job.name}」→ {job.command}" for job in missing)
        )


def load():
    return _load(settings.SCHEDULE_FILE)


@cache
def _load(path):
    with open(path, "rb") as stream:
        return tuple(parse(tomllib.load(stream)))


def job_named(name):
    for job in load():
        if job.name == name:
            return job
    raise ScheduleError(f"定时任务表中没有「{name}」。")
