"""The cluster's second content language: English (简体中文 is created by Wagtail itself)."""

from django.db import migrations


def add_english(apps, schema_editor):
    apps.get_model("wagtailcore", "Locale").objects.get_or_create(language_code="en")


def remove_english(apps, schema_editor):
    apps.get_model("wagtailcore", "Locale").objects.filter(language_code="en").delete()


class Migration(migrations.Migration):
    dependencies = [("home", "0003_forbiddenexpression_miswriting_policylibrarypage_and_more")]

    operations = [migrations.RunPython(add_english, remove_english)]
