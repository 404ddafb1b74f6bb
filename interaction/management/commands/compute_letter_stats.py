from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from interaction import stats


def month(text):
    try:
        year, number = (int(part) for part in text.split("-"))
        return date(year, number, 1)
    except ValueError:
        raise CommandError(f"月份须写作 YYYY-MM，如 2026-10，而不是 {text!r}。") from None


class Command(BaseCommand):
    help = "Compute the mailboxes' monthly figures per unit (default: this month and the last)."

    def add_arguments(self, parser):
        parser.add_argument("--month", help="YYYY-MM; default: the current and previous month")

    def handle(self, **options):
        if options["month"]:
            months = [month(options["month"])]
        else:
            this = timezone.localdate().replace(day=1)
            last = (this - timedelta(days=1)).replace(day=1)
            months = [last, this]
        for first in months:
            rows = stats.compute(first)
            self.stdout.write(f"{first:%Y-%m}：已统计 {rows} 个信箱单位。")
