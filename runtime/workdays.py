"""Working days (工作日) on China's calendar: Monday to Friday, less the days off of each year's
放假安排 (法定节假日, 补假), plus its make-up working days (调休上班) on weekends.

The exceptions are rows (CalendarDay), seeded from chinese_calendar and kept by platform admins
when the State Council publishes a new year (CalendarYear). A year without data counts Monday to
Friday and says so — in the log and on the platform admin's dashboard — never with an exception.
Counting follows 民法典 arts. 201–203: the start day is not counted.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from .models import CalendarDay, CalendarYear

logger = logging.getLogger(__name__)


class Calendar:
    """The exceptions of the years one calculation touches, read once per year."""

    def __init__(self):
        self.covered = set(CalendarYear.objects.values_list("year", flat=True))
        self.exceptions = {}
        self.warned = set()

    def is_working_day(self, day):
        kind = self._year(day.year).get(day)
        if kind is not None:
            return kind == CalendarDay.Kind.MAKEUP_WORKDAY
        return day.weekday() < 5

    def _year(self, year):
        if year not in self.exceptions:
            if year not in self.covered and year not in self.warned:
                self.warned.add(year)
                logger.warning(
                    "no 放假安排 for %s in the working-day calendar: counting Monday to Friday",
                    year,
                )
            self.exceptions[year] = dict(
                CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
            )
        return self.exceptions[year]


def is_working_day(day):
    return Calendar().is_working_day(day)


def add_working_days(start, count):
    """The `count`-th working day after `start` (start itself not counted)."""
    if count < 1:
        raise ValueError("count must be at least 1")
    calendar, day = Calendar(), start
    while count:
        day += timedelta(days=1)
        count -= calendar.is_working_day(day)
    return day


def working_days_between(start, end, calendar=None):
    """Working days after `start` up to and including `end` (0 when end ≤ start). Pass one
    `Calendar` to count many spans with one read of the table."""
    calendar = calendar or Calendar()
    return sum(
        calendar.is_working_day(start + timedelta(days=offset))
        for offset in range(1, (end - start).days + 1)
    )


def uncovered_years(today=None):
    """This year and next, where the table has no 放假安排 (next year only from November, when
    the State Council usually publishes it)."""
    today = today or timezone.localdate()
    wanted = [today.year, today.year + 1] if today.month >= 11 else [today.year]
    covered = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in covered]
