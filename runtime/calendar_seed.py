"""The national 放假安排 of chinese_calendar (MIT, data from the State Council's notices) as rows
of the working-day calendar. Only years not yet in the table are added, so what platform admins
entered or corrected is kept; used by a migration and by `manage.py seed_work_calendar`."""

import chinese_calendar

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def seed(calendar_day_model, calendar_year_model):
    """Add the years chinese_calendar knows and the table does not. Returns them, sorted."""
    source = f"chinese_calendar {chinese_calendar.__version__}（国务院办公厅部分节假日安排）"
    known = {day.year for day in (*chinese_calendar.holidays, *chinese_calendar.workdays)}
    present = set(calendar_year_model.objects.values_list("year", flat=True))
    new = sorted(known - present)
    days = [
        calendar_day_model(date=day, kind=kind, name=NAMES.get(name, name), source=source)
        for table, kind in (
            (chinese_calendar.holidays, "day_off"),
            (chinese_calendar.workdays, "makeup_workday"),
        )
        for day, name in table.items()
        if day.year in new
    ]
    calendar_day_model.objects.bulk_create(days, ignore_conflicts=True)
    calendar_year_model.objects.bulk_create(
        [calendar_year_model(year=year, source=source) for year in new], ignore_conflicts=True
    )
    return new
