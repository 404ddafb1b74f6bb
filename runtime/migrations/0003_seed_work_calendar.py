from django.db import migrations


def seed(apps, schema_editor):
    from runtime.calendar_seed import seed as seed_years

    seed_years(apps.get_model("runtime", "CalendarDay"), apps.get_model("runtime", "CalendarYear"))


class Migration(migrations.Migration):
    dependencies = [("runtime", "0002_work_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
