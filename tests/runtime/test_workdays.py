"""Working days on China's calendar: the test vectors of NATIONAL-RULES §3.7 and the fallback."""

import logging
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from runtime import workdays
from runtime.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "start, count, due",
    [
        (date(2026, 9, 21), 20, date(2026, 10, 26)),
        (date(2026, 9, 24), 5, date(2026, 10, 9)),
        (date(2026, 9, 30), 5, date(2026, 10, 13)),  # Saturday 10-10 is a make-up working day
        (date(2026, 2, 10), 7, date(2026, 2, 26)),
        (date(2026, 12, 1), 20, date(2026, 12, 29)),
    ],
)
def test_the_rules_test_vectors(start, count, due):
    assert workdays.add_working_days(start, count) == due


def test_2026_days_off_and_make_up_working_days_are_seeded():
    off = [date(2026, 1, 1), date(2026, 2, 16), date(2026, 10, 7), date(2026, 6, 19)]
    makeup = [date(2026, m, d) for m, d in ((1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10))]
    assert not any(workdays.is_working_day(day) for day in off)
    assert all(workdays.is_working_day(day) for day in makeup)
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert workdays.is_working_day(date(2026, 10, 12))  # an ordinary Monday


def test_a_year_without_data_counts_monday_to_friday_and_says_so(caplog):
    assert not CalendarYear.objects.filter(year=2027).exists()
    with caplog.at_level(logging.WARNING, logger="runtime.workdays"):
        due = workdays.add_working_days(date(2027, 1, 1), 5)  # a Friday; no 2027 data yet
    assert due == date(2027, 1, 8)
    assert "no 放假安排 for 2027" in caplog.text
    assert workdays.uncovered_years(date(2026, 12, 2)) == [2027]
    assert workdays.uncovered_years(date(2026, 6, 1)) == []  # next year asked from November


def test_an_admin_entry_for_a_new_year_is_used_and_kept_by_reseeding():
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号")
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="day_off", name="元旦")
    CalendarDay.objects.create(date=date(2027, 1, 9), kind="makeup_workday", name="元旦")
    assert workdays.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert workdays.working_days_between(date(2027, 1, 3), date(2027, 1, 10)) == 6
    call_command("seed_work_calendar", stdout=StringIO())
    assert CalendarDay.objects.filter(date__year=2027).count() == 2


def test_working_days_between_counts_after_the_start():
    assert workdays.working_days_between(date(2026, 9, 30), date(2026, 10, 13)) == 5
    assert workdays.working_days_between(date(2026, 10, 13), date(2026, 10, 13)) == 0
    with pytest.raises(ValueError):
        workdays.add_working_days(date(2026, 10, 13), 0)
