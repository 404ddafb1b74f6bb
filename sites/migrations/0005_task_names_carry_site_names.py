"""Review task names carry the site's name (科室初审（江州市教育局）), not its code."""

from django.db import migrations


def rename(apps, schema_editor, forward=True):
    SiteProfile = apps.get_model("sites", "SiteProfile")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    Task = apps.get_model("wagtailcore", "Task")
    for profile in SiteProfile.objects.select_related("site"):
        old, new = f"（{profile.code}）", f"（{profile.name}）"
        if not forward:
            old, new = new, old
        workflows = WorkflowPage.objects.filter(page_id=profile.site.root_page_id).values(
            "workflow_id"
        )
        task_ids = WorkflowTask.objects.filter(workflow_id__in=workflows).values("task_id")
        for task in Task.objects.filter(pk__in=task_ids, name__endswith=old):
            task.name = task.name.removesuffix(old) + new
            task.save(update_fields=["name"])


def restore(apps, schema_editor):
    rename(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [
        ("sites", "0004_legacy_hosts"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(rename, restore)]
