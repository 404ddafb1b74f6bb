"""Password history and ageing (等保 2.0 三级): no reuse of the last PASSWORD_HISTORY_COUNT
passwords, and a change every PASSWORD_EXPIRY_DAYS days.

Every save of a user whose password hash changed records the new hash, whatever changed it: the
account page, the users admin, a password reset, `createsuperuser`, `set_password` in code.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, is_password_usable
from django.core.exceptions import ValidationError
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from .models import PasswordHistory


def changed_at(user):
    """When the current password was set: its history entry, else the account's creation."""
    latest = user.password_history.values_list("changed_at", flat=True).first()
    return latest or user.date_joined


def expired(user):
    return timezone.now() - changed_at(user) > timedelta(days=settings.PASSWORD_EXPIRY_DAYS)


def _recent_hashes(user):
    count = settings.PASSWORD_HISTORY_COUNT
    hashes = list(user.password_history.values_list("password", flat=True)[:count])
    if user.password and user.password not in hashes:  # set before the history was kept
        hashes = [user.password, *hashes][:count]
    return hashes


class PasswordHistoryValidator:
    """Refuses a password the user had as one of their last PASSWORD_HISTORY_COUNT."""

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in _recent_hashes(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return f"新密码不能与最近 {settings.PASSWORD_HISTORY_COUNT} 次使用过的密码相同。"


@receiver(pre_save, sender=settings.AUTH_USER_MODEL)
def notice_password_change(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._password_changed = False
    if raw or (update_fields is not None and "password" not in update_fields):
        return
    if not instance.password or not is_password_usable(instance.password):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("password", flat=True)
    instance._password_changed = instance.pk is None or stored.first() != instance.password


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def record_password_change(sender, instance, **kwargs):
    if not getattr(instance, "_password_changed", False):
        return
    instance._password_changed = False
    PasswordHistory.objects.create(user=instance, password=instance.password)
    kept = instance.password_history.values_list("pk", flat=True)[: settings.PASSWORD_HISTORY_COUNT]
    instance.password_history.exclude(pk__in=list(kept)).delete()
