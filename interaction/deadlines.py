"""Deadlines of letters in working days, hours or calendar days on China's working-day calendar
(runtime.workdays). A period counted in days ends at 24:00 of its last day, and a calendar-day
period whose last day is a day off ends after the day off (民法典 arts. 201–203)."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from runtime.workdays import Calendar

from .models import DeadlinePolicy, LetterDeadline, Measure


def policy_for(category, level, stage):
    """(amount, measure) for a stage: the platform's row for this level, else its row for every
    level, else the default of the settings (LETTER_DEADLINES)."""
    rows = {
        row.level: row
        for row in DeadlinePolicy.objects.filter(
            category=category, stage=stage, level__in=[level, ""]
        )
    }
    row = rows.get(level) or rows.get("")
    if row is not None:
        return row.amount, row.measure
    defaults = settings.LETTER_DEADLINES[stage]
    return tuple(defaults.get(category, defaults["default"]))


def _end_of(day):
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def due_at(starts_at, amount, measure, calendar=None):
    calendar = calendar or Calendar()
    start = timezone.localtime(starts_at)
    if measure == Measure.WORKING_HOURS:
        return _add_working_hours(start, amount, calendar)
    day = start.date()
    if measure == Measure.WORKING_DAYS:
        remaining = amount
        while remaining:
            day += timedelta(days=1)
            remaining -= calendar.is_working_day(day)
        return _end_of(day)
    day += timedelta(days=amount)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return _end_of(day)


def _add_working_hours(start, hours, calendar):
    """Counts only office hours (LETTER_OFFICE_HOURS, e.g. 9:00–17:00) of working days."""
    opens, closes = (time(hour) for hour in settings.LETTER_OFFICE_HOURS)
    remaining, cursor = timedelta(hours=hours), start
    while True:
        day = cursor.date()
        if calendar.is_working_day(day):
            day_open = timezone.make_aware(datetime.combine(day, opens))
            day_close = timezone.make_aware(datetime.combine(day, closes))
            cursor = max(cursor, day_open)
            if cursor < day_close:
                if cursor + remaining <= day_close:
                    return cursor + remaining
                remaining -= day_close - cursor
        cursor = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def start(letter, stage, starts_at, category=None, level=None, extra=0):
    """Start (or restart) the letter's clock for `stage`; returns the deadline."""
    amount, measure = policy_for(category or letter.category, level or _level(letter), stage)
    amount += extra
    deadline, _ = LetterDeadline.objects.update_or_create(
        letter=letter,
        stage=stage,
        defaults={
            "starts_at": starts_at,
            "amount": amount,
            "measure": measure,
            "due_at": due_at(starts_at, amount, measure),
            "met_at": None,
            "reminded_at": None,
            "overdue_at": None,
        },
    )
    return deadline


def extend(deadline, extra):
    deadline.amount += extra
    deadline.due_at = due_at(deadline.starts_at, deadline.amount, deadline.measure)
    deadline.overdue_at = None
    deadline.reminded_at = None
    deadline.save(update_fields=["amount", "due_at", "overdue_at", "reminded_at"])
    return deadline


def meet(letter, stages, when):
    LetterDeadline.objects.filter(letter=letter, stage__in=stages, met_at=None).update(met_at=when)


def _level(letter):
    unit = letter.lead_unit or letter.mailbox.unit
    return unit.level if unit else ""


def recompute(deadlines):
    """Recompute the due time of each running deadline against today's calendar; returns the
    ones that moved (their letters are then flagged by the caller)."""
    calendar, moved = Calendar(), []
    for deadline in deadlines:
        new = due_at(deadline.starts_at, deadline.amount, deadline.measure, calendar)
        if new != deadline.due_at:
            deadline.due_at = new
            moved.append(deadline)
    LetterDeadline.objects.bulk_update(moved, ["due_at"], batch_size=500)
    return moved
