"""Audit entries are kept at least 180 days (等保 2.0 三级); pruning deletes only older ones."""

from datetime import timedelta

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from runtime import audit
from tests.factories import provision

pytestmark = pytest.mark.django_db


def test_pruning_deletes_only_entries_older_than_the_retention():
    profile = provision("east")
    home = profile.site.root_page
    now = timezone.now()
    for days in (10, 179, 181, 400):
        PageLogEntry.objects.log_action(home, "wagtail.edit", timestamp=now - timedelta(days=days))
        ModelLogEntry.objects.log_action(
            profile, "wagtail.edit", timestamp=now - timedelta(days=days)
        )
    kept_before = {
        model: model.objects.filter(timestamp__gte=now - timedelta(days=180)).count()
        for model in (PageLogEntry, ModelLogEntry)
    }
    deleted = audit.prune(now)
    assert deleted["wagtailcore.PageLogEntry"] == 2
    for model, kept in kept_before.items():
        assert model.objects.filter(timestamp__lt=now - timedelta(days=180)).count() == 0
        assert model.objects.count() == kept


def test_a_retention_shorter_than_180_days_is_refused(settings):
    settings.AUDIT_LOG_RETENTION_DAYS = 90
    PageLogEntry.objects.log_action(
        provision("east").site.root_page,
        "wagtail.edit",
        timestamp=timezone.now() - timedelta(days=100),
    )
    with pytest.raises(CommandError, match="90 天，短于等保要求的 180 天"):
        call_command("prune_audit_log")
    assert PageLogEntry.objects.filter(action="wagtail.edit").count() == 1
    assert [error.id for error in checks.run_checks(tags=["security"])] == ["runtime.E001"]
