"""Seed the synonym groups every government site needs from the first day."""

from django.db import migrations

GROUPS = [
    "社保，社会保险",
    "医保，医疗保险",
    "公积金，住房公积金",
    "噪音，噪声",
    "环评，环境影响评价",
]


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    for terms in GROUPS:
        SynonymGroup.objects.get_or_create(terms=terms)


def unseed(apps, schema_editor):
    apps.get_model("search", "SynonymGroup").objects.filter(terms__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
