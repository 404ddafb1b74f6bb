"""Audit log retention (等保 2.0 三级: audit records are kept at least 180 days)."""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.utils import timezone
from wagtail.log_actions import registry as log_actions

MINIMUM_RETENTION_DAYS = 180


class RetentionTooShort(Exception):
    pass


def retention_days():
    days = settings.AUDIT_LOG_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        raise RetentionTooShort(
            f"AUDIT_LOG_RETENTION_DAYS 为 {days} 天，短于等保要求的 {MINIMUM_RETENTION_DAYS} 天，"
            "审计日志未清理。"
        )
    return days


def prune(now=None):
    """Delete audit entries older than the retention, in every log model Wagtail knows of and
    in AUDIT_LOG_EXTRA_MODELS (named by label: runtime imports none of the apps above it).

    Returns {model label: deleted count}."""
    cutoff = (now or timezone.now()) - timedelta(days=retention_days())
    extra = [apps.get_model(label) for label in settings.AUDIT_LOG_EXTRA_MODELS]
    deleted = {}
    for model in [*log_actions.get_log_entry_models(), *extra]:
        count, _ = model.objects.filter(timestamp__lt=cutoff).delete()
        deleted[model._meta.label] = count
    return deleted


@checks.register(checks.Tags.security)
def check_retention(app_configs, **kwargs):
    try:
        retention_days()
    except RetentionTooShort as error:
        return [checks.Error(str(error), id="runtime.E001")]
    return []
