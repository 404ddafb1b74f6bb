from django.core.management.base import BaseCommand

from runtime.calendar_seed import seed
from runtime.models import CalendarDay, CalendarYear


class Command(BaseCommand):
    help = "Add the years of chinese_calendar the working-day calendar lacks (after upgrading it)."

    def handle(self, **options):
        added = seed(CalendarDay, CalendarYear)
        if added:
            self.stdout.write(f"已录入 {added[0]}–{added[-1]} 年的放假安排（{len(added)} 年）。")
        else:
            self.stdout.write("没有新的年份可录入；新一年的放假安排可在 设置 → 放假调休日 中录入。")
