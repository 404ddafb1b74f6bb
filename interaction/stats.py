"""Monthly figures per mailbox and unit (MonthlyUnitStats), from GROUP BY queries; only the
working days to answer are counted per letter, on one read of the calendar."""

from collections import defaultdict
from datetime import date, datetime, time
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from runtime.workdays import Calendar, working_days_between

from .models import SATISFIED_RATINGS, Letter, LetterDeadline, MonthlyUnitStats, Rating, Stage
from .workflow import State

FIGURES = ("received", "answered", "due", "answered_on_time", "answer_working_days", "rated")


def month_bounds(month):
    """The first instants (local time) of `month` and of the next month."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return tuple(timezone.make_aware(datetime.combine(day, time.min)) for day in (month, following))


def _by_unit(queryset, *unit_fields):
    """The queryset keyed by its letters' unit: the lead unit, else the mailbox's unit."""
    return queryset.annotate(unit_key=Coalesce(*unit_fields)).exclude(unit_key=None).order_by()


def compute(month, now=None):
    """Recompute the rows of `month` (any day in it); returns the number of rows kept."""
    month = month.replace(day=1)
    start, end = month_bounds(month)
    levels = [str(level.value) for level in Rating]
    rows = defaultdict(
        lambda: dict.fromkeys(FIGURES, 0) | {"satisfied": 0, "ratings": dict.fromkeys(levels, 0)}
    )

    received = _by_unit(
        Letter.objects.filter(received_at__gte=start, received_at__lt=end),
        "lead_unit",
        "mailbox__unit",
    )
    for row in received.values("mailbox_id", "unit_key").annotate(received=Count("pk")):
        rows[row["mailbox_id"], row["unit_key"]]["received"] = row["received"]

    answered = _by_unit(
        Letter.objects.filter(replied_at__gte=start, replied_at__lt=end),
        "lead_unit",
        "mailbox__unit",
    )
    for row in answered.values("mailbox_id", "unit_key").annotate(
        answered=Count("pk"),
        rated=Count("rating"),
        satisfied=Count("pk", filter=Q(rating__in=SATISFIED_RATINGS)),
        **{f"rating_{key}": Count("pk", filter=Q(rating=int(key))) for key in levels},
    ):
        figures = rows[row["mailbox_id"], row["unit_key"]]
        figures.update(answered=row["answered"], rated=row["rated"], satisfied=row["satisfied"])
        figures["ratings"] = {key: row[f"rating_{key}"] for key in levels}

    calendar = Calendar()
    for mailbox_id, unit_id, received_at, replied_at in answered.values_list(
        "mailbox_id", "unit_key", "received_at", "replied_at"
    ):
        rows[mailbox_id, unit_id]["answer_working_days"] += working_days_between(
            timezone.localtime(received_at).date(), timezone.localtime(replied_at).date(), calendar
        )

    due = _by_unit(
        LetterDeadline.objects.filter(stage=Stage.REPLY, due_at__gte=start, due_at__lt=end)
        .exclude(letter__state=State.NOT_ACCEPTED)
        .exclude(letter__state=State.CLOSED, letter__replied_at=None),  # 并单 into another
        "letter__lead_unit",
        "letter__mailbox__unit",
    )
    for row in due.values("letter__mailbox_id", "unit_key").annotate(
        due=Count("pk"), on_time=Count("pk", filter=Q(met_at__lte=F("due_at")))
    ):
        figures = rows[row["letter__mailbox_id"], row["unit_key"]]
        figures.update(due=row["due"], answered_on_time=row["on_time"])

    return _store(month, rows, now or timezone.now())


def _store(month, rows, now):
    keys = [Q(mailbox_id=mailbox_id, unit_id=unit_id) for mailbox_id, unit_id in rows]
    with transaction.atomic():
        MonthlyUnitStats.objects.filter(month=month).exclude(reduce(or_, keys, Q(pk=None))).delete()
        MonthlyUnitStats.objects.bulk_create(
            [
                MonthlyUnitStats(
                    mailbox_id=mailbox_id, unit_id=unit_id, month=month, computed_at=now, **figures
                )
                for (mailbox_id, unit_id), figures in rows.items()
            ],
            update_conflicts=True,
            unique_fields=["mailbox", "unit", "month"],
            update_fields=[*FIGURES, "satisfied", "ratings", "computed_at"],
        )
    return len(rows)
