"""The monthly figures a mailbox publishes per unit, read from MonthlyUnitStats (filled by the
statistics job), with both common satisfaction formulas."""

from dataclasses import dataclass, fields

from ..models import MonthlyUnitStats


@dataclass
class Figures:
    unit: str
    received: int = 0
    answered: int = 0
    due: int = 0
    answered_on_time: int = 0
    answer_working_days: int = 0
    rated: int = 0
    satisfied: int = 0

    @property
    def satisfaction_of_rated(self):
        """满意率（实际参评）= satisfied / rated."""
        return _percent(self.satisfied, self.rated)

    @property
    def satisfaction_of_answered(self):
        """满意率（按答复件数）= satisfied / answered."""
        return _percent(self.satisfied, self.answered)

    @property
    def on_time_rate(self):
        """按时办结率 = answered_on_time / due."""
        return _percent(self.answered_on_time, self.due)

    @property
    def average_working_days(self):
        """平均答复用时 = answer_working_days / answered, in working days."""
        return f"{self.answer_working_days / self.answered:.1f}" if self.answered else None


COUNTS = [field.name for field in fields(Figures) if field.name != "unit"]


def _percent(numerator, denominator):
    return f"{100 * numerator / denominator:.1f}%" if denominator else None


def months(mailbox):
    """The months with figures for `mailbox`, newest first (first days, as dates)."""
    return list(MonthlyUnitStats.objects.filter(mailbox=mailbox).dates("month", "month", "DESC"))


def table(mailbox, month):
    """One Figures per unit with figures for `month`, by unit name."""
    return [
        Figures(unit=row.unit.name, **{name: getattr(row, name) for name in COUNTS})
        for row in MonthlyUnitStats.objects.filter(
            mailbox=mailbox, month__year=month.year, month__month=month.month
        )
        .select_related("unit")
        .order_by("unit__name")
    ]
