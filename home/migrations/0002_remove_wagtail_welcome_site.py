"""Remove Wagtail's placeholder "Welcome" page and its default Site.

Every site of the cluster, the portal included, is created by provisioning; the placeholder
would otherwise hold the `localhost` hostname the demo portal needs.
"""

from django.db import migrations


def remove_welcome(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    welcome = Page.objects.filter(depth=2, slug="home", content_type__model="page")
    Site.objects.filter(root_page__in=welcome).delete()
    for page in welcome:
        # Treebeard bookkeeping by hand: historical models lack its manager methods.
        root = Page.objects.get(depth=1)
        page.delete()
        root.numchild = Page.objects.filter(depth=2).count()
        root.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(remove_welcome, migrations.RunPython.noop)]
