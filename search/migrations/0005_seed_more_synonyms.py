"""Seed 户口/户籍 and add 社会保障 to the 社保 group (citizens say 社保 for both)."""

from django.db import migrations

SOCIAL_BEFORE = "社保，社会保险"
SOCIAL_AFTER = "社保，社会保险，社会保障"
HOUSEHOLD = "户口，户籍"


def seed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    if not SynonymGroup.objects.filter(terms__contains="社会保障").exists():
        updated = SynonymGroup.objects.filter(terms=SOCIAL_BEFORE).update(terms=SOCIAL_AFTER)
        if not updated:
            SynonymGroup.objects.create(terms="社保，社会保障")
    if not SynonymGroup.objects.filter(terms__contains="户籍").exists():
        SynonymGroup.objects.create(terms=HOUSEHOLD)


def unseed(apps, schema_editor):
    SynonymGroup = apps.get_model("search", "SynonymGroup")
    SynonymGroup.objects.filter(terms=SOCIAL_AFTER).update(terms=SOCIAL_BEFORE)
    SynonymGroup.objects.filter(terms__in=["社保，社会保障", HOUSEHOLD]).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_hot_search_clients_and_decisions")]

    operations = [migrations.RunPython(seed, unseed)]
